"""The small interfaces the workflow needs from the outside world.

Backends implement them: ``scr.backends.local`` (SQLite, local web app, .eml outbox, .docx/.md files)
and ``scr.backends.google`` (Forms, Docs, Drive, Gmail, Sheets). Services take them as parameters;
only ``scr.bootstrap`` chooses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from scr.domain.decisions import DecisionRecord
from scr.domain.email import EmailAddress
from scr.domain.model import (
    Event,
    ItemAnswer,
    LeadReviewer,
    Member,
    Response,
    Review,
    ReviewerComment,
    ReviewerInput,
    Role,
    Stage,
)
from scr.domain.schedule import Schedule

if TYPE_CHECKING:
    from scr.rendering.document import Document


@dataclass(frozen=True)
class Grant:
    """What a personal link's token allows: one person, one role, one review."""

    review_id: str
    email: str
    role: Role


@dataclass(frozen=True)
class Message:
    """An email to one named person. ``body`` may hold their personal link; never log it."""

    to_name: str
    to_email: str
    subject: str
    body: str
    kind: str  # the template: "invitation", "reminder", "summary-ready", "deadline-passed", "documents-ready"
    key: str = ""  # tells apart messages of one kind to one person, e.g. "reminder 2"

    def message_id(self, review_id: str, sender_email: str) -> str:
        """``<scr.<review>.<kind>.<hash of recipient>.<hash of subject and key>@<domain>>``: the same for a
        resend of this email, so it can be recognised; different for a second reminder with the same subject."""
        def digest(text: str) -> str:
            return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

        safe = re.sub(r"[^A-Za-z0-9-]+", "-", f"{review_id}.{self.kind}")
        domain = sender_email.rpartition("@")[2] or "scr.invalid"
        recipient, what = digest(EmailAddress(self.to_email)), digest(f"{self.subject}\0{self.key}")
        return f"<scr.{safe}.{recipient}.{what}@{domain}>"


@dataclass(frozen=True)
class StoredDocument:
    """Where one of a review's documents was written (paths, or Google URLs), and when."""

    refs: tuple[str, ...]
    written_at: dt.datetime | None = None  # unknown for a document kept by an earlier version


@dataclass(frozen=True)
class GoogleForm:
    """What the store keeps of a review's Google Form: how far publishing got, then how far reading got."""

    begun_at: dt.datetime | None = None  # when a run began publishing it
    created_id: str | None = None  # the form Google created, kept before anything else is asked
    form_id: str | None = None  # set once the form is published
    responder_uri: str = ""
    questions: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # question id -> (item id, field)
    responses_since: str | None = None  # Google's time of the latest submission read


@dataclass(frozen=True)
class ReviewerCopy:
    """A lead reviewer's own copy of the factor summary's Google Doc, and how far its comments were read."""

    file_id: str
    url: str
    account_name: str | None = None  # the name of the Google account it was shared with, as Drive shows it
    comments_since: dt.datetime | None = None


def document_refs(store: ReviewStore, review_id: str, name: str) -> list[str]:
    """Where the review's document ``name`` was last written; empty if it has not been."""
    document = store.documents(review_id).get(name)
    return list(document.refs) if document else []


class StoredState(NamedTuple):
    """What deciding whether a review has anything due needs, read for many reviews at once."""

    review_id: str
    stage: Stage
    schedule: Schedule


@dataclass(frozen=True)
class MemberActivity:
    """Who of a review's people was invited or reminded, and when each last answered: addresses (lower-cased)
    and times only, never answer text."""

    invited: frozenset[str] = frozenset()
    reminded: frozenset[str] = frozenset()
    answered: dict[str, tuple[dt.datetime, bool]] = field(default_factory=dict)  # email: (submitted at, late)


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class ReviewStore(Protocol):
    """Everything a review holds: its people, tokens, answers, reviewers' input and events."""

    def create_review(self, review: Review, schedule: Schedule) -> None: ...
    def get_review(self, review_id: str) -> Review: ...
    def review_ids(self) -> list[str]: ...
    def schedule(self, review_id: str) -> Schedule: ...
    def update_schedule(self, review_id: str, **changes: Any) -> Schedule:
        """Change some of the schedule's fields in one transaction (no lost update against another writer);
        returns the whole schedule as it now stands."""
        ...
    def stage(self, review_id: str) -> Stage: ...
    def set_stage(self, review_id: str, stage: Stage) -> None: ...

    def issue_token(self, review_id: str, email: str, role: Role) -> str: ...
    def resolve_token(self, token: str) -> Grant | None: ...
    def close_tokens(self, review_id: str, role: Role) -> None: ...

    def save_response(
        self, review_id: str, email: str, answers: dict[str, ItemAnswer], at: dt.datetime, late: bool,
        ref: str | None = None,
    ) -> int: ...
    def hold_response(
        self, review_id: str, ref: str, email: str, answers: dict[str, ItemAnswer], at: dt.datetime
    ) -> bool: ...
    def held_responses(self, review_id: str) -> list[tuple[str, dt.datetime]]: ...
    def latest_responses(self, review_id: str, include_late: bool = True) -> list[Response]:
        """Each member's latest response; with include_late=False, their latest one on time."""
    def response_versions(self, review_id: str) -> dict[str, int]: ...

    def add_reviewer_comment(self, review_id: str, comment: ReviewerComment) -> bool: ...
    def set_proposal(self, review_id: str, email: str, proposal_id: str, text: str, at: dt.datetime) -> None: ...
    def mark_reviewer_complete(self, review_id: str, email: str, at: dt.datetime) -> None: ...
    def reviewer_inputs(self, review_id: str) -> list[ReviewerInput]: ...

    def save_decision_record(self, record: DecisionRecord) -> int:
        """Keep the board's decision record as the review's next version; returns the version."""
        ...
    def decision_record(self, review_id: str, version: int | None = None) -> DecisionRecord | None: ...
    def decision_versions(self, review_id: str) -> int: ...

    def record_event(self, review_id: str, event: Event) -> None: ...
    def events(self, review_id: str, kind: str | None = None) -> list[Event]: ...

    def documents(self, review_id: str) -> dict[str, StoredDocument]: ...
    def set_document(self, review_id: str, name: str, refs: Sequence[str], written_at: dt.datetime) -> None: ...
    def reported_progress(self, review_id: str, what: str) -> str | None:
        """The fingerprint of the progress ("members", "reviewers") last reported: a check reports only a change."""
        ...
    def set_reported_progress(self, review_id: str, what: str, digest: str) -> None: ...

    def claim(self, review_id: str, holder: str, until: dt.datetime, now: dt.datetime,
              holder_gone: Any = ...) -> bool:
        """Take the review's lease (one run advances a review at a time); False if another holds it."""
        ...
    def release(self, review_id: str, holder: str) -> None: ...

    def web_secret(self) -> bytes:
        """The web app's secret for its forms' hidden fields, made on first use and the same thereafter."""
        ...


class GoogleStore(ReviewStore, Protocol):
    """What the Google backend keeps besides the review: its form, its responders, the reviewers' copies."""

    def google_form(self, review_id: str) -> GoogleForm | None: ...
    def update_google_form(self, review_id: str, **changes: Any) -> GoogleForm:
        """Change some fields of the review's form (made empty if none yet); returns the whole form."""
        ...
    def google_responders(self, review_id: str) -> dict[str, bool | None]: ...
    def set_google_responder(self, review_id: str, email: str, has_account: bool | None) -> None: ...
    def google_responses_seen(self, review_id: str) -> set[str]: ...
    def add_google_response_seen(self, review_id: str, ref: str) -> None: ...
    def google_reviewer_copies(self, review_id: str) -> dict[str, ReviewerCopy]: ...
    def set_google_reviewer_copy(self, review_id: str, email: str, copy: ReviewerCopy) -> None: ...
    def google_summary_sections(self, review_id: str) -> list[tuple[str, str]]: ...
    def set_google_summary_sections(self, review_id: str, sections: Sequence[tuple[str, str]]) -> None: ...

    # many at once: one transaction or one read for what would otherwise be one per person or per review
    def issue_tokens(self, review_id: str, emails: Sequence[str], role: Role) -> dict[str, str]:
        """``issue_token`` for each address, in one transaction; returns each address's token."""
        ...
    def record_events(self, review_id: str, events: Sequence[Event]) -> None:
        """``record_event`` for each event, in one transaction, in order."""
        ...
    def review_states(self, stages: Sequence[Stage] | None = None) -> list[StoredState]:
        """Every review's stage and schedule (only those at one of ``stages``, if given), oldest first."""
        ...
    def reviews(self, review_ids: Sequence[str]) -> dict[str, Review]: ...
    def member_activity(self, review_ids: Sequence[str]) -> dict[str, MemberActivity]:
        """Who was invited and reminded, and each member's latest answer's time, for each review."""
        ...


class Mailer(Protocol):
    #: True where a message whose Message-ID went before is not sent again (the outbox): a round of messages
    #: can then be recorded once, after its last; otherwise each is recorded after its own send.
    deduplicates: bool

    def send(self, review_id: str, message: Message) -> None: ...


class DocumentStore(Protocol):
    """Where the review's documents are written; returns where each one can be found."""

    def write(self, review_id: str, name: str, document: Document) -> Sequence[Path | str]: ...
    def share(self, review_id: str, name: str, people: Sequence[tuple[str, str]], message: str) -> int:
        """Give named people ("commenter" or "writer") access to a document; never anyone else."""
        ...


class FormChannel(Protocol):
    """Where board members give their input: a personal web link, or a Google Form."""

    personal_links: bool  # each member's link is theirs alone (local web app) or shared (Google Form)
    fetches: bool  # answers must be fetched at each check (Google Form), or arrive in the store by themselves

    def open(self, review: Review) -> None:
        """Make the form ready for answers (once per review)."""
        ...
    def link_for(self, review: Review, member: Member) -> str: ...
    def links_for(self, review: Review, members: Sequence[Member]) -> list[str]:
        """``link_for`` each member, in order; what it keeps, kept in one transaction where it can be."""
        ...
    def collect(self, review: Review, schedule: Schedule, full: bool = False) -> int:
        """Bring answers given since the last call (with `full`, every answer: at the close) into the store;
        returns how many were new."""
        ...
    def has_new(self, review: Review) -> bool:
        """Whether ``collect`` would find answers the store does not have yet; reads, never writes."""
        ...
    def close(self, review: Review) -> None: ...


class ReviewerChannel(Protocol):
    """Where lead reviewers comment on the factor summary: a web page, or the Google Doc itself."""

    personal_links: bool  # each reviewer's link is theirs alone (local web app) or the shared Doc (Google)
    fetches: bool  # comments must be fetched at each check (Google Docs), or arrive in the store by themselves

    def link_for(self, review: Review, reviewer: LeadReviewer, summary: Sequence[str]) -> str: ...
    def collect(self, review: Review) -> int:
        """Bring comments and completions given since the last call into the store; returns how many."""
        ...
    def has_new(self, review: Review) -> bool:
        """Whether ``collect`` would find comments changed since it last read; reads, never writes."""
        ...


class StatusBoard(Protocol):
    """Where the business manager follows who has answered (a tracker sheet): names and status, no answers."""

    def write(self, review_id: str, rows: Sequence[dict[str, Any]]) -> None: ...


class ResponsesFileReader(Protocol):
    """Reads a file of form responses (Google Forms' CSV download) into rows and problems found."""

    def __call__(self, path: str | Path, member_form: Any, agencies: Sequence[str], zone: Any) -> Any: ...
