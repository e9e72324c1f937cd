"""For the CSV importer (issue 13): real "Download responses (.csv)" files (tests/google_contract/csv) read as
the importer reads them.

Only what passes today is asserted here. ``survey-checkboxes-ast.csv`` (the owner's zone as ``AST``)
is not read yet: it is listed in tests/google_contract/csv/README.md for issue 13.
"""

from __future__ import annotations

import csv
import datetime as dt

from scr.backends.csv_import import parse_timestamp
from tests.google_contract.shapes import HERE


def _rows(name: str) -> list[dict[str, str]]:
    with open(HERE / "csv" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_timestamp_of_a_real_gmt_plus_one_download_is_read_as_its_own_instant():
    rows = _rows("grid-ratings-gmt-plus-1.csv")
    read = [parse_timestamp(row["Timestamp"]) for row in rows]
    assert None not in read
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
