"""Build templates/docx/default.docx, the Word template the review's documents take when a board gives none.

Run it again after changing it: `.venv/bin/python scripts/build_docx_template.py`. It starts from python-docx's
own template (which has every style the writer uses: Heading 1-9, List Bullet 1-3, Quote, Table Grid) and sets
A4 pages, margins, a plain font and heading colours. The header and footer are left empty: the writer adds the
protective marking and "Page X of Y" to every document. A board's own template replaces this file entirely.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "templates" / "docx" / "default.docx"
INK = RGBColor(0x1F, 0x2A, 0x44)


def build(path: Path = OUT) -> Path:
    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
        section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((1, 18), (2, 14), (3, 12), (4, 11)):
        heading = styles[f"Heading {level}"]
        heading.font.name, heading.font.size, heading.font.color.rgb = "Arial", Pt(size), INK
        heading.font.bold = True
        heading.paragraph_format.space_before = Pt(12 if level > 1 else 0)
        heading.paragraph_format.keep_with_next = True
    for name in ("Header", "Footer", "Quote", "List Bullet", "List Bullet 2", "List Bullet 3"):
        styles[name].font.name = "Arial"
    styles["Quote"].font.italic = True
    grid = styles["Table Grid"]  # tables in a smaller size, so that the factors at a glance fit one page
    grid.font.name, grid.font.size = "Arial", Pt(9)
    properties = document.core_properties
    properties.author = properties.last_modified_by = ""
    properties.title = "Review commissioning document"
    properties.comments = "Default template of the review commissioning tool (scripts/build_docx_template.py)."
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
