"""The member roster and the progress tracker in Google Sheets, through gspread and the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from scr.backends.google.errors import GoogleNotFound
from scr.backends.google.sheets import Tracker, read_roster
from scr.errors import ConfigError
from tests.google_emulator import GoogleEmulator

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "example-board.yaml"


def _roster(emu: GoogleEmulator, rows: list[list[str]], title: str = "Members") -> str:
    gc = emu.gspread_client()
    book = gc.create("Board roster")
    sheet = book.add_worksheet(title, rows=20, cols=6)
    sheet.update(rows, "A1")
    return book.id


def test_roster_reads_members_in_any_column_order(emu: GoogleEmulator) -> None:
    book = _roster(emu, [
        ["Email", "NAME", "Phone", "Agency", "Role"],
        ["ann@example.org", "Ann Lee", "0123", "Police", "Detective Inspector"],
        ["", "", "", "", ""],
        [" bob@example.org ", "Bob Roy", "", "Health, Community", "Designated nurse"],
    ])
    emu.reset_counts()
    members = read_roster(emu.gspread_client(), book)
    untitled = {"title": "", "surname": ""}  # a roster has no title column: greetings use the full name
    assert members == [
        {"name": "Ann Lee", "email": "ann@example.org", "agency": "Police", "role": "Detective Inspector", **untitled},
        {"name": "Bob Roy", "email": "bob@example.org", "agency": "Health, Community", "role": "Designated nurse",
         **untitled},
    ]
    assert emu.counts()["sheets.spreadsheets.values.get"] == 1


def test_roster_missing_column_is_named(emu: GoogleEmulator) -> None:
    book = _roster(emu, [["name", "email", "organisation", "role"], ["Ann", "ann@example.org", "Police", "DI"]])
    with pytest.raises(ConfigError) as caught:
        read_roster(emu.gspread_client(), book)
    assert caught.value.problems == [("row 1", "no column named 'agency'")]


def test_roster_problems_carry_row_numbers(emu: GoogleEmulator) -> None:
    book = _roster(emu, [
        ["name", "email", "agency", "role"],
        ["Ann Lee", "ann@example.org", "Police", "DI"],
        ["Bob Roy", "bob.example.org", "Health", "Nurse"],
        ["", "cat@example.org", "Education", "Head"],
        ["Ann Again", "ANN@example.org", "Police", "DS"],
    ])
    with pytest.raises(ConfigError) as caught:
        read_roster(emu.gspread_client(), book)
    where = [row for row, _ in caught.value.problems]
    assert where == ["row 3", "row 4", "row 5"]
    assert caught.value.problems[0][1].startswith("email:")
    assert "row 2" in caught.value.problems[2][1]
    assert "bob.example.org" not in str(caught.value)


def test_roster_refuses_one_agency_spelt_two_ways_naming_the_row(emu: GoogleEmulator) -> None:
    book = _roster(emu, [
        ["name", "email", "agency", "role"],
        ["Ann Lee", "ann@example.org", "Northshire Police", "DI"],
        ["Bob Roy", "bob@example.org", "Health", "Nurse"],
        ["", "", "", ""],
        ["Cat Day", "cat@example.org", "northshire  police", "DS"],
    ])
    with pytest.raises(ConfigError) as caught:
        read_roster(emu.gspread_client(), book)
    [(row, problem)] = caught.value.problems
    assert row == "row 5" and "'northshire  police' and 'Northshire Police' look like one agency" in problem


def test_roster_names_a_missing_worksheet_and_a_missing_sheet(emu: GoogleEmulator) -> None:
    book = _roster(emu, [["name", "email", "agency", "role"]], title="People")
    with pytest.raises(ConfigError, match="no worksheet named 'Members'"):
        read_roster(emu.gspread_client(), book)
    assert read_roster(emu.gspread_client(), book, worksheet="People") == []
    with pytest.raises(GoogleNotFound, match="shared with the account"):
        read_roster(emu.gspread_client(), "no-such-sheet")


def test_tracker_rewrites_the_review_sheet_with_one_values_update(emu: GoogleEmulator) -> None:
    gc = emu.gspread_client()
    book = gc.create("SCR tracker")
    tracker = Tracker(emu.gspread_client(), book.id)
    rows = [{"member": f"Member {n}", "agency": "Police", "status": "invited", "answered": ""} for n in range(13)]
    tracker.write("SCR-2026-014", rows)
    emu.reset_counts()
    rows[0] = {"member": "Member 0", "agency": "Police", "status": "answered", "answered": "2026-11-27 10:15"}
    tracker.write("SCR-2026-014", rows[:3])
    assert emu.counts() == {"sheets.spreadsheets.values.update": 1}
    sheet = gc.open_by_key(book.id).worksheet("SCR-2026-014")
    assert sheet.get_all_values() == [  # the ten rows left from the first write are blank now
        ["member", "agency", "status", "answered"],
        ["Member 0", "Police", "answered", "2026-11-27 10:15"],
        ["Member 1", "Police", "invited", ""],
        ["Member 2", "Police", "invited", ""],
    ]


def test_tracker_grows_and_refuses_answer_text(emu: GoogleEmulator) -> None:
    book = emu.gspread_client().create("SCR tracker")
    tracker = Tracker(emu.gspread_client(), book.id)
    tracker.write("SCR-2026-014", [])
    many = [{"member": f"M{n}", "agency": "A", "status": "invited", "answered": None} for n in range(80)]
    tracker.write("SCR-2026-014", many)
    values = emu.gspread_client().open_by_key(book.id).worksheet("SCR-2026-014").get_all_values()
    assert values[80] == ["M79", "A", "invited", ""]
    with pytest.raises(ValueError, match="comment"):
        tracker.write("SCR-2026-014", [{"member": "M", "comment": "text about the child"}])


def test_a_board_without_a_member_list_takes_its_members_from_the_roster_sheet(emu: GoogleEmulator) -> None:
    import yaml

    from scr.bootstrap import board_members
    from scr.config import parse_config, review_from_config

    raw = yaml.safe_load(EXAMPLE.read_text())
    listed = raw.pop("members")
    book = _roster(emu, [["name", "email", "agency", "role"]]
                   + [[m["name"], m["email"], m["agency"], m["role"]] for m in listed])
    raw["google"] = {"credentials": "anonymous", "api_root": emu.origin, "drive_folder_id": "1Folder",
                     "roster_sheet_id": book}
    config = parse_config(raw)
    assert config.members == []
    review = review_from_config(config, board_members(config))
    assert [m.email for m in review.members] == [m["email"] for m in listed]
    assert len(review.agencies) == 9


def test_a_board_with_neither_members_nor_a_roster_sheet_is_told_what_to_add() -> None:
    import yaml

    from scr.config import parse_config

    raw = yaml.safe_load(EXAMPLE.read_text())
    del raw["members"]
    with pytest.raises(ConfigError) as problem:
        parse_config(raw, "board.yaml")
    assert "roster_sheet_id" in str(problem.value) and "members" in str(problem.value)


def test_sheets_requests_go_through_the_gateway_a_rate_limit_retried_a_refusal_named(emu: GoogleEmulator) -> None:
    from scr.backends.google.errors import GoogleAccessError

    book = emu.gspread_client().create("SCR tracker")
    tracker = Tracker(emu.gspread_client(), book.id)
    rows = [{"member": "Member 0", "agency": "Police", "status": "invited", "answered": ""}]
    tracker.write("SCR-2026-014", rows)
    emu.reset_counts()
    emu.faults.fail("sheets.spreadsheets.values.update", status=403, reason="rateLimitExceeded")
    tracker.write("SCR-2026-014", rows)
    assert emu.counts() == {"sheets.spreadsheets.values.update": 2}
    emu.faults.fail("sheets.spreadsheets.values.update", status=403, reason="accessNotConfigured")
    with pytest.raises(GoogleAccessError, match="not enabled in the Google Cloud project"):
        tracker.write("SCR-2026-014", rows)
