"""A Google Doc body and its index arithmetic.

Index 0 is the section break; the body's first paragraph starts at 1. Every paragraph ends in
"\\n". A table takes one index for its start, one per row start, one per cell start, the cells'
content, and one for its end; so an empty R x C table inserted at index i sits at i+1 (Google
inserts a newline before it) and cell (r, c)'s paragraph starts at i + 4 + r*(2C+1) + 2c.
Indices count UTF-16 code units, as docs.v1 ``Location.index`` says ("The zero-based index, in UTF-16 code units"):
an emoji takes two, and an index inside a surrogate pair is refused. A paragraph may be in a list
(``bullet``); ``InsertTextRequest.text``: "The paragraph style of the new paragraph will be copied from the
paragraph at the current insertion index, including lists and bullets."
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import invalid

INSIDE_PARAGRAPH = ("The insertion index must be inside the bounds of an existing paragraph. "
                    "You can still create new paragraphs by inserting newlines.")
SEGMENT_END = "The range cannot include the newline character at the end of the segment."


def units(text: str) -> int:
    """The length of `text` in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def at_unit(text: str, offset: int) -> int:
    """The Python index of UTF-16 offset `offset` in `text`; 400 for an offset inside a surrogate pair."""
    count = 0
    for i, char in enumerate(text):
        if count == offset:
            return i
        count += 2 if ord(char) > 0xFFFF else 1
        if count > offset:
            raise invalid(f"The index {offset} falls inside a surrogate pair (a character that takes two "
                          "UTF-16 code units); indices count UTF-16 code units.")
    return len(text)


@dataclass
class Paragraph:
    text: str = "\n"
    style: dict[str, Any] = field(default_factory=lambda: {"namedStyleType": "NORMAL_TEXT"})
    bullet: dict[str, Any] | None = None  # {"listId": ..., "nestingLevel": n}

    def size(self) -> int:
        return units(self.text)

    def like(self, text: str) -> Paragraph:
        """A paragraph holding `text` with this one's style and bullet."""
        return Paragraph(text, dict(self.style), copy.deepcopy(self.bullet))


@dataclass
class Table:
    cells: list[list[list[Block]]]

    @classmethod
    def empty(cls, rows: int, columns: int) -> Table:
        return cls([[[Paragraph()] for _ in range(columns)] for _ in range(rows)])

    def size(self) -> int:
        return 2 + sum(1 + sum(1 + content_size(cell) for cell in row) for row in self.cells)

    def cell_starts(self, start: int) -> Iterator[tuple[list[Block], int, int]]:
        """(cell content, cell start index, content start index) for every cell in order."""
        pos = start + 1
        for row in self.cells:
            pos += 1
            for cell in row:
                yield cell, pos, pos + 1
                pos += 1 + content_size(cell)


Block = Paragraph | Table


def content_size(content: list[Block]) -> int:
    return sum(block.size() for block in content)


def layout(content: list[Block], base: int) -> Iterator[tuple[int, Block, int, int]]:
    """(position in list, block, start index, end index) for each block."""
    pos = base
    for i, block in enumerate(content):
        yield i, block, pos, pos + block.size()
        pos += block.size()


def find_paragraph(content: list[Block], base: int, index: int) -> tuple[list[Block], int, int]:
    """(content list, position in it, offset in paragraph) for the paragraph holding `index`."""
    for i, block, start, end in layout(content, base):
        if start <= index < end:
            if isinstance(block, Paragraph):
                return content, i, index - start
            for cell, _, content_start in block.cell_starts(start):
                if content_start <= index < content_start + content_size(cell):
                    return find_paragraph(cell, content_start, index)
            break
    raise invalid(INSIDE_PARAGRAPH)


def insert_text(body: list[Block], index: int, text: str, base: int = 1) -> None:
    content, i, offset = find_paragraph(body, base, index)
    old = content[i]
    assert isinstance(old, Paragraph)
    cut = at_unit(old.text, offset)
    merged = old.text[:cut] + text + old.text[cut:]
    lines = merged.split("\n")[:-1]
    content[i : i + 1] = [old.like(line + "\n") for line in lines]


def insert_table(body: list[Block], index: int, rows: int, columns: int) -> None:
    if rows < 1 or columns < 1:
        raise invalid("Invalid requests: a table needs at least one row and one column.")
    content, i, offset = find_paragraph(body, 1, index)
    old = content[i]
    assert isinstance(old, Paragraph)
    cut = at_unit(old.text, offset)
    before, after = old.like(old.text[:cut] + "\n"), old.like(old.text[cut:])
    content[i : i + 1] = [before, Table.empty(rows, columns), after]


def delete_range(content: list[Block], base: int, start: int, end: int) -> None:
    """Deletes [start, end) from `content`, merging paragraphs whose newline went."""
    kept: list[Block] = []
    carry: Paragraph | None = None
    for _, block, b_start, b_end in layout(content, base):
        piece: Block = block
        if b_start < end and start < b_end:
            if isinstance(block, Table):
                if start <= b_start and b_end <= end:
                    continue
                piece = _delete_in_cell(block, b_start, start, end)
            else:
                lo = at_unit(block.text, max(start, b_start) - b_start)
                hi = at_unit(block.text, min(end, b_end) - b_start)
                piece = Paragraph(block.text[:lo] + block.text[hi:], block.style, block.bullet)
        if carry is not None:
            if isinstance(piece, Table):
                raise invalid("Invalid deletion range: a paragraph cannot be merged into a table.")
            piece, carry = Paragraph(carry.text + piece.text, piece.style, piece.bullet), None
        if isinstance(piece, Paragraph) and not piece.text.endswith("\n"):
            carry = piece
            continue
        kept.append(piece)
    if carry is not None:
        raise invalid(SEGMENT_END)
    content[:] = kept


def _delete_in_cell(table: Table, t_start: int, start: int, end: int) -> Table:
    for cell, _, c_start in table.cell_starts(t_start):
        if c_start <= start and end <= c_start + content_size(cell):
            delete_range(cell, c_start, start, end)
            return table
    raise invalid("Invalid deletion range. Cannot delete the requested range: it cuts through a table.")


def paragraphs_in(content: list[Block], base: int, start: int, end: int) -> Iterator[Paragraph]:
    """Every paragraph overlapping [start, end), inside tables too."""
    for _, block, b_start, b_end in layout(content, base):
        if b_end <= start or b_start >= end:
            continue
        if isinstance(block, Paragraph):
            yield block
        else:
            for cell, _, c_start in block.cell_starts(b_start):
                yield from paragraphs_in(cell, c_start, start, end)


def all_paragraphs(content: list[Block]) -> Iterator[Paragraph]:
    return paragraphs_in(content, 1, 0, 1 << 62)


def render(content: list[Block], base: int) -> list[dict[str, Any]]:
    """The body as documents.get returns it (StructuralElements)."""
    out = []
    for _, block, start, end in layout(content, base):
        if isinstance(block, Paragraph):
            style = {**copy.deepcopy(block.style), "direction": "LEFT_TO_RIGHT"}
            run = {"startIndex": start, "endIndex": end, "textRun": {"content": block.text, "textStyle": {}}}
            paragraph: dict[str, Any] = {"elements": [run], "paragraphStyle": style}
            if block.bullet is not None:
                # level 0 left out, as Docs does; a list item's own bullet style, as in the recorded body
                # tests/google_contract/fixtures/docs_get_tabs_with_bullets.json
                paragraph["bullet"] = {**{k: v for k, v in block.bullet.items() if v},
                                       "textStyle": {"underline": False, "baselineOffset": "NONE"}}
            out.append({"startIndex": start, "endIndex": end, "paragraph": paragraph})
        else:
            out.append({"startIndex": start, "endIndex": end, "table": _render_table(block, start)})
    return out


def _render_table(table: Table, start: int) -> dict[str, Any]:
    cells = iter(table.cell_starts(start))
    rows = []
    pos = start + 1
    for row in table.cells:
        row_start = pos
        rendered = []
        for _ in row:
            cell, c_start, content_start = next(cells)
            c_end = content_start + content_size(cell)
            rendered.append({"startIndex": c_start, "endIndex": c_end, "content": render(cell, content_start),
                             "tableCellStyle": {"rowSpan": 1, "columnSpan": 1}})
            pos = c_end
        rows.append({"startIndex": row_start, "endIndex": pos, "tableCells": rendered})
    columns = len(table.cells[0]) if table.cells else 0
    return {"rows": len(table.cells), "columns": columns, "tableRows": rows,
            "tableStyle": {"tableColumnProperties": [{"widthType": "EVENLY_DISTRIBUTED"}] * columns}}


def create_bullets(content: list[Block], start: int, end: int, list_id: str) -> None:
    """createParagraphBullets: the paragraphs in [start, end) join list `list_id`; each one's leading tabs set
    its nesting level and are removed (docs.v1: "these leading tabs are removed by this request. This may change
    the indices of parts of the text")."""
    for paragraph in list(paragraphs_in(content, 1, start, end)):
        tabs = len(paragraph.text) - len(paragraph.text.lstrip("\t"))
        paragraph.text = paragraph.text[tabs:]
        paragraph.bullet = {"listId": list_id, "nestingLevel": tabs}


def delete_bullets(content: list[Block], start: int, end: int) -> None:
    """deleteParagraphBullets: the paragraphs in [start, end) leave their list; "The nesting level of each
    paragraph will be visually preserved by adding indent to the start of the corresponding paragraph"."""
    for paragraph in paragraphs_in(content, 1, start, end):
        level = (paragraph.bullet or {}).get("nestingLevel", 0)
        if level:
            paragraph.style["indentStart"] = {"magnitude": 36.0 * level, "unit": "PT"}
        paragraph.bullet = None


def plain_text(content: list[Block]) -> str:
    """The text of a body, cells included, in reading order (a convenience for tests)."""
    parts = []
    for block in content:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend(plain_text(cell) for row in block.cells for cell in row)
    return "".join(parts)
