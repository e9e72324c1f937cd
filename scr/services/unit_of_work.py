"""One step's unit of work on one review: what the step reads of the review, it reads once, and passes on.

A step (one members' poll, one reviewers' poll, the close of member input) opens a ``ReviewWork`` for the
review and hands it to each function it calls, instead of each one reading the review again by its id. The
review (its people), its schedule and its stage are read the first time one of them is asked for, then kept;
a change the step makes through the unit (``update_schedule``, ``set_stage``) keeps what the store returns, so
what it passes on stays true. What the step's own functions add as they go (answers, events) is read from
the store when asked, never kept here.

The business manager's decisions made while a step runs (an extension, an early close, a cancellation) are
seen by the next step, which opens its own unit. The functions a step calls take a review id or a unit
(``work_on``), so a caller with only the id keeps working.
"""

from __future__ import annotations

from functools import cached_property

from scr.domain.model import Review, Stage
from scr.domain.schedule import Schedule
from scr.errors import ReviewCancelled
from scr.services.backend import Backend

__all__ = ["ReviewWork", "work_on"]


class ReviewWork:
    """One review as one step sees it: read once, through the backend's store, and passed on."""

    def __init__(self, backend: Backend, review_id: str):
        self.backend, self.review_id = backend, review_id

    def __repr__(self) -> str:
        return f"ReviewWork({self.review_id!r})"

    @cached_property
    def review(self) -> Review:
        return self.backend.store.get_review(self.review_id)

    @cached_property
    def schedule(self) -> Schedule:
        return self.backend.store.schedule(self.review_id)

    @cached_property
    def stage(self) -> Stage:
        return self.backend.store.stage(self.review_id)

    def current(self) -> Schedule:
        """The schedule, as the step read it; a cancelled review stops the step."""
        if self.schedule.cancelled:
            raise ReviewCancelled(self.review_id)
        return self.schedule

    def update_schedule(self, **changes) -> Schedule:
        """Change the schedule in the store (one transaction) and keep the whole schedule it returns."""
        self.schedule = self.backend.store.update_schedule(self.review_id, **changes)
        return self.schedule

    def set_stage(self, stage: Stage) -> None:
        self.backend.store.set_stage(self.review_id, stage)
        self.stage = stage


def work_on(backend: Backend, review: str | ReviewWork) -> ReviewWork:
    """The unit a caller passed on, or a new one for a review id."""
    return review if isinstance(review, ReviewWork) else ReviewWork(backend, review)
