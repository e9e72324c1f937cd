"""Does a pseudonym look like a person's name? A child is referred to as "Child T" or "Child Q", never by name.

The first names and surnames come from the name lists that Faker (a well-kept package, pinned in pyproject.toml)
ships for the languages most spoken in England and Wales: English (British, Irish, American, Indian, Nigerian,
Pakistani), Polish, Romanian, Lithuanian, Bulgarian, Spanish, Portuguese, French, German, Italian, Turkish and
Arabic. About 9,500 first names and 7,400 surnames. Words that pseudonyms are made of ("Child", "Young person",
"Baby", single letters) are never taken for names. A board that agreed a name-like pseudonym says so in its
configuration (``case.pseudonym_confirmed: true``).
"""

from __future__ import annotations

import importlib
import unicodedata
from functools import cache

__all__ = ["NAME_LOCALES", "looks_like_a_name"]

NAME_LOCALES = ("en_GB", "en_IE", "en_US", "en_IN", "en_NG", "en_PK", "pl_PL", "ro_RO", "lt_LT", "bg_BG",
                "es_ES", "pt_PT", "fr_FR", "de_DE", "it_IT", "tr_TR", "ar_AA")
PSEUDONYM_WORDS = frozenset({"child", "children", "baby", "infant", "young", "person", "people", "sibling",
                             "siblings", "family", "boy", "girl", "and", "the", "case"})


def looks_like_a_name(pseudonym: str) -> bool:
    """True when a word of the pseudonym is a first name or surname in the lists (see the module docstring)."""
    names = _names()
    return any(word in names for word in _words(pseudonym) if word not in PSEUDONYM_WORDS)


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if ch.isalpha() or ch in "'-" else " " for ch in unicodedata.normalize("NFC", text))
    return [word.casefold() for part in cleaned.split() for word in part.split("-") if len(word) > 1]


@cache
def _names() -> frozenset[str]:
    found: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            found |= {str(name).casefold() for name in getattr(provider, attribute, ()) or ()}
    return frozenset(found)
