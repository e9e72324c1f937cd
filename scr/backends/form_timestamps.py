"""Reading the Timestamp column of Google Forms' "Download responses (.csv)", as owners' locales write it.

Google writes each timestamp in the form owner's zone and locale. Seen in public exports:

  ``2022/06/22 11:07:29 AM AST``      GeckoRobotics/gecko-sustainability, components/Form.tsx (rows of a real
                                      form's responses): a zone *abbreviation*, which names no single offset
                                      (AST is Atlantic Standard Time, UTC-4, and Arabia Standard Time, UTC+3)
  ``2025/09/03 10:51:02 am GMT+5:30`` a school's fee form, quoted in its viewer's README: lower-case marker,
                                      half-hour offset (an en-IN owner)
  ``2026/09/27 3:00:00 PM GMT+3``     an LMS's import tests of Google Forms CSVs: hour without a leading zero
  ``7:42 p. m. GMT-5``                Spanish-locale markers (es-CO, es-PE) as ``Intl.DateTimeFormat`` and
                                      Google write them
  ``27/11/2026 10:15:03``             the linked Sheet's cells pasted into a file, in an en-GB (day first) or
  ``11/27/2026 10:15:03``             en-US (month first) locale; ISO ``2026-11-27T10:15:03Z`` from scripts

Read exactly: ``Z``, ``UTC``, ``GMT``, ``GMT±H[:MM]``, ``UTC±H[:MM]``, ``±HH:MM``, and an abbreviation the board's
own zone uses at that moment (``BST``/``GMT`` for Europe/London). Anything else (another abbreviation, or no
zone at all) is ambiguous: it is read as wall time in the board's zone (``deadlines.timezone``), and the importer
says so once. A day-and-month date is read in the order the file itself proves (a day over 12 somewhere, and
nothing against it); a file that never settles the order is reported, not guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

__all__ = ["Stamp", "date_order", "read_timestamp"]

_DATE = r"(?:(?P<y>\d{4})[/.-](?P<m>\d{1,2})[/.-](?P<d>\d{1,2})|(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y2>\d{4}))"
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
_HALF = r"(?P<half>[ap])\.?\s?m\.?"
_ZONE = (r"(?P<utc>Z|(?:UTC|GMT)(?:(?P<zs>[+-])(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?)?)"
         r"|(?P<os>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})|(?P<abbr>[A-Z]{2,5})")
_TIMESTAMP = re.compile(rf"{_DATE},?[ T]{_TIME}(?:\s*{_HALF})?(?:\s*(?:{_ZONE}))?", re.IGNORECASE)


@dataclass(frozen=True)
class Stamp:
    """A timestamp read: the moment, and ``assumed`` (the zone text, or "" for none) when it was ambiguous and
    read as wall time in the board's zone. ``key`` is the same whatever the board's zone (for de-duplication)."""

    at: dt.datetime
    assumed: str | None
    key: str


def date_order(texts: Iterable[str]) -> str | None:
    """"dmy" or "mdy" when the day-and-month dates in ``texts`` prove one order (and none the other); else None."""
    seen = set()
    for text in texts:
        found = _TIMESTAMP.fullmatch(text.strip())
        if found and found["a"]:
            first, second = int(found["a"]), int(found["b"])
            seen |= {"dmy"} if first > 12 else set()
            seen |= {"mdy"} if second > 12 else set()
    return seen.pop() if len(seen) == 1 else None


def read_timestamp(text: str, zone: ZoneInfo, order: str | None = None) -> Stamp | None:
    """The moment a Google Forms CSV timestamp names (formats in the module docstring); None if unread."""
    found = _TIMESTAMP.fullmatch(text.strip())
    if not found:
        return None
    if found["a"] and order is None:
        return None  # 03/04/2026: the file does not say which is the day
    if found["a"]:
        day, month = (found["a"], found["b"]) if order == "dmy" else (found["b"], found["a"])
        date = (int(found["y2"]), int(month), int(day))
    else:
        date = (int(found["y"]), int(found["m"]), int(found["d"]))
    hour = int(found["H"])
    if found["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found["half"].lower() == "p" else 0)
    micro = int((found["f"] or "0")[:6].ljust(6, "0"))
    try:
        wall = dt.datetime(*date, hour, int(found["M"]), int(found["S"] or 0), micro)
    except ValueError:
        return None
    offset = _offset(found)
    if offset is not None:
        at = wall.replace(tzinfo=dt.timezone(offset))
        return Stamp(at, None, at.isoformat())
    local = wall.replace(tzinfo=zone)
    abbr = (found["abbr"] or "").upper()
    assumed = None if abbr and abbr == local.tzname() else abbr
    return Stamp(local.astimezone(dt.UTC), assumed, f"{wall.isoformat()} {abbr}".strip())


def _offset(found: re.Match) -> dt.timedelta | None:
    """The offset the timestamp states, or None when it states none (no zone, or an abbreviation)."""
    if found["utc"]:
        sign, hours, minutes = found["zs"], found["zh"], found["zm"]
    elif found["os"]:
        sign, hours, minutes = found["os"], found["oh"], found["om"]
    else:
        return None
    if not sign:
        return dt.timedelta(0)
    return dt.timedelta(hours=int(hours), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
