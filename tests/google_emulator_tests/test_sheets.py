"""Sheets v4 through gspread 6.2.1 (hooked with a URL-rewriting session) and googleapiclient."""

from __future__ import annotations

import gspread
import pytest

from tests.google_emulator import GoogleEmulator


def test_gspread_round_trip(emu: GoogleEmulator) -> None:
    gc = emu.gspread_client()
    book = gc.create("QM6 responses")
    sheet = book.add_worksheet("Responses", rows=20, cols=5)
    sheet.update([["member", "factor", "score"], ["ann", "scope", 4]], "A1")
    sheet.append_row(["bob", "scope", "3"], value_input_option="USER_ENTERED")
    assert sheet.get_all_records() == [
        {"member": "ann", "factor": "scope", "score": 4},
        {"member": "bob", "factor": "scope", "score": 3},
    ]
    assert [w.title for w in gc.open_by_key(book.id).worksheets()] == ["Sheet1", "Responses"]
    counts = emu.counts()
    assert counts["sheets.spreadsheets.values.append"] == 1
    assert counts["drive.files.create"] == 1


def test_gspread_batch_update_clear_and_rename(emu: GoogleEmulator) -> None:
    sheet = emu.gspread_client().create("Book").sheet1
    sheet.batch_update([{"range": "A1:B1", "values": [["a", "b"]]}, {"range": "A2", "values": [["c"]]}])
    assert sheet.get_all_values() == [["a", "b"], ["c", ""]]
    sheet.update_title("Renamed")
    sheet.clear()
    assert sheet.get_all_values() == [[]]
    assert sheet.spreadsheet.worksheets()[0].title == "Renamed"


def test_writing_outside_the_grid_is_refused(emu: GoogleEmulator) -> None:
    book = emu.gspread_client().create("Book")
    small = book.add_worksheet("Small", rows=2, cols=2)
    with pytest.raises(gspread.exceptions.APIError, match="exceeds grid limits"):
        small.update([["a"], ["b"], ["c"]], "A1")


def test_values_through_googleapiclient(emu: GoogleEmulator) -> None:
    sheets = emu.build("sheets")
    book = sheets.spreadsheets().create(body={"properties": {"title": "B"}}).execute()
    values = sheets.spreadsheets().values()
    values.update(spreadsheetId=book["spreadsheetId"], range="Sheet1!A1", valueInputOption="USER_ENTERED",
                  body={"values": [["x", "2", "TRUE"]]}).execute()
    got = values.get(spreadsheetId=book["spreadsheetId"], range="Sheet1!A1:C1",
                     valueRenderOption="UNFORMATTED_VALUE").execute()
    assert got["values"] == [["x", 2, True]]
