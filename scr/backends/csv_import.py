"""Reading the file Google Forms gives from "Download responses (.csv)" for a published member form.

The header row is ``Timestamp``, ``Email Address``, then one column per question, headed by the question's
title exactly as ``scr.backends.google.form_layout.question_title`` made it. Checkbox answers are the chosen
labels joined with ";" (labels may hold commas, so the cell is matched against the known labels, and
what is left is the "other" text). Anything that does not match is reported, by column and row number,
never with a cell's text; a row holding a value the form does not offer is not imported.

Timestamps read (``Timestamp`` column):
  ``2026/11/27 10:15:03 AM GMT``, ``2026/11/27 10:15:03 PM GMT+1``, ``2026/11/27 22:15:03 GMT-05:00``,
  ``2026-11-27 10:15:03``, ``2026-11-27T10:15:03Z``, ``2026-11-27T10:15:03.123+01:00``;
  year first, ``/`` or ``-``, seconds and fraction optional, 12-hour with AM/PM or 24-hour,
  zone ``Z``, ``UTC``, ``GMT``, ``GMT±H[:MM]`` or ``±HH:MM``; no zone is read as UTC.
  Day-first or month-first dates (``27/11/2026``) are ambiguous and reported, not guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scr.backends.google.form_layout import FieldRef, answer_fields, question_refs, question_title
from scr.domain.forms import OTHER, Item, MemberForm
from scr.domain.model import ItemAnswer
from scr.errors import ScrError

__all__ = ["CsvImport", "ImportedResponse", "parse_timestamp", "read_google_forms_csv"]

MAX_CELL = 16 * 1024 * 1024  # characters in one cell
_SEPARATORS = {";": "semicolons", "\t": "tabs"}
_TIMESTAMP = re.compile(
    r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"\s*(AM|PM)?\s*(Z|UTC|GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?)?|([+-])(\d{2}):?(\d{2}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ImportedResponse:
    email: str
    submitted_at: dt.datetime
    answers: dict[str, ItemAnswer]  # every item of the form, empty when unanswered
    row: int = 0  # its row number in the file (the header is row 1)


@dataclass(frozen=True)
class CsvImport:
    rows: list[ImportedResponse]
    problems: list[str]


def read_google_forms_csv(path: str | Path, member_form: MemberForm, agencies: Sequence[str]) -> CsvImport:
    """Responses from a Google Forms CSV download, matched to the form's items by question title."""
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
    by_title = {_normal(question_title(item, ref.field)).lower(): ref
                for item in member_form.items for ref in question_refs(item)}
    columns: dict[int, FieldRef] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        if index in fixed.values():
            continue
        if keys[index] in by_title and by_title[keys[index]] not in columns.values():
            columns[index] = by_title[keys[index]]
        else:
            problems.append(f"column {index + 1} ('{title}') matches no question of this form; not imported")
    found = set(columns.values())
    problems += [f"no column for '{question_title(member_form.item(ref.item_id), ref.field)}'; those answers are empty"
                 for ref in by_title.values() if ref not in found]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = _row(record, number, len(header), fixed, columns, member_form, agencies, problems)
        if row is not None:
            rows.append(row)
    return CsvImport(rows, problems)


def _row(
    record: list[str], number: int, width: int, fixed: dict[str, int], columns: dict[int, FieldRef],
    form: MemberForm, agencies: Sequence[str], problems: list[str],
) -> ImportedResponse | None:
    def cell(index: int) -> str:
        return record[index] if index < len(record) else ""

    at = parse_timestamp(cell(fixed["timestamp"]))
    email = cell(fixed["email address"]).strip()
    bad = []
    if len(record) < width or any(extra.strip() for extra in record[width:]):
        bad.append(f"it has {len(record)} cells where the first row has {width} (the file may be damaged)")
    if at is None:
        bad.append("the Timestamp is not in a format this importer reads")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        bad.append("the Email Address is missing or not an address")
    fields: dict[str, dict] = {item.id: {} for item in form.items}
    for index, (item_id, field) in columns.items():
        item = form.item(item_id)
        values = _split_checkbox(cell(index), form, agencies, item) if field == "choices" else [cell(index)]
        decoded = answer_fields(form, agencies, item, field, values)
        if decoded is None:
            bad.append(f"column {index + 1} ({item.id}) holds a value that is not one of the form's options")
        else:
            fields[item.id].update(decoded)
    if bad:
        problems += [f"row {number}: {reason}; row not imported" for reason in bad]
        return None
    assert at is not None
    return ImportedResponse(email, at, {item_id: ItemAnswer(**found) for item_id, found in fields.items()}, number)


def parse_timestamp(text: str) -> dt.datetime | None:
    """A Google Forms CSV timestamp as an aware datetime (formats in the module docstring); None if unread."""
    found = _TIMESTAMP.fullmatch(text.strip())
    if not found:
        return None
    year, month, day, hour, minute, second, fraction, half, zone, gsign, gh, gm, sign, zh, zm = found.groups()
    hour_n = int(hour)
    if half:
        if not 1 <= hour_n <= 12:
            return None
        hour_n = hour_n % 12 + (12 if half.upper() == "PM" else 0)
    offset = dt.timedelta(0)
    if gsign or sign:
        hours, minutes = (gh, gm) if gsign else (zh, zm)
        offset = dt.timedelta(hours=int(hours), minutes=int(minutes or 0)) * (-1 if (gsign or sign) == "-" else 1)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return dt.datetime(int(year), int(month), int(day), hour_n, int(minute), int(second or 0), micro,
                           tzinfo=dt.timezone(offset))
    except ValueError:
        return None


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
