"""For the CSV importer (issue 13): real "Download responses (.csv)" files (tests/google_contract/csv) read as
the importer reads them.

``survey-checkboxes-ast.csv`` carries the owner's zone as ``AST``, which names no single offset: it is read as
wall time in the board's zone, and the reader says which text it assumed.
"""

from __future__ import annotations

import csv
import datetime as dt
from zoneinfo import ZoneInfo

from scr.backends.form_timestamps import date_order, read_timestamp
from tests.google_contract.shapes import HERE


def _rows(name: str) -> list[dict[str, str]]:
    with open(HERE / "csv" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_timestamp_of_a_real_gmt_plus_one_download_is_read_as_its_own_instant():
    rows = _rows("grid-ratings-gmt-plus-1.csv")
    order = date_order(row["Timestamp"] for row in rows)
    stamps = [read_timestamp(row["Timestamp"], ZoneInfo("Europe/London"), order) for row in rows]
    assert None not in stamps and all(s.assumed is None for s in stamps)
    read = [s.at for s in stamps]
    assert read[0] == dt.datetime(2026, 5, 20, 12, 43, 1, tzinfo=dt.UTC)  # 1:43:01 PM GMT+1
    assert read[4] == dt.datetime(2026, 5, 22, 10, 57, 53, tzinfo=dt.UTC)  # 11:57:53 AM GMT+1
    assert read == sorted(read)


def test_a_real_download_quotes_every_cell_and_keeps_checkbox_choices_and_line_breaks():
    rows = _rows("survey-checkboxes-ast.csv")
    efforts = "What types of sustainability efforts do you think Gecko should participate in? (Pick top 2!)"
    assert rows[0][efforts].split(";") == ["Waste management (food, trash, technical waste, recycling, compost, etc)",
                                          "Community service / outreach"]  # commas inside a choice, ";" between
    assert "\n\n" in rows[4]["What else do you think Gecko should be doing on a sustainability front?"]
    assert rows[0]["Timestamp"].endswith(" AM AST")


def test_a_real_download_in_the_owners_zone_abbreviation_is_read_as_wall_time_in_the_boards_zone():
    rows = _rows("survey-checkboxes-ast.csv")
    order = date_order(row["Timestamp"] for row in rows)
    london = [read_timestamp(row["Timestamp"], ZoneInfo("Europe/London"), order) for row in rows]
    assert None not in london
    assert all(s.assumed == "AST" for s in london), "not London's: read as wall time there, and said so"
    assert all(s.at.tzinfo == dt.UTC for s in london)
