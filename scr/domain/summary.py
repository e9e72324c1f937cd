"""The factor summary: every member's input consolidated per form item, for the lead reviewers.

Shapes only here; ``consolidate`` builds them (see its docstring for the rules).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scr.domain.model import Member


@dataclass(frozen=True)
class AttributedText:
    """Something a person typed, attributed to their agency and role (never their name)."""

    agency: str
    role: str
    text: str


@dataclass(frozen=True)
class Tally:
    """How many members gave one rating or chose one option, and from which agencies."""

    value: str
    label: str
    count: int
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class ItemSummary:
    item_id: str
    group: str  # "case" | "context" | "decision" | "other"
    kind: str  # "factor" | "choice" | "multi" | "text"
    label: str  # the marker's words
    tallies: tuple[Tally, ...]  # ratings (factor) or options (choice, multi); every option, zeros included
    others: tuple[AttributedText, ...]  # what members typed for "other"
    comments: tuple[AttributedText, ...]
    answered: int  # members who gave anything for this item other than "don't know"
    weight: str  # factor: "central" | "significant" | "minor" | "not_relevant" | "no view"; else ""
    disagreement: str | None  # a sentence naming the split and its agencies, or None

    @property
    def has_input(self) -> bool:
        return self.answered > 0


@dataclass(frozen=True)
class SummarySection:
    section_id: str
    title: str
    items: tuple[ItemSummary, ...]


@dataclass(frozen=True)
class FactorSummary:
    review_id: str
    child_pseudonym: str
    generated_at: dt.datetime
    invited: int
    respondents: tuple[Member, ...]
    non_respondents: tuple[Member, ...]
    late_excluded: tuple[Member, ...]  # answered after the close and not included
    sections: tuple[SummarySection, ...]

    @property
    def answered(self) -> int:
        return len(self.respondents)

    @property
    def items(self) -> tuple[ItemSummary, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> ItemSummary:
        return next(i for i in self.items if i.item_id == item_id)
