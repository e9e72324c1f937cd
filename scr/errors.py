"""The product's errors.

Every error the product raises on purpose derives from ``ScrError``::

    ScrError
    ├── Problems             something given has problems to fix, each named by field
    │   ├── ConfigError      a board configuration or form definition is wrong (names file and field)
    │   └── DecisionRecordRefused (scr.domain.decisions) the board's decision record is refused
    ├── ReviewNotFound       no review with that id in the store
    ├── ReviewExists         a review with that id was already started
    ├── ReviewCancelled      the business manager cancelled the review while it waited
    ├── TemplateError        a template asked for a value the context does not have
    ├── StoreError           the store could not be read or written
    └── TransientError       something outside did not answer for now (a mail server's temporary refusal, ...)

Messages say what failed, for which review, member or file, and what to do. They never carry
answer text, comments, tokens or credentials.

**Transient** failures may pass if the same step is tried again later, unchanged: ``is_transient(error)``
is the one answer, used by the flows' retry condition (``flows.hooks.retry_transient``). Transient are a
``TransientError``; a Google error our gateway still classed as worth retrying once it gave up (no answer,
408, 429, 5xx, a rate-limit 403: ``scr.backends.google.errors``); a store error caused by a lock, a deadlock
or a lost connection; and a raw network error (no connection, a time-out, a name not resolved). Never a
refusal of access, something not found, bad input or a bug.
"""

from __future__ import annotations

import socket

#: What the database drivers say (SQLite, PostgreSQL) when trying again later may work.
TRANSIENT_STORE_REASONS = ("database is locked", "database table is locked", "deadlock detected",
                           "could not serialize access", "could not connect to server", "connection refused",
                           "server closed the connection", "terminating connection", "connection timed out")


class ScrError(Exception):
    """Base class for every error the product raises on purpose."""

    transient = False  # trying the same step again later, unchanged, may succeed


class Problems(ScrError):
    """Something given has problems to fix: ``problems`` are (field, what to fix), never typed text."""

    def __init__(self, heading: str, problems: list[tuple[str, str]]):
        self.problems = problems
        lines = [f"{heading}: {len(problems)} problem(s) to fix:"]
        lines += [f"  - {field}: {problem}" for field, problem in problems]
        super().__init__("\n".join(lines))


class ConfigError(Problems):
    """A configuration or form-definition file is wrong."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        super().__init__(source, problems)


class ReviewNotFound(ScrError):
    def __init__(self, review_id: str):
        super().__init__(
            f"No review '{review_id}' in the store. List the reviews with `scr status CONFIG --all`, "
            "or start it with `scr start CONFIG`."
        )
        self.review_id = review_id


class ReviewExists(ScrError):
    def __init__(self, review_id: str):
        super().__init__(
            f"Review '{review_id}' was already started. Follow it with `scr status CONFIG --review {review_id}`, "
            "or give the new review a different case.review_id in the board configuration."
        )
        self.review_id = review_id


class ReviewCancelled(ScrError):
    def __init__(self, review_id: str):
        super().__init__(f"Review '{review_id}' was cancelled by the business manager; nothing more is sent.")
        self.review_id = review_id


class TemplateError(ScrError):
    """A template asked for a value its context does not have."""


class StoreError(ScrError):
    """The store could not be read or written."""


class TransientError(ScrError):
    """Something outside did not answer for now; trying again later, unchanged, may work."""

    transient = True


def is_transient(error: BaseException) -> bool:
    """Whether the step that raised ``error`` is worth trying again later, as it is (see the module's notes)."""
    if isinstance(error, StoreError):
        cause = error.__cause__
        reason = str(getattr(cause, "orig", None) or cause or "").lower()
        return (getattr(cause, "connection_invalidated", False) or any(r in reason for r in TRANSIENT_STORE_REASONS)
                or is_transient_network(getattr(cause, "orig", None)))
    if isinstance(error, ScrError):
        return bool(error.transient)
    return is_transient_network(error)


def is_transient_network(error: BaseException | None) -> bool:
    """A raw network failure that may pass: no connection, a time-out, a name that did not resolve."""
    return isinstance(error, ConnectionError | TimeoutError | socket.gaierror)
