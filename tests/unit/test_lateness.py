"""When an answer counts as late: after the deadline, or after member input was closed early."""

import datetime as dt

from scr.domain.schedule import Schedule

DEADLINE = dt.datetime(2026, 12, 10, 17, 0, tzinfo=dt.UTC)


def test_an_answer_before_the_deadline_is_on_time():
    assert not Schedule(response_deadline=DEADLINE).is_late(DEADLINE - dt.timedelta(minutes=1))


def test_an_answer_after_the_deadline_is_late():
    assert Schedule(response_deadline=DEADLINE).is_late(DEADLINE + dt.timedelta(seconds=1))


def test_once_input_is_closed_early_a_revision_before_the_deadline_is_late():
    closed = DEADLINE - dt.timedelta(days=3)
    schedule = Schedule(response_deadline=DEADLINE, closed_at=closed)
    assert schedule.is_late(closed + dt.timedelta(hours=1))
    assert not schedule.is_late(closed - dt.timedelta(hours=1))


def test_a_review_only_moves_forward_and_never_leaves_complete_or_cancelled():
    from scr.domain.model import Stage

    assert Stage.CONSOLIDATED.follows(Stage.COLLECTING)
    assert not Stage.CONSOLIDATED.follows(Stage.WITH_REVIEWERS)
    assert Stage.CANCELLED.follows(Stage.WITH_REVIEWERS)
    assert not Stage.COLLECTING.follows(Stage.CANCELLED) and not Stage.CANCELLED.follows(Stage.COMPLETE)


def test_moments_are_shown_in_uk_time_everywhere():
    from scr.domain.calendar import format_when
    from scr.rendering.environment import when

    summer = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert format_when(summer) == when(summer) == "1 July 2026, 13:00"
    assert format_when(winter) == "1 December 2026, 12:00"
    assert format_when(dt.date(2026, 12, 25)) == "25 December 2026" and format_when(None) == "not yet"
