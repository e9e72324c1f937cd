"""A review's schedule: the board's working days, the deadlines fixed as the review runs, and the business
manager's decisions about time (close early, include late answers, go ahead without a reviewer, cancel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

from scr.domain.calendar import add_working_days


@dataclass(frozen=True)
class Schedule:
    """Everything about a review's timing; ``None`` (or empty, or False) until it has happened."""

    # from the board's configuration
    response_working_days: int = 10
    reminder_working_days: tuple[int, ...] = (5, 8)
    reviewer_working_days: int = 7
    holidays: tuple[dt.date, ...] = ()
    end_of_day: dt.time = dt.time(17, 0)  # deadlines fall at this time, in the board's zone
    timezone: str = "Europe/London"
    # fixed while the review runs
    opened_at: dt.datetime | None = None
    response_deadline: dt.datetime | None = None
    reminders: tuple[dt.datetime, ...] = ()
    closed_at: dt.datetime | None = None
    reviewer_deadline: dt.datetime | None = None
    # the business manager's decisions
    close_now: bool = False
    include_late: bool = False
    cancelled_at: dt.datetime | None = None
    excused_reviewers: frozenset[str] = frozenset()

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def closed(self) -> bool:
        """Member input was closed (when the deadline passed, everyone answered, or the board closed it early)."""
        return self.closed_at is not None

    def is_late(self, at: dt.datetime) -> bool:
        """An answer is late after the response deadline, or after member input was closed early."""
        return any(at > end for end in (self.response_deadline, self.closed_at) if end is not None)

    def working_days_after(self, start: dt.datetime, days: int) -> dt.datetime:
        """The moment ``days`` working days after ``start``, skipping weekends and the board's holidays."""
        return add_working_days(start, days, self.holidays)

    def deadline_after(self, start: dt.datetime, days: int) -> dt.datetime:
        """A deadline ``days`` working days after ``start``: that day at the end of the working day
        (``end_of_day``, 17:00 by default) in the board's zone, never at whatever minute ``start`` was."""
        zone = ZoneInfo(self.timezone)
        day = add_working_days(start.astimezone(zone), days, self.holidays).date()
        return dt.datetime.combine(day, self.end_of_day, tzinfo=zone)

    def reminders_due(self, now: dt.datetime) -> list[int]:
        """The reminder days (numbered from 0) that have come by ``now``; none once members may no longer answer
        on time (the deadline passed, input closed or closing, or the review cancelled): a reminder after the
        deadline would ask for input "by" a time already gone."""
        deadline_passed = self.response_deadline is not None and now >= self.response_deadline
        if self.closed or self.close_now or self.cancelled or deadline_passed:
            return []
        return [i for i, at in enumerate(self.reminders) if at <= now]


SCHEDULE_FIELDS = frozenset(f.name for f in fields(Schedule))
