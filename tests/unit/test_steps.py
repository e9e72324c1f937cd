"""The process written once: for a review's state and the time, which steps are due (scr.domain.steps)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from scr.domain.model import Stage
from scr.domain.schedule import Schedule
from scr.domain.steps import ReviewState, Step, due_steps

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=3)
EARLIER = NOW - dt.timedelta(days=3)
OPEN_WINDOW = Schedule(opened_at=EARLIER, response_deadline=LATER, reminders=(LATER,))


def state(stage: Stage, **changes) -> ReviewState:
    """A review of 13 members at ``stage``, all invited, nobody answered, nothing new, input arriving by itself."""
    base = ReviewState(review_id="SCR-2026-014", stage=stage, schedule=OPEN_WINDOW, members=13, invited=13,
                       answered=0, reminder_sent=True, members_changed=False, members_fetched=False,
                       reviewers_complete=False, reviewers_changed=False, reviewers_fetched=False,
                       board_asked=False, decided=False)
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(("review", "due"), [
    (state(Stage.STARTED, invited=0), (Step.INVITE, Step.CHECK_MEMBERS)),
    (state(Stage.COLLECTING, invited=5), (Step.INVITE,)),  # a run died part-way through the invitations
    (state(Stage.COLLECTING), ()),  # waiting for people: no run needed
    (state(Stage.COLLECTING, members_changed=True, answered=4), (Step.CHECK_MEMBERS,)),
    (state(Stage.COLLECTING, members_fetched=True), (Step.CHECK_MEMBERS,)),  # a Google Form is read at every look
    (state(Stage.COLLECTING, schedule=dataclasses.replace(OPEN_WINDOW, reminders=(EARLIER,)), reminder_sent=False),
     (Step.CHECK_MEMBERS,)),
    (state(Stage.COLLECTING, answered=13), (Step.CLOSE, Step.SUMMARISE)),
    (state(Stage.COLLECTING, schedule=dataclasses.replace(OPEN_WINDOW, close_now=True)),
     (Step.CLOSE, Step.SUMMARISE)),
    (state(Stage.COLLECTING, schedule=dataclasses.replace(OPEN_WINDOW, response_deadline=NOW)),
     (Step.CLOSE, Step.SUMMARISE)),
    (state(Stage.COLLECTING, invited=12, answered=12), (Step.INVITE,)),  # never closed before all are invited
    (state(Stage.CONSOLIDATED), (Step.CIRCULATE,)),
    (state(Stage.WITH_REVIEWERS, schedule=dataclasses.replace(OPEN_WINDOW, reviewer_deadline=LATER)), ()),
    (state(Stage.WITH_REVIEWERS, reviewers_changed=True), (Step.CHECK_REVIEWERS,)),
    (state(Stage.WITH_REVIEWERS, reviewers_complete=True), (Step.DRAFT,)),
    (state(Stage.WITH_REVIEWERS, schedule=dataclasses.replace(OPEN_WINDOW, reviewer_deadline=EARLIER),
           reviewers_fetched=True), (Step.CHECK_REVIEWERS, Step.DRAFT)),
    (state(Stage.DRAFTED), (Step.ASK_BOARD,)),
    (state(Stage.DRAFTED, board_asked=True), ()),  # waiting for the recorded decision
    (state(Stage.DRAFTED, board_asked=True, decided=True), (Step.AGREE,)),
    (state(Stage.AGREED), (Step.FINISH,)),
    (state(Stage.COMPLETE), ()),
    (state(Stage.COLLECTING, answered=13, schedule=dataclasses.replace(OPEN_WINDOW, cancelled_at=EARLIER)), ()),
], ids=lambda v: v.stage if isinstance(v, ReviewState) else None)
def test_due_steps(review, due):
    assert due_steps(review, NOW) == due


def test_no_reminder_is_due_once_the_deadline_has_passed():
    """A reminder then would ask for input 'by' a time already gone; the close tells the business manager instead."""
    schedule = dataclasses.replace(OPEN_WINDOW, reminders=(EARLIER,), response_deadline=NOW)
    assert schedule.reminders_due(NOW - dt.timedelta(minutes=1)) == [0]
    assert schedule.reminders_due(NOW) == []
    assert due_steps(state(Stage.COLLECTING, schedule=schedule, reminder_sent=False), NOW) == (Step.CLOSE,
                                                                                               Step.SUMMARISE)
