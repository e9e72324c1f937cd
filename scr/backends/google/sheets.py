"""Google Sheets through gspread: the board's member roster (read) and a progress tracker (written).

The tracker shows who has answered, never what: its only columns are member, agency, status, answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import gspread
import requests
from gspread.exceptions import APIError, SpreadsheetNotFound, WorksheetNotFound
from pydantic import ValidationError

from scr.backends.google.errors import (
    GoogleAccessError,
    GoogleError,
    GoogleNotFound,
    reason_codes,
    retrying,
    translate,
)
from scr.config import MemberConfig, agency_spelling_problems
from scr.domain.email import EmailAddress
from scr.errors import ConfigError

__all__ = ["ROSTER_COLUMNS", "TRACKER_COLUMNS", "Tracker", "read_roster"]

ROSTER_COLUMNS = ("name", "email", "agency", "role")
TRACKER_COLUMNS = ("member", "agency", "status", "answered")
_SPARE_ROWS = 50

T = TypeVar("T")


def read_roster(gc: gspread.Client, spreadsheet_id: str, worksheet: str = "Members") -> list[dict[str, str]]:
    """The members listed in `worksheet` (three requests); any problem raises ConfigError naming the rows.

    Row 1 holds the headers name, email, agency and role in any order and case; other columns are
    ignored and blank rows skipped. Each row is checked as a board configuration's member would be.
    """
    source = f"roster sheet {spreadsheet_id}, worksheet '{worksheet}'"
    book = _sheets(lambda: gc.open_by_key(spreadsheet_id), f"open the {source}")
    try:
        sheet = _sheets(lambda: book.worksheet(worksheet), f"open the {source}")
    except WorksheetNotFound:
        raise ConfigError(source, [("(worksheet)", f"no worksheet named '{worksheet}'; rename the members' "
                                                   "tab or give its name")]) from None
    values = _sheets(sheet.get_all_values, f"read the {source}")
    if not values:
        raise ConfigError(source, [("row 1", "the sheet is empty; row 1 must hold the column headers")])
    header = [cell.strip().lower() for cell in values[0]]
    missing = [column for column in ROSTER_COLUMNS if column not in header]
    if missing:
        raise ConfigError(source, [("row 1", f"no column named '{column}'") for column in missing])
    where = {column: header.index(column) for column in ROSTER_COLUMNS}
    members: list[dict[str, str]] = []
    problems: list[tuple[str, str]] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(values[1:], start=2):
        cells = {column: (row[i] if i < len(row) else "").strip() for column, i in where.items()}
        if not any(cells.values()):
            continue
        try:
            member = MemberConfig.model_validate(cells)
        except ValidationError as exc:
            problems += [(f"row {number}", f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                         for e in exc.errors(include_input=False)]
            continue
        key = EmailAddress(member.email)
        if key in first_row:
            problems.append((f"row {number}", f"email already listed on row {first_row[key]}"))
            continue
        first_row[key] = number
        members.append(member.model_dump())
    rows = list(first_row.values())  # the sheet row of each member, in order
    problems += [(f"row {rows[index]}", problem)
                 for index, problem in agency_spelling_problems([m["agency"] for m in members])]
    if problems:
        raise ConfigError(source, problems)
    return members


class Tracker:
    """A worksheet per review, named after it, rewritten whole by one values update per ``write``."""

    def __init__(self, gc: gspread.Client, spreadsheet_id: str):
        self._gc = gc
        self.spreadsheet_id = spreadsheet_id
        self._book: gspread.Spreadsheet | None = None
        self._sheets: dict[str, gspread.Worksheet] = {}

    def write(self, review_id: str, rows: Sequence[dict[str, Any]]) -> None:
        """Replace the review's worksheet with a header and `rows` (keys: member, agency, status, answered)."""
        for row in rows:
            extra = set(row) - set(TRACKER_COLUMNS)
            if extra:
                raise ValueError(f"tracker rows hold only {', '.join(TRACKER_COLUMNS)}; got {sorted(extra)}")
        values = [list(TRACKER_COLUMNS)] + [[_cell(row.get(c)) for c in TRACKER_COLUMNS] for row in rows]
        sheet = self._worksheet(review_id, len(values))
        if sheet.row_count < len(values):
            sheet = self._grow(review_id, sheet, len(values) + _SPARE_ROWS)
        values += [[""] * len(TRACKER_COLUMNS)] * (sheet.row_count - len(values))  # blank what was there
        _sheets(lambda: sheet.update(values, f"A1:D{len(values)}", raw=True), f"update the tracker for {review_id}")

    def _worksheet(self, review_id: str, needed: int) -> gspread.Worksheet:
        if review_id in self._sheets:
            return self._sheets[review_id]
        what = f"open the tracker sheet {self.spreadsheet_id}"
        if self._book is None:
            self._book = _sheets(lambda: self._gc.open_by_key(self.spreadsheet_id), what)
        book = self._book
        found = {s.title: s for s in _sheets(book.worksheets, what)}
        sheet = found.get(review_id) or _sheets(
            lambda: book.add_worksheet(review_id, rows=needed + _SPARE_ROWS, cols=len(TRACKER_COLUMNS)),
            f"add a tracker worksheet for {review_id}",
        )
        self._sheets[review_id] = sheet
        return sheet


    def _grow(self, review_id: str, sheet: gspread.Worksheet, rows: int) -> gspread.Worksheet:
        """Two requests, only when a review outgrows its grid: set the row count, re-read the sheet."""
        grid = {"sheetId": sheet.id, "gridProperties": {"rowCount": rows}}
        body = {"requests": [{"updateSheetProperties": {"properties": grid, "fields": "gridProperties.rowCount"}}]}
        book = sheet.spreadsheet
        what = f"grow the tracker for {review_id}"
        _sheets(lambda: book.batch_update(body), what)
        self._sheets[review_id] = _sheets(lambda: book.worksheet(review_id), what)
        return self._sheets[review_id]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _sheets(action: Callable[[], T], what: str) -> T:
    """Run a gspread call (gspread does not retry) under the gateway's retry policy; failures become GoogleErrors."""
    return retrying(lambda: _once(action, what))


def _once(action: Callable[[], T], what: str) -> T:
    """Run a gspread call, turning its failures into GoogleErrors (status only, no response body)."""
    try:
        return action()
    except requests.RequestException as exc:
        raise GoogleError(f"Could not {what}: Google Sheets could not be reached ({type(exc).__name__}).",
                          503) from None
    except SpreadsheetNotFound:
        raise GoogleNotFound(f"Could not {what}: not found (HTTP 404). Check the id, and that the sheet is "
                             "shared with the account.", 404) from None
    except PermissionError:
        raise GoogleAccessError(f"Could not {what}: access denied (HTTP 403). Share the sheet with the account "
                                "and grant the spreadsheets scope.", 403) from None
    except APIError as exc:  # the gateway's one reading of Google's answer: rate-limit 403s retried, fixes named
        error = exc.error if isinstance(exc.error, dict) else {}
        reasons = reason_codes(error.get("errors")) + reason_codes(error.get("details"))
        raise translate(exc.response.status_code, reasons, what, "sheets") from None
