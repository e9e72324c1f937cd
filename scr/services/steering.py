"""The business manager's decisions while a review waits: close early, extend, include late answers,
go ahead without a named reviewer, mark a reviewer's review complete, record the board's decisions, or cancel.

``apply(backend, review_id, Choice(...))`` is the one dispatch: the `scr close`/`extend`/... commands and
the steer-review flow's form both name a decision from ``DECISIONS`` and hand it here.

Each decision is kept in the store, where the waiting review reads it at its next check, and recorded
as an event with who made it and when, so it appears in the QM6 evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from scr.domain.email import same_address
from scr.domain.model import Event, Role, Stage
from scr.errors import ScrError
from scr.services import deciding
from scr.services.backend import Backend
from scr.services.decision_file import read_decision_file
from scr.services.drafting import write_factor_summary

#: The business manager's decisions, in the words the Prefect form's select and the commands use.
Decision = Literal[
    "no change", "close member input early", "extend the members' deadline", "extend the reviewers' deadline",
    "include late answers", "leave late answers out", "go ahead without a lead reviewer",
    "mark a lead reviewer's review complete", "record the board's decisions from a file", "cancel the review",
]
DECISIONS: tuple[str, ...] = get_args(Decision)

DEADLINE_OF = {"members": "response_deadline", "reviewers": "reviewer_deadline"}
CLOSED_EARLY = "closed member input early"


@dataclass(frozen=True)
class EarlyClose:
    """Member input closed (or closing) before its deadline, by someone's decision."""

    by: str  # the person's name when they are one of the review's people, else as given with --by
    at: dt.datetime  # when they decided


@dataclass(frozen=True)
class Choice:
    """One decision about one review, as the business manager gave it (on the command line or the form)."""

    decision: str  # one of DECISIONS
    by: str  # who decided (their email), recorded in the QM6 evidence
    working_days: int = 0  # for an extension
    lead_reviewer_email: str = ""  # for going ahead without one, or marking their review complete
    decisions_file: str = ""  # for the board's decisions: a `scr decide` file on this machine


def apply(backend: Backend, review_id: str, choice: Choice) -> str:
    """Carry out ``choice`` for the review and say, in one sentence, what changed."""
    actions: dict[str, Callable[[], str]] = {
        "no change": lambda: "No change.",
        "close member input early": lambda: close_member_input_early(backend, review_id, choice.by),
        "extend the members' deadline": lambda: extend(backend, review_id, choice.by, "members", choice.working_days),
        "extend the reviewers' deadline":
            lambda: extend(backend, review_id, choice.by, "reviewers", choice.working_days),
        "include late answers": lambda: include_late_answers(backend, review_id, choice.by, True),
        "leave late answers out": lambda: include_late_answers(backend, review_id, choice.by, False),
        "go ahead without a lead reviewer":
            lambda: go_ahead_without(backend, review_id, choice.by, choice.lead_reviewer_email),
        "mark a lead reviewer's review complete":
            lambda: mark_reviewer_complete(backend, review_id, choice.by, choice.lead_reviewer_email),
        "record the board's decisions from a file": lambda: record_board_decisions(backend, review_id, choice),
        "cancel the review": lambda: cancel(backend, review_id, choice.by),
    }
    if choice.decision not in actions:
        raise ScrError(f"'{choice.decision}' is not a decision about a review; choose one of: "
                       + "; ".join(DECISIONS) + ".")
    return actions[choice.decision]()


def record_board_decisions(backend: Backend, review_id: str, choice: Choice) -> str:
    """As `scr decide`: a refused file says what to fix, by field, and records nothing."""
    if not choice.decisions_file.strip():
        raise ScrError("Give the path of the board's decisions file (write one with `scr decide CONFIG FILE.yaml "
                       "--template`).")
    record = read_decision_file(backend, review_id, Path(choice.decisions_file), choice.by)
    version = deciding.record_decisions(backend, review_id, record)
    return f"The board's decisions are recorded (version {version}); the agreed terms of reference follow."


def early_close(backend: Backend, review_id: str) -> EarlyClose | None:
    """Who closed member input before the deadline, and when; None when it ran to its deadline (or is open)."""
    store = backend.store
    schedule = store.schedule(review_id)
    decisions = [e for e in store.events(review_id, "decision") if e.detail == CLOSED_EARLY]
    if not schedule.close_now or not decisions:
        return None
    decided = decisions[-1]
    ended = schedule.closed_at or decided.at
    if schedule.response_deadline is not None and ended >= schedule.response_deadline:
        return None
    review = store.get_review(review_id)
    people = [review.business_manager, *review.lead_reviewers, *review.members]
    by = decided.person_email or ""
    name = next((p.name for p in people if same_address(p.email, by)), by or "the business manager")
    return EarlyClose(name, decided.at)


def close_member_input_early(backend: Backend, review_id: str, by: str) -> str:
    """Stop waiting for members: the summary is written from the answers received."""
    _not_finished(backend, review_id)
    _decide(backend, review_id, by, CLOSED_EARLY, close_now=True)
    return "Member input will close at the review's next check; the summary is written from the answers received."


def extend(backend: Backend, review_id: str, by: str, who: str, working_days: int) -> str:
    """Move the members' or the reviewers' deadline later by some working days."""
    _not_finished(backend, review_id)
    if working_days < 1 or working_days > 60:
        raise ScrError("Extend by 1 to 60 working days.")
    schedule = backend.store.schedule(review_id)
    key = DEADLINE_OF[who]
    deadline: dt.datetime | None = getattr(schedule, key)
    if deadline is None or (who == "members" and schedule.closed):
        raise ScrError(f"The {who}' window is not open for review {review_id}; there is nothing to extend.")
    later = schedule.deadline_after(deadline, working_days)
    _decide(backend, review_id, by, f"extended the {who}' deadline by {working_days} working day(s) to "
            f"{later:%d %B %Y}", **{key: later})
    return f"The {who}' deadline is now {later:%d %B %Y, %H:%M}."


def include_late_answers(backend: Backend, review_id: str, by: str, include: bool) -> str:
    """Count answers given after the close in the summary and the ToR, or leave them out."""
    _not_finished(backend, review_id)
    _decide(backend, review_id, by, "included late answers" if include else "left late answers out",
            include_late=include)
    if "factor-summary" in backend.store.documents(review_id):  # keep the summary and the ToR in step
        write_factor_summary(backend, review_id)
        return "Late answers are now " + ("included" if include else "left out") + "; the factor summary is rewritten."
    return "Late answers are now " + ("included." if include else "left out.")


def go_ahead_without(backend: Backend, review_id: str, by: str, reviewer_email: str) -> str:
    """Stop waiting for one lead reviewer; the evidence records that the board went ahead without them."""
    _not_finished(backend, review_id)
    review = backend.store.get_review(review_id)
    reviewer = review.reviewer(reviewer_email)
    if reviewer is None:
        names = ", ".join(r.email for r in review.lead_reviewers)
        raise ScrError(f"{reviewer_email} is not a lead reviewer of {review_id}; the lead reviewers are {names}.")
    excused = backend.store.schedule(review_id).excused_reviewers | {reviewer.email}
    _decide(backend, review_id, by, f"went ahead without lead reviewer {reviewer.name}", excused_reviewers=excused)
    return f"The review no longer waits for {reviewer.name}."


def mark_reviewer_complete(backend: Backend, review_id: str, by: str, reviewer_email: str) -> str:
    """Record that a lead reviewer finished their review, for one who said so outside the tool."""
    _not_finished(backend, review_id)
    reviewer = backend.store.get_review(review_id).reviewer(reviewer_email)
    if reviewer is None:
        raise ScrError(f"{reviewer_email} is not a lead reviewer of {review_id}.")
    backend.store.mark_reviewer_complete(review_id, reviewer.email, backend.clock.now())
    backend.store.record_event(review_id, Event("decision", backend.clock.now(), by,
                                                f"recorded that {reviewer.name} completed their review"))
    return f"{reviewer.name}'s review is recorded as complete."


def cancel(backend: Backend, review_id: str, by: str) -> str:
    """Cancel the review: it stops at its next check and sends nothing more."""
    _not_finished(backend, review_id)
    _decide(backend, review_id, by, "cancelled the review", cancelled_at=backend.clock.now())
    backend.store.set_stage(review_id, Stage.CANCELLED)
    for role in Role:  # nobody can add anything about the child to a cancelled review
        backend.store.close_tokens(review_id, role)
    backend.forms.close(backend.store.get_review(review_id))
    return "The review is cancelled: every personal link and form is closed, and it stops at its next check."


def _decide(backend: Backend, review_id: str, by: str, what: str, **changes) -> None:
    backend.store.update_schedule(review_id, **changes)
    backend.store.record_event(review_id, Event("decision", backend.clock.now(), by, what))


def _not_finished(backend: Backend, review_id: str) -> None:
    stage = backend.store.stage(review_id)
    if stage in (Stage.COMPLETE, Stage.CANCELLED):
        raise ScrError(f"Review {review_id} is {stage}; decisions can no longer change it.")
