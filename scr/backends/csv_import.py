"""Reading the file Google Forms gives from "Download responses (.csv)" for a published member form.

The header row is ``Timestamp``, ``Email Address``, then one column per question, headed by the question's
title exactly as ``scr.backends.google.form_layout.question_title`` made it. Checkbox answers are the chosen
labels joined with ";" (labels may hold commas, so the cell is matched against the known labels, and
what is left is the "other" text). Anything that does not match is reported, by column and row number,
never with a cell's text; a row holding a value the form does not offer is not imported.

Timestamps (``Timestamp`` column) are read by ``scr.backends.form_timestamps``: the owner's zone and locale, and
the board's own zone for one that names no single offset. Every typed text is held to the limit every form
applies (``scr.domain.forms.MAX_TEXT``); a row with a longer one is reported by row and column, not imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from scr.backends.form_timestamps import date_order, read_timestamp
from scr.backends.google.form_layout import FieldRef, answer_fields, question_refs, question_title
from scr.domain.calendar import BOARD_TIME
from scr.domain.forms import MAX_TEXT, OTHER, Item, MemberForm
from scr.domain.model import ItemAnswer
from scr.errors import ScrError

__all__ = ["CsvImport", "ImportedResponse", "read_google_forms_csv"]

MAX_CELL = 16 * 1024 * 1024  # characters in one cell
_SEPARATORS = {";": "semicolons", "\t": "tabs"}


@dataclass(frozen=True)
class ImportedResponse:
    email: str
    submitted_at: dt.datetime
    answers: dict[str, ItemAnswer]  # every item of the form, empty when unanswered
    row: int = 0  # its row number in the file (the header is row 1)
    stamp: str = ""  # the Timestamp as read, the same whatever the board's zone (see form_timestamps.Stamp.key)
    assumed: str | None = None  # the zone abbreviation ("" for none) read as the board's zone, if it was


@dataclass(frozen=True)
class CsvImport:
    rows: list[ImportedResponse]
    problems: list[str]
    notes: list[str] = field(default_factory=list)  # how the file was read, said once (not problems)


@dataclass(frozen=True)
class _Layout:
    """What the header row says: where the timestamp and address are, and which question each column holds."""

    width: int
    fixed: dict[str, int]
    columns: dict[int, FieldRef]
    form: MemberForm
    agencies: Sequence[str]
    zone: ZoneInfo
    order: str | None  # "dmy", "mdy", or None when the file never says (see form_timestamps.date_order)


def read_google_forms_csv(
    path: str | Path, member_form: MemberForm, agencies: Sequence[str], zone: ZoneInfo = BOARD_TIME
) -> CsvImport:
    """Responses from a Google Forms CSV download, matched to the form's items by question title; a timestamp
    that names no single offset is read as wall time in ``zone``, the board's."""
    records = _read_records(Path(path))
    if not records:
        raise ScrError(f"{path} is empty; download the responses again from Google Forms.")
    header = [_normal(cell) for cell in records[0]]
    keys = [title.lower() for title in header]
    fixed = {name: keys.index(name) for name in ("timestamp", "email address") if name in keys}
    if len(fixed) < 2:
        separator = next((name for mark, name in _SEPARATORS.items() if len(header) == 1 and mark in header[0]), None)
        if separator:
            raise ScrError(f"{path}: the columns are separated by {separator}, not commas (the file was saved "
                           "from a spreadsheet); download the responses again from Google Forms and import that file.")
        raise ScrError(f"{path}: the first row needs the columns Timestamp and Email Address; "
                       "collect emails in the form and download the responses again.")
    problems: list[str] = []
    columns = _columns(header, keys, fixed, member_form, problems)
    stamps = [record[fixed["timestamp"]] for record in records[1:] if len(record) > fixed["timestamp"]]
    layout = _Layout(len(header), fixed, columns, member_form, agencies, zone, date_order(stamps))
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = _row(record, number, layout, problems)
        if row is not None:
            rows.append(row)
    return CsvImport(rows, problems, _zone_notes(rows, zone))


def _columns(
    header: list[str], keys: list[str], fixed: dict[str, int], form: MemberForm, problems: list[str]
) -> dict[int, FieldRef]:
    """Which question each column holds, by its title; columns that match none, and questions with no column,
    are reported."""
    by_title = {_normal(question_title(item, ref.field)).lower(): ref for item in form.items
                for ref in question_refs(item)}
    columns: dict[int, FieldRef] = {}
    for index, title in enumerate(header):
        if index in fixed.values():
            continue
        if keys[index] in by_title and by_title[keys[index]] not in columns.values():
            columns[index] = by_title[keys[index]]
        else:
            problems.append(f"column {index + 1} ('{title}') matches no question of this form; not imported")
    found = set(columns.values())
    problems += [f"no column for '{question_title(form.item(ref.item_id), ref.field)}'; those answers are empty"
                 for ref in by_title.values() if ref not in found]
    return columns


def _row(record: list[str], number: int, layout: _Layout, problems: list[str]) -> ImportedResponse | None:
    def cell(index: int) -> str:
        return record[index] if index < len(record) else ""

    stamp = read_timestamp(cell(layout.fixed["timestamp"]), layout.zone, layout.order)
    email = cell(layout.fixed["email address"]).strip()
    bad = []
    if len(record) < layout.width or any(extra.strip() for extra in record[layout.width:]):
        bad.append(f"it has {len(record)} cells where the first row has {layout.width} (the file may be damaged)")
    if stamp is None:
        bad.append(_unread_timestamp(cell(layout.fixed["timestamp"]), layout.order))
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        bad.append("the Email Address is missing or not an address")
    fields: dict[str, dict] = {item.id: {} for item in layout.form.items}
    for index, ref in layout.columns.items():
        decoded, problem = _cell_answer(cell(index), ref, layout)
        if problem:
            bad.append(f"column {index + 1} ({ref.item_id}) {problem}")
        else:
            fields[ref.item_id].update(decoded)
    if bad:
        problems += [f"row {number}: {reason}; row not imported" for reason in bad]
        return None
    assert stamp is not None
    answers = {item_id: ItemAnswer(**found) for item_id, found in fields.items()}
    return ImportedResponse(email, stamp.at, answers, number, stamp.key, stamp.assumed)


def _cell_answer(text: str, ref: FieldRef, layout: _Layout) -> tuple[dict, str]:
    """One cell's answer fields, or what is wrong with it (never its text)."""
    form, agencies = layout.form, layout.agencies
    item = form.item(ref.item_id)
    values = _split_checkbox(text, form, agencies, item) if ref.field == "choices" else [text]
    decoded = answer_fields(form, agencies, item, ref.field, values)
    if decoded is None:
        return {}, "holds a value that is not one of the form's options"
    if decoded.get("other") and _near_option(decoded["other"], form, agencies, item):
        return {}, ("matches no option exactly: it holds an option's label joined with ',' or spelt otherwise "
                    "(Google's download joins choices with ';' and spells them as the form does); correct the "
                    "cell and import the file again")
    for name in ("comment", "other"):
        if len(decoded.get(name, "")) > MAX_TEXT:
            return {}, (f"holds {len(decoded[name]):,} characters, over the {MAX_TEXT:,} every form allows; "
                        "ask the member to shorten the answer")
    return decoded, ""


def _near_option(other: str, form: MemberForm, agencies: Sequence[str], item: Item) -> bool:
    """True when "other" text is, or is made of, the form's own labels written another way: joined with ','
    as the linked Sheet shows them, or in other capitals or spacing."""
    labels = {_fold(o.label) for o in form.options_for(item, agencies) if o.value != OTHER}
    pieces = [_fold(piece) for piece in re.split(r"[,;]", other)]
    return _fold(other) in labels or any(piece in labels for piece in pieces if piece)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _unread_timestamp(text: str, order: str | None) -> str:
    if order is None and read_timestamp(text, BOARD_TIME, "dmy") is not None:
        return ("the Timestamp puts the day and month in an order no row of this file settles (is 03/04 the "
                "3rd of April or the 4th of March?); download the file from Google Forms, which writes the year first")
    return "the Timestamp is not in a format this importer reads"


def _zone_notes(rows: list[ImportedResponse], zone: ZoneInfo) -> list[str]:
    """One note, when some timestamps named no single offset and were read in the board's zone."""
    assumed = [row for row in rows if row.assumed is not None]
    if not assumed:
        return []
    names = sorted({row.assumed for row in assumed if row.assumed})
    what = f"the zone abbreviation {', '.join(names)}, which names no single offset," if names else "no time zone"
    return [f"{len(assumed)} timestamp(s) carry {what} so they were read as {zone.key} time (the board's "
            "`timezone` setting). If the form's owner keeps another zone, set deadlines.timezone to it and import "
            "the file again: nothing is doubled."]


def _split_checkbox(cell: str, form: MemberForm, agencies: Sequence[str], item: Item) -> list[str]:
    """The labels chosen in a checkbox cell, then whatever is left (the "other" text) as one value."""
    labels = sorted((o.label for o in form.options_for(item, agencies) if o.value != OTHER), key=len, reverse=True)
    chosen: list[str] = []
    pos = 0
    text = cell.strip()
    while pos < len(text):
        label = next((la for la in labels if text.startswith(la, pos)
                      and (pos + len(la) == len(text) or text[pos + len(la)] == ";")), None)
        if label is None:
            break
        chosen.append(label)
        pos += len(label)
        while pos < len(text) and (text[pos] == ";" or text[pos].isspace()):
            pos += 1
    rest = text[pos:]
    return chosen + ([rest] if rest.strip() else [])


def _read_records(path: Path) -> list[list[str]]:
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(max(limit, MAX_CELL))  # a long answer pasted into a form is still read
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                return list(reader)
            except csv.Error as exc:  # the message names what is wrong, never a cell's text
                raise ScrError(f"{path}, line {reader.line_num}: not readable as CSV ({exc}); download the "
                               "responses again from Google Forms.") from None
    except FileNotFoundError:
        raise ScrError(f"{path} does not exist; give the path of the downloaded responses file.") from None
    except IsADirectoryError:
        raise ScrError(f"{path} is a folder; give the path of the downloaded responses file.") from None
    except UnicodeDecodeError:
        raise ScrError(f"{path} is not UTF-8 text; download it again from Google Forms (it writes UTF-8).") from None
    finally:
        csv.field_size_limit(limit)


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())
