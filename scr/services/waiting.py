"""Waiting for people: the checks a waiting review makes at each advance (see scr.services.advancing).

``check_members``/``members_done`` and ``check_reviewers``/``reviewers_done`` read everything from the
store, so a check can be made by any run, at any time, and nothing waits between checks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from scr.domain.model import Event
from scr.domain.schedule import Schedule
from scr.errors import ScrError
from scr.services import messages
from scr.services.backend import Backend
from scr.services.members import MemberProgress, collect_answers, member_progress, send_due_reminders
from scr.services.reviewers import ReviewerProgress, collect_reviewer_input, reviewer_progress
from scr.services.steering import early_close
from scr.services.unit_of_work import ReviewWork, work_on

log = logging.getLogger("scr.waiting")


def check_members(backend: Backend, review: str | ReviewWork) -> MemberProgress:
    """One check of a waiting review's members: bring in new answers, send due reminders, say where it stands.
    The review and its schedule are read once, and passed on to each of the three."""
    work = work_on(backend, review)
    collect_answers(backend, work)
    send_due_reminders(backend, work)
    return member_progress(backend, work)


def members_done(backend: Backend, review: str | ReviewWork, progress: MemberProgress) -> bool:
    """Everyone answered, the business manager closed member input, or the deadline passed. Given a review id,
    it reads the decisions as they stand now; given the poll's unit of work, as the poll read them."""
    schedule = work_on(backend, review).current()
    return (progress.answered >= progress.invited or schedule.close_now
            or _passed(backend, schedule.response_deadline))


def check_reviewers(backend: Backend, review: str | ReviewWork) -> ReviewerProgress:
    """One check of the lead reviewers: bring in late answers and new comments, say where they stand."""
    work = work_on(backend, review)
    collect_answers(backend, work)  # late answers are kept, marked late
    collect_reviewer_input(backend, work)
    return reviewer_progress(backend, work)


def reviewers_done(backend: Backend, review: str | ReviewWork, progress: ReviewerProgress) -> bool:
    """Every lead reviewer still waited for has completed, or their deadline passed."""
    return progress.complete or _passed(backend, work_on(backend, review).current().reviewer_deadline)


def _current(backend: Backend, review_id: str) -> Schedule:
    """The review's deadlines and decisions as they stand; a cancelled review stops every wait."""
    return ReviewWork(backend, review_id).current()


def _passed(backend: Backend, deadline: dt.datetime) -> bool:
    return backend.clock.now() >= deadline


def tracking(backend: Backend, review_id: str, on_change: Callable[[MemberProgress], None] | None):
    """A progress callback that also rewrites the tracker sheet, when the board has one."""

    def changed(progress: MemberProgress) -> None:
        if backend.tracker is not None:
            _update_tracker(backend, review_id, progress)
        if on_change is not None:
            on_change(progress)

    return changed


def close_member_input(backend: Backend, review_id: str) -> None:
    """Close the response window (answers after it are kept, marked late) and tell the business manager who
    is missing and which answers were held apart. Each notice is sent once, even if a run dies half-way."""
    store, work = backend.store, ReviewWork(backend, review_id)
    now = backend.clock.now()
    if not work.schedule.closed:
        collect_answers(backend, work, full=True)  # every answer, edits included, before the close
        work.update_schedule(closed_at=now)
    review = work.review
    manager = review.business_manager
    missing = [review.member(m.email) for m in member_progress(backend, work).missing]
    if missing and not store.events(review_id, "deadline_passed"):
        messages.send(backend, review, "deadline-passed", manager.name, manager.email,
                      manager=manager, missing=missing, closed_early=early_close(backend, review_id))
        store.record_event(review_id, Event("deadline_passed", now, None, f"{len(missing)} member(s) missing"))
    held = store.held_responses(review_id)
    if held and not store.events(review_id, "held_apart_reported"):
        messages.send(backend, review, "held-apart", manager.name, manager.email, manager=manager, held=held)
        store.record_event(review_id, Event("held_apart_reported", now, manager.email, f"{len(held)} held"))

def _update_tracker(backend: Backend, review_id: str, progress: MemberProgress) -> None:
    """The tracker is a view, rewritten whole at each change: if it cannot be written now, the review goes on."""
    rows = [{"member": m.name, "agency": m.agency, "status": m.status, "answered": _day(m.answered_at)}
            for m in progress.members]
    try:
        backend.tracker.write(review_id, rows)
    except ScrError as exc:
        log.warning("review %s: the tracker sheet was not updated this time (%s); it is rewritten at the next "
                    "change", review_id, type(exc).__name__)


def _day(moment: dt.datetime | None) -> str:
    return moment.date().isoformat() if moment else ""
