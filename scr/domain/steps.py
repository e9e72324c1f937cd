"""The commissioning process, written once: for where a review stands and the time, which steps are due.

A review moves through its stages by steps (invite the members, check their answers, close member input,
write the factor summary, ...). Nothing here waits: ``due_steps`` looks at a ``ReviewState`` loaded once
from the store and says what to do now; ``scr.services.advancing`` does those steps, loads the state again
and asks again, each step at most once a run, until nothing new is due. A review waiting for people has
nothing due, and holds no process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from scr.domain.model import Stage
from scr.domain.schedule import Schedule


class Step(StrEnum):
    """A business step; the value is the name its Prefect task run carries."""

    INVITE = "invite-members"
    CHECK_MEMBERS = "check-member-answers"  # bring in answers, send due reminders, report progress (may recur)
    CLOSE = "close-member-input"
    SUMMARISE = "write-factor-summary"
    CIRCULATE = "circulate-summary"
    CHECK_REVIEWERS = "check-reviewers-input"  # bring in comments and completions, report progress
    DRAFT = "draft-terms-of-reference"
    ASK_BOARD = "ask-for-the-decision"
    AGREE = "agree-terms-of-reference"
    FINISH = "finish-review"


@dataclass(frozen=True)
class ReviewState:
    """What deciding the due steps needs, read from the store once per look: counts and flags, no answer text.

    ``members_changed`` and ``reviewers_changed`` say that input arrived since progress was last reported;
    ``*_fetched`` say that input may wait elsewhere (a Google Form or Doc) to be fetched, rather than arriving
    in the store by itself (the local web app): looked for before a run is given, assumed within a run.
    """

    review_id: str
    stage: Stage
    schedule: Schedule
    members: int
    invited: int
    answered: int
    reminder_sent: bool  # the latest reminder that has come (if any) went to everyone it was due to
    members_changed: bool
    members_fetched: bool
    reviewers_complete: bool
    reviewers_changed: bool
    reviewers_fetched: bool
    board_asked: bool
    decided: bool


OPEN = (Stage.STARTED, Stage.COLLECTING, Stage.CONSOLIDATED, Stage.WITH_REVIEWERS, Stage.DRAFTED, Stage.AGREED)


def due_steps(state: ReviewState, now: dt.datetime) -> tuple[Step, ...]:
    """The steps due now for a review in ``state``, in order; empty when it waits for people (or is over)."""
    schedule = state.schedule
    if schedule.cancelled or state.stage not in OPEN:
        return ()
    if state.stage in (Stage.STARTED, Stage.COLLECTING):
        steps: list[Step] = []
        if state.invited < state.members:
            steps.append(Step.INVITE)
        reminder_due = bool(schedule.reminders_due(now)) and not state.reminder_sent
        if state.members_fetched or state.members_changed or reminder_due or state.stage is Stage.STARTED:
            steps.append(Step.CHECK_MEMBERS)
        deadline_passed = schedule.response_deadline is not None and now >= schedule.response_deadline
        if state.invited >= state.members and (state.answered >= state.members or schedule.close_now
                                                or deadline_passed):
            steps += [Step.CLOSE, Step.SUMMARISE]
        return tuple(steps)
    if state.stage is Stage.CONSOLIDATED:
        return (Step.CIRCULATE,)
    if state.stage is Stage.WITH_REVIEWERS:
        steps = [Step.CHECK_REVIEWERS] if state.reviewers_fetched or state.reviewers_changed else []
        deadline = schedule.reviewer_deadline
        if state.reviewers_complete or (deadline is not None and now >= deadline):
            steps.append(Step.DRAFT)
        return tuple(steps)
    if state.stage is Stage.DRAFTED:
        return ((Step.ASK_BOARD,) if not state.board_asked else ()) + ((Step.AGREE,) if state.decided else ())
    return (Step.FINISH,)  # AGREED
