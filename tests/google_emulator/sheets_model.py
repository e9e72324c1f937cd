"""A spreadsheet's grids, A1 ranges, and how values go in (RAW / USER_ENTERED) and come out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import invalid

_SHEET_AND_CELLS = re.compile(r"(?:(?P<sheet>'(?:[^']|'')+'|[^!]+)!)?(?P<cells>.*)\Z", re.S)
_REF = re.compile(r"([A-Za-z]*)(\d*)\Z")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\Z")


@dataclass
class Sheet:
    properties: dict[str, Any]
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.properties["title"]

    @property
    def rows(self) -> int:
        return self.properties["gridProperties"]["rowCount"]

    @property
    def columns(self) -> int:
        return self.properties["gridProperties"]["columnCount"]


@dataclass
class Spreadsheet:
    spreadsheet_id: str
    sheets: list[Sheet]

    def sheet(self, title: str | None) -> Sheet:
        if title is None:
            return self.sheets[0]
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise invalid(f"Unable to parse range: {title}")

    def sheet_by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.properties["sheetId"] == sheet_id:
                return sheet
        raise invalid(f"No grid with id: {sheet_id}")


def sheet_properties(sheet_id: int, title: str, index: int, rows: int = 1000, columns: int = 26) -> dict:
    return {"sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": columns}}


@dataclass(frozen=True)
class Area:
    """A resolved range: a sheet and inclusive row/column bounds (0-based)."""

    sheet: Sheet
    row0: int
    col0: int
    row1: int
    col1: int
    bounded: bool  # whether the caller gave an end cell

    def a1(self) -> str:
        title = self.sheet.title
        quoted = title if re.fullmatch(r"[A-Za-z0-9_]+", title) else "'" + title.replace("'", "''") + "'"
        return f"{quoted}!{column_name(self.col0)}{self.row0 + 1}:{column_name(self.col1)}{self.row1 + 1}"


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def resolve(book: Spreadsheet, text: str) -> Area:
    """The area an A1 range names: 'Sheet 1'!A1:B2, Sheet1!A:C, Sheet1, A1:B2 (first sheet)."""
    found = _SHEET_AND_CELLS.match(text)
    assert found is not None
    title, cells = found.group("sheet"), found.group("cells")
    if title is None and (cells.startswith("'") or any(s.title == cells for s in book.sheets)):
        title, cells = cells, ""
    if title and title.startswith("'"):
        title = title[1:-1].replace("''", "'")
    sheet = book.sheet(title)
    if not cells:
        return Area(sheet, 0, 0, sheet.rows - 1, sheet.columns - 1, False)
    first, colon, last = cells.partition(":")
    start, end = _REF.match(first), _REF.match(last if colon else first)
    if not first or (colon and not last) or not start or not end:
        raise invalid(f"Unable to parse range: {text}")
    col0 = _column_index(start.group(1)) if start.group(1) else 0
    row0 = int(start.group(2)) - 1 if start.group(2) else 0
    col1 = _column_index(end.group(1)) if end.group(1) else sheet.columns - 1
    row1 = int(end.group(2)) - 1 if end.group(2) else sheet.rows - 1
    if row1 < row0 or col1 < col0 or row0 < 0:
        raise invalid(f"Unable to parse range: {text}")
    return Area(sheet, row0, col0, row1, col1, bool(colon))


def entered(value: Any, option: str) -> Any:
    """A value as stored after input with valueInputOption RAW or USER_ENTERED."""
    if option == "RAW" or not isinstance(value, str):
        return value
    if _NUMBER.match(value.strip()):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    return value


def rendered(value: Any, option: str) -> Any:
    """A stored value as values.get answers it (FORMATTED_VALUE, UNFORMATTED_VALUE or FORMULA)."""
    if option in ("UNFORMATTED_VALUE", "FORMULA"):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(area: Area, render: str, major: str) -> list[list[Any]]:
    """The values in `area`, trailing empty rows and cells trimmed as Google does."""
    rows = []
    for r in range(area.row0, min(area.row1, area.sheet.rows - 1) + 1):
        row = [area.sheet.cells.get((r, c), "") for c in range(area.col0, min(area.col1, area.sheet.columns - 1) + 1)]
        while row and row[-1] == "":
            row.pop()
        rows.append([rendered(v, render) if v != "" else "" for v in row])
    while rows and not rows[-1]:
        rows.pop()
    if major == "COLUMNS":
        width = max((len(r) for r in rows), default=0)
        rows = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
        rows = [_trim(col) for col in rows]
    return rows


def _trim(values: list[Any]) -> list[Any]:
    while values and values[-1] == "":
        values.pop()
    return values


def write(area: Area, values: list[list[Any]], option: str, major: str, grow: bool) -> Area:
    """Writes `values` from the area's top-left corner; returns the area written."""
    if major == "COLUMNS":
        width = max((len(r) for r in values), default=0)
        values = [[col[i] if i < len(col) else None for col in values] for i in range(width)]
    height, width = len(values), max((len(r) for r in values), default=0)
    last_row, last_col = area.row0 + height - 1, area.col0 + width - 1
    if area.bounded and (last_row > area.row1 or last_col > area.col1):
        raise invalid(f"Requested writing within range [{area.a1()}], but tried writing to "
                      f"{column_name(last_col)}{last_row + 1}")
    grid = area.sheet.properties["gridProperties"]
    if last_row >= grid["rowCount"] or last_col >= grid["columnCount"]:
        if not grow:
            raise invalid(f"Range ({area.a1()}) exceeds grid limits. Max rows: {grid['rowCount']}, "
                          f"max columns: {grid['columnCount']}")
        grid["rowCount"] = max(grid["rowCount"], last_row + 1)
        grid["columnCount"] = max(grid["columnCount"], last_col + 1)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value is None:
                continue
            key = (area.row0 + i, area.col0 + j)
            stored = entered(value, option)
            if stored == "":
                area.sheet.cells.pop(key, None)
            else:
                area.sheet.cells[key] = stored
    return Area(area.sheet, area.row0, area.col0, max(last_row, area.row0), max(last_col, area.col0), True)


def next_free_row(area: Area) -> int:
    """The first row below the last row holding data in the area's columns (values.append)."""
    used = [r for (r, c) in area.sheet.cells if area.col0 <= c <= area.col1 and r >= area.row0]
    return max(used) + 1 if used else area.row0
