"""Working-day arithmetic for deadlines and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

BOARD_TIME = ZoneInfo("Europe/London")  # boards in England and Wales: what people read is UK time


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


def board_time(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment as the board's clocks show it (UK time), for display; stored moments stay UTC."""
    return moment.astimezone(BOARD_TIME) if moment else None


def format_when(moment: dt.datetime | dt.date | None, empty: str = "not yet") -> str:
    """A date or moment as the board writes it, in UK time: '26 November 2026' or '26 November 2026, 14:05'."""
    if moment is None:
        return empty
    if isinstance(moment, dt.datetime):
        local = board_time(moment) if moment.tzinfo else moment
        return f"{local.day} {local:%B %Y, %H:%M}"
    return f"{moment.day} {moment:%B %Y}"


def format_deadline(moment: dt.datetime, timezone: str = "Europe/London") -> str:
    """A deadline as an email gives it, with its weekday, in the board's zone: 'Wednesday 16 December 2026 at
    17:00 (UK time)'; a zone other than the UK's is named."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = "UK time" if timezone == "Europe/London" else timezone
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({zone})"
