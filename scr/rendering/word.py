"""Word documents a board can file: A4, its protective marking in the header, "Page X of Y" in the footer,
document properties naming the board, placeholders highlighted, and the board's own template if it has one.

``new_document(look)`` opens the template (the board's, or ``templates/docx/default.docx``), keeps its styles,
headers, footers and logo, empties its body and makes every page A4. ``write_document`` fills it from a
``Document`` (``scr.rendering.document``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from scr import assets
from scr.errors import TemplateError
from scr.rendering.document import Bullet, Document, Heading, Paragraph, Quote, Run, Runs, Table, plain_text

__all__ = ["default_template", "WordLook", "column_widths", "new_document", "set_properties", "write_document"]

def default_template() -> Path:
    """The Word template that ships with the product (package data in a wheel: see scr.assets)."""
    return assets.templates_dir() / "docx" / "default.docx"
A4 = (210, 297)  # millimetres
# Characters Word's XML cannot hold; the escaping filters drop them already, this is a last guard.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class WordLook:
    """How a board's Word documents look and what their properties say."""

    author: str = ""  # the board or partnership, named in the document's properties
    marking: str = "OFFICIAL-SENSITIVE"  # the protective marking in every page's header
    template: Path | None = None  # the board's own .docx; None for the default template


def _add_runs(paragraph, runs: Runs, size=None) -> None:
    for run in runs:
        added = paragraph.add_run()
        # One <w:t> per line, <w:br/> between: python-docx's `text=` walks the text a character at a time,
        # which made a 300-member summary slow to write.
        for number, line in enumerate(_NOT_XML.sub("", run.text).split("\n")):
            if number:
                added._r.add_br()
            if line:
                added._r.add_t(line)
        if run.bold:  # only when set: python-docx's setters cost a lookup each, and 300-row tables add up
            added.bold = True
        if run.italic:
            added.italic = True
        if size is not None:
            _text_size(added, size)
        if run.highlight:
            from docx.enum.text import WD_COLOR_INDEX

            added.font.highlight_color = WD_COLOR_INDEX.YELLOW


def write_document(source: Document, path: Path, title: str, look: WordLook | None = None) -> Path:
    """Write ``source`` as a Word document at ``path``: Heading styles, bullets, quotes, tables whose columns
    fit their content, on A4 with the marking and page numbers of ``look`` and its template. The document's
    title is its first heading (else ``title``)."""
    look = look or WordLook()
    document = new_document(look)
    set_properties(document, _NOT_XML.sub("", title if source.title is None else source.title), look)
    paragraph = _StyledParagraphs(document)
    for block in source.blocks:
        if isinstance(block, Heading):
            heading = paragraph(f"Heading {min(block.level, 9)}")
            heading.add_run(_NOT_XML.sub("", block.text)).bold = None if paragraph.styled(heading) else True
        elif isinstance(block, Paragraph):
            _add_runs(document.add_paragraph(), block.runs)
        elif isinstance(block, Bullet):
            style = "List Bullet" if block.level == 0 else f"List Bullet {min(block.level + 1, 3)}"
            _add_runs(paragraph(style), block.runs)
        elif isinstance(block, Quote):
            _add_runs(paragraph("Quote"), block.runs)
        elif isinstance(block, Table):
            _add_table(document, block, paragraph.style_id("Table Grid"), paragraph.table_text_size)
    document.save(str(path))
    return path


class _StyledParagraphs:
    """Adds paragraphs in a named style, looking each style up once; a style the board's template lacks
    leaves the paragraph in its Normal style.

    python-docx resolves a style name by scanning every style on each call, which made a 300-member
    summary take seconds; the style id is set on the paragraph's properties directly instead.
    """

    def __init__(self, document):
        self.document = document
        self.ids: dict[str, str | None] = {}

    def style_id(self, name: str) -> str | None:
        if name not in self.ids:
            try:
                self.ids[name] = self.document.styles[name].style_id
            except KeyError:
                self.ids[name] = None
        return self.ids[name]

    @functools.cached_property
    def table_text_size(self):
        """The text size the template's Table Grid style sets, if any: given on each run of a table too, as
        not every word processor applies a table style's text size."""
        return self.document.styles["Table Grid"].font.size if self.style_id("Table Grid") else None

    def styled(self, paragraph) -> bool:
        return paragraph._p.pPr is not None and paragraph._p.pPr.style is not None

    def __call__(self, name: str):
        paragraph = self.document.add_paragraph()
        if style := self.style_id(name):
            paragraph._p.get_or_add_pPr().style = style
        return paragraph


def _text_size(run, size) -> None:
    """``run.font.size = size``, without python-docx's search for where ``w:sz`` goes: before any highlight,
    which is set after."""
    from docx.oxml import OxmlElement

    element = OxmlElement("w:sz")
    element.set(_qn("w:val"), str(round(size.pt * 2)))
    run._r.get_or_add_rPr().append(element)


def _add_table(document, block: Table, style_id: str | None, size=None) -> None:
    from docx.oxml import OxmlElement

    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    if style_id:
        table._tbl.tblPr.get_or_add_tblStyle().val = style_id  # by id: no scan of every style per table
    table.autofit = False
    rows = (block.header, *block.rows)
    widths = column_widths([[plain_text(runs) for runs in row] for row in rows], text_width(document))
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    # Row by row: table.cell(r, c) rebuilds the whole grid on each call, quadratic in the table's size.
    for row_index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        if row_index == 0:  # the header row repeats at the top of each page the table runs onto
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            row._tr.trPr[-1].set(_qn("w:val"), "true")
        for cell, runs, width in zip(row.cells, cells, widths, strict=False):
            cell.width = width
            if row_index == 0:
                runs = tuple(Run(run.text, True, run.italic, run.highlight) for run in runs)
            _add_runs(cell.paragraphs[0], runs, size)
    document.add_paragraph()


def new_document(look: WordLook):
    """An empty document from the board's template (styles, header, logo kept), on A4, marked, numbered."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    template = look.template or default_template()
    try:
        document = docx.Document(str(template))
    except (PackageNotFoundError, OSError, KeyError, ValueError) as exc:
        raise TemplateError(f"The Word template {template} cannot be opened ({type(exc).__name__}): give "
                            "board.word_template as a .docx saved by Word or LibreOffice") from None
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    for section in document.sections:
        _a4(section)
        _mark_header(section, look.marking)
        _number_footer(section, look.marking)
    return document


def set_properties(document, title: str, look: WordLook, now: dt.datetime | None = None) -> None:
    """Title, author and the rest name the board, never the library that wrote the file."""
    properties = document.core_properties
    properties.title = title
    properties.author = look.author
    properties.last_modified_by = look.author
    properties.subject = f"{look.marking}: {title}" if look.marking else title
    properties.keywords = look.marking
    properties.category = look.marking
    properties.comments = "Drafted by the review commissioning tool from members' and lead reviewers' input."
    properties.created = properties.modified = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
    properties.revision = 1


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


def text_width(document) -> int:
    section = document.sections[-1]
    return int(section.page_width - section.left_margin - section.right_margin)


def _a4(section) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    short, long = Mm(A4[0]), Mm(A4[1])
    landscape = section.orientation == WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _mark_header(section, marking: str) -> None:
    """The marking centred at the top of every page, unless the template's header already carries it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not marking:
        return
    header = section.header
    if any(marking in paragraph.text for paragraph in header.paragraphs):
        return
    first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph = first.insert_paragraph_before() if first.text or first.runs else first
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(marking)
    run.bold = True


def _number_footer(section, marking: str) -> None:
    """'Page X of Y' (Word's PAGE and NUMPAGES fields) and the marking at the foot of every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer
    if any("PAGE" in (instr.text or "") for instr in footer._element.iter(_qn("w:instrText"))):
        return
    last = footer.paragraphs[-1] if footer.paragraphs else footer.add_paragraph()
    paragraph = footer.add_paragraph() if last.text or last.runs else last
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        paragraph.add_run(f"{marking}    ").bold = True
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (begin, instruction, separate, the last value shown, end) that Word updates as it lays out."""
    from docx.oxml import OxmlElement

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(_qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    code = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(_qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
