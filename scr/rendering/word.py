"""Word documents a board can file: A4, its protective marking in the header, "Page X of Y" in the footer,
document properties naming the board, placeholders highlighted, and the board's own template if it has one.

``new_document(look)`` opens the template (the board's, or ``templates/docx/default.docx``), keeps its styles,
headers, footers and logo, empties its body and makes every page A4. ``write_document`` fills it from a
``Document`` (``scr.rendering.document``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from scr import assets
from scr.errors import TemplateError
from scr.rendering.document import Document
from scr.rendering.word_body import NOT_XML, append_body, column_widths

__all__ = ["default_template", "WordLook", "column_widths", "new_document", "set_properties", "write_document"]

def default_template() -> Path:
    """The Word template that ships with the product (package data in a wheel: see scr.assets)."""
    return assets.templates_dir() / "docx" / "default.docx"
A4 = (210, 297)  # millimetres


@dataclass(frozen=True)
class WordLook:
    """How a board's Word documents look and what their properties say."""

    author: str = ""  # the board or partnership, named in the document's properties
    marking: str = "OFFICIAL-SENSITIVE"  # the protective marking in every page's header
    template: Path | None = None  # the board's own .docx; None for the default template


def write_document(source: Document, path: Path, title: str, look: WordLook | None = None) -> Path:
    """Write ``source`` as a Word document at ``path``: Heading styles, bullets, quotes, tables whose columns
    fit their content, on A4 with the marking and page numbers of ``look`` and its template. The document's
    title is its first heading (else ``title``)."""
    look = look or WordLook()
    document = new_document(look)
    set_properties(document, NOT_XML.sub("", title if source.title is None else source.title), look)
    append_body(document, source.blocks, text_width(document))
    document.save(str(path))
    return path


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
