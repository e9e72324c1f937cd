"""Lead reviewers: send them the factor summary and follow their review of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scr.domain.email import EmailAddress
from scr.domain.model import Stage
from scr.errors import ReviewCancelled
from scr.ports import document_refs
from scr.services import messages
from scr.services.backend import Backend
from scr.services.unit_of_work import ReviewWork, work_on


@dataclass(frozen=True)
class ReviewerStatus:
    name: str
    comments: int
    proposals: int
    completed_at: dt.datetime | None


@dataclass(frozen=True)
class ReviewerProgress:
    deadline: dt.datetime
    reviewers: tuple[ReviewerStatus, ...]
    excused: tuple[str, ...] = ()  # names of reviewers the business manager decided to go ahead without

    @property
    def complete(self) -> bool:
        return all(r.completed_at is not None for r in self.reviewers if r.name not in self.excused)


def open_reviewer_window(backend: Backend, review_id: str) -> dt.datetime:
    """Fix the lead reviewers' deadline the first time it is asked for; later calls return it unchanged."""
    schedule = backend.store.schedule(review_id)
    if schedule.reviewer_deadline is None:
        due = schedule.deadline_after(backend.clock.now(), schedule.reviewer_working_days)
        schedule = backend.store.update_schedule(review_id, reviewer_deadline=due)
    return schedule.reviewer_deadline


def circulate_summary(backend: Backend, review_id: str) -> int:
    """Send each lead reviewer their link to the factor summary, once. Returns how many went out.

    The channel gives each reviewer access as it makes their link (on Google, their own copy of the summary,
    shared with them alone)."""
    store = backend.store
    if store.schedule(review_id).cancelled:
        raise ReviewCancelled(review_id)
    deadline = open_reviewer_window(backend, review_id)
    review = store.get_review(review_id)
    summary = document_refs(store, review_id, "factor-summary")
    already = {e.person_email for e in store.events(review_id, "summary_sent")}
    to_send = [r for r in review.lead_reviewers if r.address not in already]
    for reviewer in to_send:
        messages.send_link(backend, review, "summary-ready", reviewer,
                           backend.reviewers.link_for(review, reviewer, summary),
                           event="summary_sent", reviewer=reviewer, deadline=deadline,
                           personal=backend.reviewers.personal_links)
    store.set_stage(review_id, Stage.WITH_REVIEWERS)  # only once everyone was sent it
    return len(to_send)


def collect_reviewer_input(backend: Backend, review: str | ReviewWork) -> int:
    """Bring comments and completions given where reviewers comment (web page or Google Doc) into the store."""
    return backend.reviewers.collect(work_on(backend, review).review)


def reviewer_progress(backend: Backend, review: str | ReviewWork) -> ReviewerProgress:
    """How far each lead reviewer has got: counts and times only, never what they wrote."""
    work = work_on(backend, review)
    inputs = backend.store.reviewer_inputs(work.review_id)
    schedule = work.schedule
    excused = {EmailAddress(email) for email in schedule.excused_reviewers}
    return ReviewerProgress(
        deadline=schedule.reviewer_deadline,
        excused=tuple(i.reviewer.name for i in inputs if i.reviewer.address in excused),
        reviewers=tuple(
            ReviewerStatus(i.reviewer.name, len(i.comments), sum(1 for t in i.proposals.values() if t),
                           i.completed_at)
            for i in inputs
        ),
    )
