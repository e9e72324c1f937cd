"""The board's own nouns: review, member, lead reviewer, response, reviewer input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from scr.domain.email import EmailAddress
from scr.domain.regime import RapidReview, StatutoryPartners


class Stage(StrEnum):
    """Where a review stands in the commissioning workflow."""

    STARTED = "started"
    COLLECTING = "collecting member input"
    CONSOLIDATED = "factor summary written"
    WITH_REVIEWERS = "with lead reviewers"
    DRAFTED = "terms of reference drafted"  # the draft is with the board, which records its decisions
    AGREED = "terms of reference agreed"
    COMPLETE = "complete"
    CANCELLED = "cancelled"

    def follows(self, current: Stage) -> bool:
        """Whether a review at ``current`` may move to this stage: forward only; cancelling from any open stage."""
        if current in (Stage.COMPLETE, Stage.CANCELLED):
            return False
        order = list(Stage)
        return self is Stage.CANCELLED or order.index(self) > order.index(current)


class Role(StrEnum):
    MEMBER = "member"
    REVIEWER = "reviewer"
    MANAGER = "manager"  # the chair or business manager, who records the board's decisions


@dataclass(frozen=True)
class Vocabulary:
    """The words shown to people: LSCB wording (to 2019) or safeguarding-partnership wording (since).

    Templates write ``{{ vocab.deciders }}`` where an LSCB's documents said "the board", so that no board
    wording is left in a partnership's documents, emails and pages.
    """

    board: str
    board_short: str
    review: str
    review_short: str
    members: str
    key: str = "lscb"
    deciders: str = "the board"  # who decides: "To be completed by the board"
    deciders_own: str = "the board's"  # possessive: "the board's self-assessment"
    member: str = "board member"  # one person asked for input
    body: str = "board"  # the body itself: "the report goes to the board"
    statutory_criteria: str = "meets the statutory criteria for a Serious Case Review"

    @classmethod
    def named(cls, key: str) -> Vocabulary:
        return VOCABULARIES[key]

    @property
    def is_partnership(self) -> bool:
        return self.key == "partnership"


VOCABULARIES = {
    "lscb": Vocabulary(
        board="Local Safeguarding Children Board",
        board_short="LSCB",
        review="Serious Case Review",
        review_short="SCR",
        members="board members",
        key="lscb",
    ),
    "partnership": Vocabulary(
        board="safeguarding partnership",
        board_short="safeguarding partners",
        review="Local Child Safeguarding Practice Review",
        review_short="LCSPR",
        members="members of the partnership",
        key="partnership",
        deciders="the safeguarding partners",
        deciders_own="the safeguarding partners'",
        member="partnership member",
        body="partnership",
        statutory_criteria="is a serious child safeguarding case (abuse or neglect of a child is known or suspected, "
        "and the child has died or been seriously harmed), and that a Local Child Safeguarding Practice Review "
        "should be commissioned",
    ),
}


class _Addressed:
    """A person written to: "Dear Dr Okafor" from a configured title and surname, else their name."""

    name: str
    title: str
    surname: str

    @property
    def salutation(self) -> str:
        surname = self.surname or self.name.split()[-1]
        return f"{self.title} {surname}" if self.title else self.name

    @property
    def address(self) -> EmailAddress:
        """Their address in its normal form, to compare (``email`` stays as configured, to write to)."""
        return EmailAddress(self.email)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Member(_Addressed):
    name: str
    email: str
    agency: str
    role: str
    title: str = ""
    surname: str = ""


@dataclass(frozen=True)
class LeadReviewer(_Addressed):
    name: str
    email: str
    title: str = ""
    surname: str = ""


@dataclass(frozen=True)
class DocumentStyle:
    """How the board's documents look: the protective marking in every header and email subject, and the
    board's own Word template (a .docx whose styles, header and logo the documents take), if any."""

    protective_marking: str = "OFFICIAL-SENSITIVE"
    word_template: str | None = None


@dataclass(frozen=True)
class ItemAnswer:
    """One member's answer to one form item. Fields not used by the item's kind stay empty."""

    rating: str | None = None
    choice: str | None = None
    choices: tuple[str, ...] = ()
    other: str = ""
    comment: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.rating or self.choice or self.choices or self.other or self.comment)


@dataclass(frozen=True)
class Response:
    """A member's answers as last submitted (earlier versions are kept in the store)."""

    member_email: str
    submitted_at: dt.datetime
    answers: dict[str, ItemAnswer]
    version: int = 1
    late: bool = False


@dataclass(frozen=True)
class ReviewerComment:
    reviewer_email: str
    section_id: str
    text: str
    created_at: dt.datetime
    ref: str = ""  # the source's id (a Google Docs comment), so a comment read twice is kept once


@dataclass(frozen=True)
class ReviewerInput:
    """Everything one lead reviewer returned on the factor summary."""

    reviewer: LeadReviewer
    comments: tuple[ReviewerComment, ...] = ()
    proposals: dict[str, str] = field(default_factory=dict)
    completed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Event:
    """Something that happened to a review, kept as evidence (who was asked and when, ...)."""

    kind: str
    at: dt.datetime
    person_email: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Review:
    """A review being commissioned, with the board's people and the case as configured at its start."""

    review_id: str
    board_name: str
    vocabulary: Vocabulary
    business_manager: LeadReviewer
    members: tuple[Member, ...]
    lead_reviewers: tuple[LeadReviewer, ...]
    child_pseudonym: str
    background: str
    decision_date: dt.date
    criteria: str
    partners: StatutoryPartners | None = None  # the three statutory safeguarding partners (partnership only)
    rapid_review: RapidReview | None = None  # the notification and rapid review before commissioning
    style: DocumentStyle = DocumentStyle()

    @property
    def agencies(self) -> list[str]:
        return list(dict.fromkeys(m.agency for m in self.members))

    def member(self, email: str) -> Member | None:
        address = EmailAddress(email)
        return next((m for m in self.members if m.address == address), None)

    def reviewer(self, email: str) -> LeadReviewer | None:
        address = EmailAddress(email)
        return next((r for r in self.lead_reviewers if r.address == address), None)

    def statutory_partner(self, agency: str) -> str | None:
        """Which statutory safeguarding partner ``agency`` is ("the police" ...); None for a relevant agency,
        and always None for an LSCB's review."""
        return self.partners.role_of(agency) if self.partners else None

    def speaking_for_partners(self) -> list[tuple[str, str, list[Member]]]:
        """(role, agency, its members) for each statutory partner: whose agreement a partnership's decision
        record needs. Empty for an LSCB's review."""
        return self.partners.members_by_partner(self.members) if self.partners else []
