"""Advance a review without waiting: do whatever is due now, then return.

This is the one way a review moves on. ``advance`` loads the review's state, asks the domain which steps are
due (``scr.domain.steps``), does them, and asks again until nothing is due: then the review waits for people,
and nothing waits with it. It is run again and again: by the advance-review flow (from `scr start`'s timer,
the demo, or the scheduled advance-reviews run), by `scr advance`, or by a test.

Every side effect is recorded before the next one, so a run that is killed part-way is finished by the next:
each invitation, reminder and "summary ready" message goes out once, and the documents are rewritten whole.
(Through Gmail or SMTP, an email accepted by the server in the instant before its run is killed, not yet
recorded, goes out again, with the same Message-ID.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scr.domain.email import EmailAddress, addresses
from scr.domain.model import Stage
from scr.domain.steps import OPEN, ReviewState, Step, due_steps
from scr.errors import ReviewCancelled, ScrError
from scr.ports import document_refs
from scr.services import deciding, drafting, reviewers, waiting
from scr.services.backend import Backend
from scr.services.members import (
    MemberProgress,
    invite_members,
    member_progress,
    tell_of_members_without_an_account,
)
from scr.services.reviewers import ReviewerProgress, reviewer_progress
from scr.services.unit_of_work import ReviewWork

LEASE = dt.timedelta(minutes=15)  # longer than any one advance; a killed run's lease runs out
REPORTED_MEMBERS, REPORTED_REVIEWERS = "members", "reviewers"  # what reported_progress keeps
NOT_ADVANCED = "not advanced this time"


@dataclass(frozen=True)
class Reporting:
    """Who hears of progress when a check finds a change (the Prefect flow publishes artifacts)."""

    on_members: Callable[[MemberProgress], None] | None = None
    on_reviewers: Callable[[ReviewerProgress], None] | None = None


StepRunner = Callable[[Step], Any]


def advance(backend: Backend, review_id: str, run_step: StepRunner | None = None,
            reporting: Reporting = Reporting()) -> Stage:
    """Take the review as far as it can go now; returns the stage it rests at.

    ``run_step`` does one step (the flow runs each as a Prefect task); by default ``do_step`` here. One run
    advances a review at a time: a run that finds another holding the review's lease leaves it.
    """
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC)  # real time: leases are about processes, not the review's calendar
    if not backend.store.claim(review_id, holder, until=now + LEASE, now=now, holder_gone=holder_gone):
        return backend.store.stage(review_id)
    try:
        return _advance(backend, review_id, run_step or (lambda step: do_step(backend, review_id, step, reporting)))
    finally:
        backend.store.release(review_id, holder)


def _advance(backend: Backend, review_id: str, run_step: StepRunner) -> Stage:
    ran: set[Step] = set()
    try:
        while True:
            state = load_state(backend, review_id)
            steps = [step for step in due_steps(state, backend.clock.now()) if step not in ran]
            if not steps:  # waiting for people, or over; each step is done at most once a run
                return Stage.CANCELLED if state.schedule.cancelled else state.stage
            for step in steps:
                run_step(step)
                ran.add(step)
    except ReviewCancelled:
        return Stage.CANCELLED


def do_step(backend: Backend, review_id: str, step: Step, reporting: Reporting = Reporting()) -> Any:
    """Do one business step of the review; what it returns is for the run's record (counts and paths)."""
    actions: dict[Step, Callable[[], Any]] = {
        Step.INVITE: lambda: invite_members(backend, review_id),
        Step.CHECK_MEMBERS: lambda: check_members(backend, review_id, reporting.on_members),
        Step.CLOSE: lambda: waiting.close_member_input(backend, review_id),
        Step.SUMMARISE: lambda: drafting.write_factor_summary(backend, review_id),
        Step.CIRCULATE: lambda: reviewers.circulate_summary(backend, review_id),
        Step.CHECK_REVIEWERS: lambda: check_reviewers(backend, review_id, reporting.on_reviewers),
        Step.DRAFT: lambda: drafting.draft_terms_of_reference(backend, review_id),
        Step.ASK_BOARD: lambda: deciding.ask_the_board(backend, review_id),
        Step.AGREE: lambda: drafting.agree_terms_of_reference(backend, review_id),
        Step.FINISH: lambda: drafting.finish_review(backend, review_id, documents(backend, review_id)),
    }
    return actions[step]()


def check_members(backend: Backend, review_id: str, on_change: Callable | None = None) -> MemberProgress:
    """Bring in answers and send due reminders; report the progress (tracker sheet, artifacts) when it changed.

    Also tells the business manager of members without a Google account, if the run that invited them was
    killed before it could (the notice is sent once)."""
    work = ReviewWork(backend, review_id)  # the review is read once for both
    tell_of_members_without_an_account(backend, work.review)
    progress = waiting.check_members(backend, work)
    if backend.store.reported_progress(review_id, REPORTED_MEMBERS) != _member_digest(progress):
        waiting.tracking(backend, review_id, on_change)(progress)
        backend.store.set_reported_progress(review_id, REPORTED_MEMBERS, _member_digest(progress))
    return progress


def check_reviewers(backend: Backend, review_id: str, on_change: Callable | None = None) -> ReviewerProgress:
    """Bring in late answers, comments and completions; report the reviewers' progress when it changed."""
    progress = waiting.check_reviewers(backend, review_id)
    if backend.store.reported_progress(review_id, REPORTED_REVIEWERS) != _reviewer_digest(progress):
        if on_change is not None:
            on_change(progress)
        backend.store.set_reported_progress(review_id, REPORTED_REVIEWERS, _reviewer_digest(progress))
    return progress


def load_state(backend: Backend, review_id: str, look_outside: bool = False) -> ReviewState:
    """What the due steps depend on, read once through a unit of work: stage, schedule, counts, new input.

    Input that is fetched (a Google Form, the reviewers' Google Docs) is assumed waiting, so that a run checks
    it once; with ``look_outside``, whether a run is needed at all, it is looked for (see ``new_input_waits``)."""
    work = ReviewWork(backend, review_id)
    store, stage, schedule = backend.store, work.stage, work.schedule
    members = invited = answered = 0
    reminder_sent, members_changed = True, False
    if stage in (Stage.STARTED, Stage.COLLECTING):
        progress = member_progress(backend, work)
        members, invited, answered = len(progress.members), progress.invited, progress.answered
        members_changed = store.reported_progress(review_id, REPORTED_MEMBERS) != _member_digest(progress)
        reminder_sent = _reminder_sent(backend, review_id, schedule, progress)
    reviewers_complete = reviewers_changed = False
    if stage is Stage.WITH_REVIEWERS:
        progress_r = reviewer_progress(backend, work)
        reviewers_complete = progress_r.complete
        reviewers_changed = store.reported_progress(review_id, REPORTED_REVIEWERS) != _reviewer_digest(progress_r)
    drafted = stage is Stage.DRAFTED
    return ReviewState(
        review_id=review_id, stage=stage, schedule=schedule, members=members, invited=invited, answered=answered,
        reminder_sent=reminder_sent, members_changed=members_changed,
        members_fetched=backend.forms.fetches and (
            not look_outside or stage not in (Stage.STARTED, Stage.COLLECTING)
            or new_input_waits(backend.forms, work.review)),
        reviewers_complete=reviewers_complete, reviewers_changed=reviewers_changed,
        reviewers_fetched=backend.reviewers.fetches and (
            not look_outside or stage is not Stage.WITH_REVIEWERS or new_input_waits(backend.reviewers, work.review)),
        board_asked=drafted and bool(store.events(review_id, "board_asked")),
        decided=drafted and deciding.board_decided(backend, review_id),
    )


def new_input_waits(channel, review) -> bool:
    """Whether a Google Form or the reviewers' Docs hold input the store does not have yet: one read, so that a
    scheduled look gives a review a run only when something came in (not 96 runs a day per waiting review).
    If Google cannot be asked now, the answer is yes: the review's own run then tries, with its retries, and
    reports the failure as that review's."""
    try:
        return channel.has_new(review)
    except ScrError:
        return True


def _reminder_sent(backend: Backend, review_id: str, schedule, progress: MemberProgress) -> bool:
    """Whether the latest reminder that has come went to every member who had not answered by then."""
    due = schedule.reminders_due(backend.clock.now())
    if not due:
        return True
    label = f"reminder {due[-1] + 1}"
    reminded = addresses(e for e in backend.store.events(review_id, "reminded") if e.detail == label)
    return all(EmailAddress(m.email) in reminded for m in progress.missing)


def _member_digest(progress: MemberProgress) -> str:
    """A fingerprint of the statuses the business manager sees (no answer text), to tell a change."""
    seen = "\n".join(f"{m.email}\t{m.status}\t{m.answered_at}" for m in progress.members)
    return hashlib.sha256(f"{progress.invited}\n{progress.closed}\n{seen}".encode()).hexdigest()[:20]


def _reviewer_digest(progress: ReviewerProgress) -> str:
    seen = "\n".join(f"{r.name}\t{r.comments}\t{r.proposals}\t{r.completed_at}" for r in progress.reviewers)
    return hashlib.sha256(f"{progress.deadline}\n{progress.excused}\n{seen}".encode()).hexdigest()[:20]


def holder_gone(holder: str) -> bool:
    """A lease left by a process on this machine that no longer exists (killed, say) can be taken over."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's run (or not one of ours): wait for its lease to expire
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


DOCUMENTS = {"factor summary": drafting.SUMMARY, "terms of reference (draft)": drafting.TOR_DRAFT,
             "terms of reference": drafting.TOR, "QM6 evidence": drafting.EVIDENCE}


def documents_by_label(backend: Backend, review_id: str) -> dict[str, list[str]]:
    """Where the review's documents are, as their backend wrote them, by what the business manager calls them."""
    return {label: list(document_refs(backend.store, review_id, name)) for label, name in DOCUMENTS.items()}


def documents(backend: Backend, review_id: str) -> list[str]:
    return [ref for refs in documents_by_label(backend, review_id).values() for ref in refs]


def open_reviews(backend: Backend) -> list[str]:
    """Reviews not yet complete or cancelled, oldest first (one read, however many there are)."""
    return [state.review_id for state in backend.store.review_states(OPEN)]


def is_due(backend: Backend, review_id: str) -> bool:
    """Whether the review has a step due now (otherwise it waits for people, and needs no run). Input fetched
    from Google is looked for, rather than assumed."""
    return bool(due_steps(load_state(backend, review_id, look_outside=True), backend.clock.now()))


def due_reviews(backend: Backend) -> list[str]:
    """Open reviews with a step due now: only these need a run."""
    return [r for r in open_reviews(backend) if is_due(backend, r)]


def advance_due(backend: Backend, advance_one: Callable[[str], str], due: list[str] | None = None) -> dict[str, str]:
    """Advance every open review with a step due, each by ``advance_one`` (a Prefect run for the scheduled flow,
    ``advance`` itself for `scr advance`); one review's failure does not hold up the others.

    Returns the stage each rests at, or "not advanced this time: <why>" (the error's plain message)."""
    outcomes = {}
    for review_id in due_reviews(backend) if due is None else due:
        try:
            outcomes[review_id] = advance_one(review_id)
        except ScrError as exc:
            outcomes[review_id] = f"{NOT_ADVANCED}: {exc}"
    return outcomes
