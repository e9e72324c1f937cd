"""Sheets v4: what gspread 6.2.1 and our product call.

spreadsheets.create/get/batchUpdate (addSheet, deleteSheet, updateSheetProperties,
updateSpreadsheetProperties) and values.get/batchGet/update/batchUpdate/append/clear.
"""

from __future__ import annotations

import copy
from typing import Any

from . import sheets_model as model
from .errors import ApiError, invalid
from .state import SPREADSHEET, Call, State


def new_spreadsheet(state: State, spreadsheet_id: str) -> model.Spreadsheet:
    return model.Spreadsheet(spreadsheet_id, [model.Sheet(model.sheet_properties(0, "Sheet1", 0))])


def _book(state: State, spreadsheet_id: str) -> model.Spreadsheet:
    book = state.spreadsheets.get(spreadsheet_id)
    if book is None:
        raise ApiError(404, "Requested entity was not found.")
    return book


def _metadata(state: State, book: model.Spreadsheet) -> dict[str, Any]:
    return {
        "spreadsheetId": book.spreadsheet_id,
        "properties": {"title": state.files[book.spreadsheet_id]["name"], "locale": "en_GB",
                       "autoRecalc": "ON_CHANGE", "timeZone": "Europe/London"},
        "sheets": [{"properties": copy.deepcopy(s.properties)} for s in book.sheets],
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
    }


def create(call: Call) -> dict[str, Any]:
    body = call.body or {}
    title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
    meta = call.state.new_file(title, SPREADSHEET)
    book = new_spreadsheet(call.state, meta["id"])
    call.state.spreadsheets[meta["id"]] = book
    return _metadata(call.state, book)


def get(call: Call) -> dict[str, Any]:
    if call.param("includeGridData"):
        raise ApiError(501, "The emulator does not implement includeGridData; use values.get.")
    return _metadata(call.state, _book(call.state, call.param("spreadsheetId")))


def batch_update(call: Call) -> dict[str, Any]:
    state = call.state
    original = _book(state, call.param("spreadsheetId"))
    book = copy.deepcopy(original)
    title = state.files[book.spreadsheet_id]["name"]
    replies = []
    for i, request in enumerate((call.body or {}).get("requests", [])):
        if len(request) != 1:
            raise invalid(f"Invalid requests[{i}]: exactly one kind of request must be set.")
        kind, spec = next(iter(request.items()))
        if kind == "addSheet":
            replies.append({"addSheet": {"properties": _add_sheet(state, book, spec.get("properties") or {})}})
            continue
        if kind == "deleteSheet":
            sheet = book.sheet_by_id(spec.get("sheetId", -1))
            if len(book.sheets) == 1:
                raise invalid(f"Invalid requests[{i}].deleteSheet: You can't remove all the sheets in a document.")
            book.sheets.remove(sheet)
        elif kind == "updateSheetProperties":
            props = spec.get("properties") or {}
            sheet = book.sheet_by_id(props.get("sheetId", 0))
            _masked(sheet.properties, props, spec.get("fields"), i)
        elif kind == "updateSpreadsheetProperties":
            holder = {"title": title}
            _masked(holder, spec.get("properties") or {}, spec.get("fields"), i)
            title = holder.get("title", title)
        else:
            raise ApiError(501, f"The emulator does not implement spreadsheets.batchUpdate {kind}.")
        replies.append({})
    state.spreadsheets[book.spreadsheet_id] = book
    state.files[book.spreadsheet_id]["name"] = title
    state.touch(book.spreadsheet_id)
    return {"spreadsheetId": book.spreadsheet_id, "replies": replies}


def _add_sheet(state: State, book: model.Spreadsheet, props: dict[str, Any]) -> dict[str, Any]:
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if any(s.title == title for s in book.sheets):
        raise invalid(f'addSheet: A sheet with the name "{title}" already exists. '
                      "Please enter another name.")
    grid = props.get("gridProperties") or {}
    sheet_id = props.get("sheetId", int(state.new_hex(), 16) * 7919 % 2_000_000_000)
    index = min(props.get("index", len(book.sheets)), len(book.sheets))
    sheet = model.Sheet(model.sheet_properties(sheet_id, title, index, grid.get("rowCount", 1000),
                                               grid.get("columnCount", 26)))
    book.sheets.insert(index, sheet)
    for position, each in enumerate(book.sheets):
        each.properties["index"] = position
    return copy.deepcopy(sheet.properties)


def _masked(target: dict[str, Any], source: dict[str, Any], fields: str | None, i: int) -> None:
    if not fields:
        raise invalid(f"Invalid requests[{i}]: fields is required.")
    names = [n for n in source if n != "sheetId"] if fields.strip() == "*" else fields.split(",")
    for name in (n.strip() for n in names):
        *parents, leaf = name.split(".")
        src, dst = source, target
        for part in parents:
            src, dst = src.get(part, {}), dst.setdefault(part, {})
        if leaf in src:
            dst[leaf] = copy.deepcopy(src[leaf])


def _value_range(call: Call, book: model.Spreadsheet, text: str) -> dict[str, Any]:
    area = model.resolve(book, text)
    major = call.param("majorDimension", "ROWS")
    values = model.read(area, call.param("valueRenderOption", "FORMATTED_VALUE"), major)
    out: dict[str, Any] = {"range": area.a1(), "majorDimension": major}
    if values:
        out["values"] = values
    return out


def values_get(call: Call) -> dict[str, Any]:
    return _value_range(call, _book(call.state, call.param("spreadsheetId")), call.param("range"))


def values_batch_get(call: Call) -> dict[str, Any]:
    book = _book(call.state, call.param("spreadsheetId"))
    ranges = call.param("ranges") or []
    return {"spreadsheetId": book.spreadsheet_id, "valueRanges": [_value_range(call, book, r) for r in ranges]}


def _input_option(option: str | None) -> str:
    if option not in ("RAW", "USER_ENTERED"):
        raise invalid("'valueInputOption' is required but not specified", reason="required")
    return option


def _write(book: model.Spreadsheet, text: str, body: dict[str, Any], option: str, grow: bool) -> dict:
    area = model.resolve(book, text)
    values = body.get("values") or []
    written = model.write(area, values, option, body.get("majorDimension", "ROWS"), grow)
    cells = sum(len(r) for r in values)
    result = {"spreadsheetId": book.spreadsheet_id, "updatedRange": written.a1()}
    if values:
        result.update({"updatedRows": written.row1 - written.row0 + 1,
                       "updatedColumns": written.col1 - written.col0 + 1, "updatedCells": cells})
    return result


def values_update(call: Call) -> dict[str, Any]:
    book = _book(call.state, call.param("spreadsheetId"))
    option = _input_option(call.param("valueInputOption"))
    result = _write(book, call.param("range"), call.body or {}, option, grow=False)
    call.state.touch(book.spreadsheet_id)
    return result


def values_batch_update(call: Call) -> dict[str, Any]:
    book = _book(call.state, call.param("spreadsheetId"))
    body = call.body or {}
    option = _input_option(body.get("valueInputOption"))
    responses = [_write(book, data.get("range", ""), data, option, grow=False) for data in body.get("data", [])]
    call.state.touch(book.spreadsheet_id)
    return {
        "spreadsheetId": book.spreadsheet_id,
        "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
        "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
        "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
        "totalUpdatedSheets": len({r["updatedRange"].split("!")[0] for r in responses}),
        "responses": responses,
    }


def values_append(call: Call) -> dict[str, Any]:
    book = _book(call.state, call.param("spreadsheetId"))
    option = _input_option(call.param("valueInputOption"))
    area = model.resolve(book, call.param("range"))
    start = model.next_free_row(area)
    at = model.Area(area.sheet, start, area.col0, area.sheet.rows - 1, area.sheet.columns - 1, False)
    updates = _write(book, at.a1(), call.body or {}, option, grow=True)
    call.state.touch(book.spreadsheet_id)
    table = model.Area(area.sheet, area.row0, area.col0, max(start - 1, area.row0), area.col1, True)
    return {"spreadsheetId": book.spreadsheet_id, "tableRange": table.a1(), "updates": updates}


def values_clear(call: Call) -> dict[str, Any]:
    book = _book(call.state, call.param("spreadsheetId"))
    area = model.resolve(book, call.param("range"))
    for key in [k for k in area.sheet.cells if area.row0 <= k[0] <= area.row1 and area.col0 <= k[1] <= area.col1]:
        del area.sheet.cells[key]
    call.state.touch(book.spreadsheet_id)
    return {"spreadsheetId": book.spreadsheet_id, "clearedRange": area.a1()}


HANDLERS = {
    "sheets.spreadsheets.create": create,
    "sheets.spreadsheets.get": get,
    "sheets.spreadsheets.batchUpdate": batch_update,
    "sheets.spreadsheets.values.get": values_get,
    "sheets.spreadsheets.values.batchGet": values_batch_get,
    "sheets.spreadsheets.values.update": values_update,
    "sheets.spreadsheets.values.batchUpdate": values_batch_update,
    "sheets.spreadsheets.values.append": values_append,
    "sheets.spreadsheets.values.clear": values_clear,
}
