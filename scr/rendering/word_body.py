"""The body of a Word document, written from the document model in one pass.

The markup is what python-docx writes for the same calls (``add_paragraph``, ``add_run``, ``add_table``, a
run's bold, italic, size and highlight, a column's and a cell's width), element for element, but built as
text and parsed once by lxml: python-docx makes each element through several Python objects and lookups,
which took most of a second for a 300-member review's documents.

A paragraph in a named style takes the style's id; a style the board's template lacks leaves the paragraph in
its Normal style (and a heading bold, so it still reads as one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from html import escape

from scr.rendering.document import Block, Bullet, Heading, Paragraph, Quote, Run, Runs, Table, plain_text

__all__ = ["NOT_XML", "append_body", "column_widths"]

# Characters Word's XML cannot hold; the escaping filters drop them already, this is a last guard.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What python-docx writes for the text of a new run: a tab is <w:tab/>, a line break <w:br/>.
_TAB_OR_BREAK = re.compile(r"(\t|\r|\n)")
_TABLE_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
               'w:noVBand="1" w:val="04A0"/>')


class _Styles:
    """The template's style ids, each looked up once (python-docx scans every style on each lookup)."""

    def __init__(self, document):
        self.document = document
        self.ids: dict[str, str | None] = {}

    def id(self, name: str) -> str | None:
        if name not in self.ids:
            try:
                self.ids[name] = self.document.styles[name].style_id
            except KeyError:
                self.ids[name] = None
        return self.ids[name]

    @functools.cached_property
    def table_text_size(self) -> str | None:
        """The text size (half-points) the template's Table Grid style sets, if any: given on each run of a
        table too, as not every word processor applies a table style's text size."""
        size = self.document.styles["Table Grid"].font.size if self.id("Table Grid") else None
        return None if size is None else str(round(size.pt * 2))


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _t(text: str) -> str:
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text, quote=False)}</w:t>"


def _run(run: Run, size: str | None = None) -> str:
    """One run: one <w:t> per line with <w:br/> between, its properties only where set."""
    props = (("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
             + (f'<w:sz w:val="{size}"/>' if size is not None else "")
             + ('<w:highlight w:val="yellow"/>' if run.highlight else ""))
    text = "<w:br/>".join(_t(line) if line else "" for line in NOT_XML.sub("", run.text).split("\n"))
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{text}</w:r>"


def _paragraph(runs: Runs, style: str | None = None, size: str | None = None) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{_attr(style)}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{''.join(_run(run, size) for run in runs)}</w:p>"


def _heading(block: Heading, styles: _Styles) -> str:
    style = styles.id(f"Heading {min(block.level, 9)}")
    text = "".join("<w:tab/>" if part == "\t" else "<w:br/>" if part in "\r\n" else _t(part)
                   for part in _TAB_OR_BREAK.split(NOT_XML.sub("", block.text)) if part)
    properties = f'<w:pPr><w:pStyle w:val="{_attr(style)}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}<w:r>{'<w:rPr/>' if style else '<w:rPr><w:b/></w:rPr>'}{text}</w:r></w:p>"


def _table(block: Table, styles: _Styles, text_width: int) -> str:
    """A table whose columns fit their content; its header row bold and repeated on each page it runs onto."""
    from docx.shared import Emu

    columns = len(block.header)
    rows = (block.header, *block.rows)
    fitted = column_widths([[plain_text(runs) for runs in row] for row in rows], text_width)[:columns]
    widths = [Emu(width).twips for width in fitted]
    unfitted = Emu(text_width // columns if columns else 0).twips  # python-docx's even share, kept past the fit
    widths += [unfitted] * (columns - len(widths))
    style = styles.id("Table Grid")
    size = styles.table_text_size
    parts = ["<w:tbl><w:tblPr>", f'<w:tblStyle w:val="{_attr(style)}"/>' if style else "",
             f'<w:tblW w:type="auto" w:w="0"/><w:tblLayout w:type="fixed"/>{_TABLE_LOOK}</w:tblPr><w:tblGrid>',
             *(f'<w:gridCol w:w="{width}"/>' for width in widths), "</w:tblGrid>"]
    for row_index, cells in enumerate(rows):
        parts.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>' if row_index == 0 else "<w:tr>")
        for column, width in enumerate(widths):
            runs = cells[column] if column < len(cells) else ()
            if row_index == 0:
                runs = tuple(Run(run.text, True, run.italic, run.highlight) for run in runs)
            cell_width = width if column < len(cells) else unfitted
            parts.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{cell_width}"/></w:tcPr>'
                         f"{_paragraph(runs, size=size)}</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl><w:p/>")
    return "".join(parts)


def column_widths(texts: list[list[str]], total: int, char: int = 68000) -> list[int]:
    """Widths (EMU) for a table's columns that fit their content, together ``total``. Each column gets at
    least its longest word (``char`` is the width of a character, about 1.9 mm at the tables' size); the
    room left goes to the columns whose text would wrap, in proportion to how much they would need, capped so
    that one long comment cannot squeeze the others. Short columns that fit stay short."""
    columns = max((len(row) for row in texts), default=0)
    if not columns:
        return []
    least, most = [], []
    for c in range(columns):
        cells = [row[c] for row in texts if c < len(row)]
        longest_word = max((len(word) for cell in cells for word in cell.split()), default=1)
        least.append((max(longest_word, 3) + 2) * char)  # and the cell margins
        most.append((max(min(max((len(cell) for cell in cells), default=1), 60), longest_word, 3) + 2) * char)
    if sum(least) >= total:
        return [int(w * total / sum(least)) for w in least]
    if sum(most) <= total:  # everything fits on one line: share out what is left evenly by need
        return [int(w * total / sum(most)) for w in most]
    spare, need = total - sum(least), sum(m - lo for m, lo in zip(most, least, strict=True))
    return [int(lo + spare * (m - lo) / need) for m, lo in zip(most, least, strict=True)]


def _block(block: Block, styles: _Styles, text_width: int) -> str:
    if isinstance(block, Heading):
        return _heading(block, styles)
    if isinstance(block, Paragraph):
        return _paragraph(block.runs)
    if isinstance(block, Bullet):
        return _paragraph(block.runs, styles.id("List Bullet" if block.level == 0
                                                else f"List Bullet {min(block.level + 1, 3)}"))
    if isinstance(block, Quote):
        return _paragraph(block.runs, styles.id("Quote"))
    return _table(block, styles, text_width)


def append_body(document, blocks: Iterable[Block], text_width: int) -> None:
    """Add ``blocks`` to the start of ``document``'s body, before what the body holds (its section properties),
    in the template's Heading, List Bullet, Quote and Table Grid styles."""
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml

    styles = _Styles(document)
    xml = "".join(_block(block, styles, text_width) for block in blocks)
    body = document.element.body
    written = parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")
    written.extend(list(body))
    # One body replaced whole: lxml moves a subtree in one pass, but re-checks each sibling moved one at a time.
    body.getparent().replace(body, written)
