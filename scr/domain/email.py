"""Email addresses as the product compares them: normalised once, where an address comes in.

An address is compared without the spaces around it and with its letters lower-cased (``str.lower``, as the
product always has: Google, the CSV download and the configuration may each spell one address differently).
``EmailAddress`` is that normal form, a ``str``, so it compares, hashes and is stored plainly; ``written``
keeps the address as it was given, for where a person's address is shown to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class EmailAddress(str):
    """An address in its normal form (stripped, lower-cased); ``written`` is the address as given (stripped)."""

    written: str

    def __new__(cls, text: str) -> EmailAddress:
        if isinstance(text, EmailAddress):
            return text
        if not isinstance(text, str):
            raise TypeError(f"an email address is text; got a {type(text).__name__}")
        written = text.strip()
        address = super().__new__(cls, written.lower())
        address.written = written
        return address

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (e.g. by Prefect) as it was given
        return (EmailAddress, (self.written,))

    @classmethod
    def __get_pydantic_core_schema__(cls, _source: Any, handler: Any) -> Any:
        """As a pydantic field: validated as text, then normalised."""
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(cls, handler(str))


def email_or_none(text: str | None) -> EmailAddress | None:
    """The normal form of an address that may be missing (an event about no one, a response without one)."""
    return None if text is None else EmailAddress(text)


def addresses(events: Iterable[Any]) -> set[EmailAddress]:
    """The addresses of the people some events are about (an event about no one adds none)."""
    return {EmailAddress(e.person_email) for e in events if e.person_email}


def same_address(a: str | None, b: str | None) -> bool:
    """Whether two addresses, either of them possibly missing, are the same person's."""
    return a is not None and b is not None and EmailAddress(a) == EmailAddress(b)
