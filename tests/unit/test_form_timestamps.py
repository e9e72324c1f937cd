"""Reading Google Forms CSV timestamps as owners' zones and locales write them (sources in the module docstring
of scr.backends.form_timestamps): exact where the text names an offset, the board's wall time where it does not."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from scr.backends.form_timestamps import date_order, read_timestamp

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
HALIFAX = ZoneInfo("America/Halifax")


@pytest.mark.parametrize(("text", "expected"), [
    ("2026/11/27 10:15:03 AM GMT", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
    ("2026/11/27 12:15:03 AM GMT", dt.datetime(2026, 11, 27, 0, 15, 3, tzinfo=UTC)),
    ("2026/11/27 12:15:03 PM GMT-05:00", dt.datetime(2026, 11, 27, 17, 15, 3, tzinfo=UTC)),
    ("2026/11/27 22:15 GMT+5:30", dt.datetime(2026, 11, 27, 16, 45, tzinfo=UTC)),
    ("2026-11-27T10:15:03.123456789+01:00", dt.datetime(2026, 11, 27, 9, 15, 3, 123456, tzinfo=UTC)),
    ("2026-11-27T10:15:03Z", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
    # public exports: lower-case marker and half-hour offset (en-IN); hour without a leading zero, GMT+3
    ("2025/09/03 10:51:02 am GMT+5:30", dt.datetime(2025, 9, 3, 5, 21, 2, tzinfo=UTC)),
    ("2026/09/27 3:00:00 PM GMT+3", dt.datetime(2026, 9, 27, 12, 0, tzinfo=UTC)),
    # Spanish-locale markers, and UTC with an offset
    ("2026/03/10 7:42:00 p. m. GMT-5", dt.datetime(2026, 3, 11, 0, 42, tzinfo=UTC)),
    ("2026/03/10 7:42:00 a.m. UTC+1", dt.datetime(2026, 3, 10, 6, 42, tzinfo=UTC)),
])
def test_a_timestamp_that_names_its_offset_is_read_exactly(text: str, expected: dt.datetime) -> None:
    stamp = read_timestamp(text, HALIFAX)  # the board's zone plays no part
    assert stamp is not None and stamp.at == expected and stamp.assumed is None


def test_a_zone_abbreviation_is_wall_time_in_the_boards_zone_and_said_to_be_assumed() -> None:
    # GeckoRobotics/gecko-sustainability components/Form.tsx: "2022/06/22 11:07:29 AM AST" (a real export)
    text = "2026/03/10 12:06:24 PM AST"
    london, halifax = read_timestamp(text, LONDON), read_timestamp(text, HALIFAX)
    assert london is not None and halifax is not None
    assert london.at == dt.datetime(2026, 3, 10, 12, 6, 24, tzinfo=UTC) and london.assumed == "AST"
    # Halifax keeps ADT from 8 March 2026, so "AST" is not its own name that day: still assumed, as wall time
    assert halifax.at == dt.datetime(2026, 3, 10, 15, 6, 24, tzinfo=UTC) and halifax.assumed == "AST"
    assert london.key == halifax.key == "2026-03-10T12:06:24 AST"  # a re-import in another zone doubles nothing
    february = read_timestamp("2026/02/10 12:06:24 PM AST", HALIFAX)
    assert february is not None and february.assumed is None  # Halifax's own abbreviation in winter: exact
    assert february.at == dt.datetime(2026, 2, 10, 16, 6, 24, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026/07/01 09:00:00 BST", dt.datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),
    ("2026/07/01 09:00:00", dt.datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),
    ("2026-11-27 10:15:03", dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)),
])
def test_the_boards_own_abbreviation_is_exact_and_no_zone_is_the_boards_wall_time(text, expected) -> None:
    stamp = read_timestamp(text, LONDON)
    assert stamp is not None and stamp.at == expected
    assert stamp.assumed == (None if "BST" in text else "")


@pytest.mark.parametrize(("texts", "order"), [
    (["27/11/2026 10:15:03", "03/04/2026 10:15:03"], "dmy"),
    (["11/27/2026 10:15:03", "03/04/2026 10:15:03"], "mdy"),
    (["03/04/2026 10:15:03"], None),
    (["27/11/2026 10:15:03", "11/27/2026 10:15:03"], None),  # the file contradicts itself
    (["2026/11/27 10:15:03 AM GMT"], None),
])
def test_the_file_settles_the_order_of_day_and_month_or_nothing_is_guessed(texts, order) -> None:
    assert date_order(texts) == order
    second = read_timestamp(texts[-1], LONDON, order)
    if order is None and "/2026" in texts[-1]:
        assert second is None
    elif order == "dmy":
        assert second is not None and second.at.date() == dt.date(2026, 4, 3)
    elif order == "mdy":
        assert second is not None and second.at.date() == dt.date(2026, 3, 4)


@pytest.mark.parametrize("text", ["2026/11/27 13:15:03 PM GMT", "2026/02/30 10:15:03", "", "yesterday",
                                  "2026/11/27 10:15:03 AM Mars/Olympus"])
def test_what_is_not_a_timestamp_is_not_read(text: str) -> None:
    assert read_timestamp(text, LONDON, "dmy") is None
