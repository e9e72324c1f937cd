"""Working-day arithmetic for deadlines and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def add_working_days(start: dt.datetime, days: int, holidays: Iterable[dt.date] = ()) -> dt.datetime:
    """The moment ``days`` working days (Monday to Friday, not a holiday) after ``start``."""
    skip = set(holidays)
    moment = start
    remaining = days
    while remaining > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() < 5 and moment.date() not in skip:
            remaining -= 1
    return moment


def answer_is_late(deadlines: dict, at: dt.datetime) -> bool:
    """An answer is late after the response deadline, or after member input was closed early."""
    ends = [dt.datetime.fromisoformat(deadlines[k]) for k in ("response_deadline", "closed_at") if deadlines.get(k)]
    return any(at > end for end in ends)
