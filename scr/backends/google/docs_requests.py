"""The document model's blocks as Google Docs ``documents.batchUpdate`` requests (pure: no I/O).

Writing a document takes at most two batchUpdates:

1. ``document_requests(blocks)`` for an EMPTY body (a single ``"\\n"`` paragraph at index 1): one
   ``insertText`` of all the text, one ``deleteParagraphBullets`` and one ``updateTextStyle`` clearing
   bold/italic over it (inserted text takes the style of the paragraph it goes into, "including lists and
   bullets", so a template's list style must not carry over), one ``updateParagraphStyle`` per run of
   paragraphs sharing a style, one ``updateTextStyle`` per bold or italic run, then, from the end of the
   document back, one ``insertTable`` per table and one ``createParagraphBullets`` per run of bullet
   paragraphs. Each table stands on a placeholder empty paragraph; Docs puts a newline before an inserted
   table, so a table sits between two empty paragraphs.
2. Only when there are tables: ``table_requests(document, blocks)`` from the ``documents.get`` that
   follows, filling every cell from the ``startIndex`` Docs reports, last cell first so no index moves
   before it is used; header cells are bold.

Indices count UTF-16 code units, as Google does. Control characters Docs would strip from inserted text
(and so shift every later index) are removed first; a hard line break inside a paragraph is written as
a vertical tab, Docs' soft line break. Headings are real headings (``namedStyleType`` HEADING_n) and bullets
real lists: a nested bullet is written with one leading tab per level, which ``createParagraphBullets``
turns into its nesting level and removes ("This may change the indices of parts of the text"), so the
structural requests run from the end of the document back and no index moves before it is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scr.rendering.document import Block, Bullet, Heading, Paragraph, Quote, Run, Table

__all__ = ["document_requests", "table_requests", "utf16_len"]

Request = dict[str, Any]

#: Docs strips U+0000-U+0008, U+000C-U+001F and the BMP private use area from inserted text.
_STRIPPED = re.compile("[\x00-\x08\x0c-\x1f\ue000-\uf8ff]")
BULLET_PRESET = "BULLET_DISC_CIRCLE_SQUARE"
_PARAGRAPH_FIELDS = "namedStyleType,indentStart,indentFirstLine"


def utf16_len(text: str) -> int:
    """The length of `text` as Docs counts indices (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _clean(text: str) -> str:
    return _STRIPPED.sub("", text.replace("\r\n", "\n").replace("\n", "\v"))


@dataclass(frozen=True)
class _Line:
    """One paragraph to write: its runs (already cleaned) and its paragraph style."""

    runs: tuple[Run, ...]
    style: tuple[tuple[str, Any], ...]
    table: Table | None = None
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def _dimension(points: float) -> dict[str, Any]:
    return {"magnitude": points, "unit": "PT"}


def _runs(runs: tuple[Run, ...], prefix: str = "") -> tuple[Run, ...]:
    cleaned = tuple(Run(_clean(run.text), run.bold, run.italic) for run in runs)
    return ((Run(prefix),) if prefix else ()) + tuple(run for run in cleaned if run.text)


def _lines(blocks: Sequence[Block]) -> list[_Line]:
    normal = (("namedStyleType", "NORMAL_TEXT"),)
    lines = []
    for block in blocks:
        if isinstance(block, Heading):
            style = (("namedStyleType", f"HEADING_{min(max(block.level, 1), 6)}"),)
            lines.append(_Line(_runs((Run(block.text),)), style))
        elif isinstance(block, Paragraph):
            lines.append(_Line(_runs(block.runs), normal))
        elif isinstance(block, Bullet):
            level = min(max(block.level, 0), 8)  # Docs lists have nine nesting levels
            lines.append(_Line(_runs(block.runs, "\t" * level), normal, bullet=True))
        elif isinstance(block, Quote):
            style = (*normal, ("indentStart", _dimension(36.0)), ("indentFirstLine", _dimension(36.0)))
            lines.append(_Line(_runs(block.runs), style))
        elif isinstance(block, Table):
            lines.append(_Line((), normal, table=block))
    return lines


def _range(start: int, end: int) -> dict[str, int]:
    return {"startIndex": start, "endIndex": end}


def _text_style(start: int, run: Run) -> Request | None:
    if not (run.bold or run.italic):
        return None
    style = {name: True for name, on in (("bold", run.bold), ("italic", run.italic)) if on}
    end = start + utf16_len(run.text)
    return {"updateTextStyle": {"range": _range(start, end), "textStyle": style, "fields": ",".join(style)}}


def _run_styles(start: int, runs: tuple[Run, ...]) -> list[Request]:
    requests, pos = [], start
    for run in runs:
        if (request := _text_style(pos, run)) is not None:
            requests.append(request)
        pos += utf16_len(run.text)
    return requests


def document_requests(blocks: Sequence[Block]) -> list[Request]:
    """Requests writing `blocks` into an empty document body (see the module docstring for the count)."""
    lines = _lines(blocks)
    if not lines:
        return []
    text = "\n".join(line.text for line in lines)
    requests: list[Request] = []
    if text:
        whole = _range(1, 1 + utf16_len(text))
        requests.append({"insertText": {"location": {"index": 1}, "text": text}})
        requests.append({"deleteParagraphBullets": {"range": whole}})
        requests.append({"updateTextStyle": {"range": whole, "textStyle": {}, "fields": "bold,italic"}})
    starts, pos = [], 1
    for line in lines:
        starts.append(pos)
        pos += utf16_len(line.text) + 1
    group_start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or lines[i].style != lines[group_start].style:
            end = starts[i - 1] + utf16_len(lines[i - 1].text) + 1
            requests.append({"updateParagraphStyle": {"range": _range(starts[group_start], end),
                                                      "paragraphStyle": dict(lines[group_start].style),
                                                      "fields": _PARAGRAPH_FIELDS}})
            group_start = i
    for line, start in zip(lines, starts, strict=True):
        requests += _run_styles(start, line.runs)
    return requests + _structure(lines, starts)


def _structure(lines: list[_Line], starts: list[int]) -> list[Request]:
    """insertTable per table and createParagraphBullets per run of bullets, from the end of the document back."""
    found: list[tuple[int, Request]] = []
    run_start: int | None = None
    for i, (line, start) in enumerate(zip(lines, starts, strict=True)):
        if line.table is not None:
            rows, columns = 1 + len(line.table.rows), len(line.table.header)
            found.append((start, {"insertTable": {"rows": rows, "columns": columns, "location": {"index": start}}}))
        if line.bullet and run_start is None:
            run_start = i
        if run_start is not None and (i + 1 == len(lines) or not lines[i + 1].bullet):
            end = start + utf16_len(line.text) + 1
            found.append((starts[run_start], {"createParagraphBullets": {
                "range": _range(starts[run_start], end), "bulletPreset": BULLET_PRESET}}))
            run_start = None
    return [request for _, request in sorted(found, key=lambda item: item[0], reverse=True)]


def _tables(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [element["table"] for element in content if "table" in element]


def table_requests(document: dict[str, Any], blocks: Sequence[Block]) -> list[Request]:
    """Requests filling the tables `document_requests` inserted, from `document` as documents.get returned it.

    The body's tables are matched to the Table blocks in order; a mismatch in count or shape is a
    ValueError (the document changed between the two calls).
    """
    wanted = [block for block in blocks if isinstance(block, Table)]
    found = _tables(document.get("body", {}).get("content", []))
    if len(found) != len(wanted):
        raise ValueError(f"expected {len(wanted)} table(s) in the document, found {len(found)}")
    cells: list[tuple[int, tuple[Run, ...]]] = []
    for table, block in zip(found, wanted, strict=True):
        grid = [block.header, *block.rows]
        rows = table.get("tableRows", [])
        shape = [len(row.get("tableCells", [])) for row in rows]
        if shape != [len(cells_row) for cells_row in grid]:
            raise ValueError("a table in the document does not have the shape that was inserted")
        for row_number, (row, runs_row) in enumerate(zip(rows, grid, strict=True)):
            for cell, runs in zip(row["tableCells"], runs_row, strict=True):
                if row_number == 0:
                    runs = tuple(Run(run.text, True, run.italic) for run in runs)
                cleaned = _runs(runs)
                if cleaned:
                    cells.append((int(cell["content"][0]["startIndex"]), cleaned))
    requests: list[Request] = []
    for start, runs in sorted(cells, key=lambda item: item[0], reverse=True):
        text = "".join(run.text for run in runs)
        requests.append({"insertText": {"location": {"index": start}, "text": text}})
        requests += _run_styles(start, runs)
    return requests
