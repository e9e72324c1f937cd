"""Reading the Markdown our templates emit into the document model, and writing that model as a Word document."""

from __future__ import annotations

import docx
import pytest

from scr.rendering.document import Bullet, Heading, Paragraph, Quote, Run, Table
from scr.rendering.escaping import md, md_cell
from scr.rendering.markdown import parse_blocks, parse_document, parse_inline
from scr.rendering.word import write_document

SAMPLE = """# Title \\#1

Intro with **bold** and *italic*\\
on two lines
and a soft break.

## Section

- first
  continued
  - nested
- second

> quoted\\
> line

| Rating | Count |
| --- | --- |
| Central \\| high | 3 |
| Minor | 1 | extra |
"""


def test_parse_blocks_reads_every_kind_of_block():
    assert parse_blocks(SAMPLE) == [
        Heading(1, "Title #1"),
        Paragraph(
            (
                Run("Intro with "),
                Run("bold", bold=True),
                Run(" and "),
                Run("italic", italic=True),
                Run("\non two lines and a soft break."),
            )
        ),
        Heading(2, "Section"),
        Bullet((Run("first continued"),), 0),
        Bullet((Run("nested"),), 1),
        Bullet((Run("second"),), 0),
        Quote((Run("quoted\nline"),)),
        Table(
            ((Run("Rating"),), (Run("Count"),)),
            (((Run("Central | high"),), (Run("3"),)), ((Run("Minor"),), (Run("1"),))),
        ),
    ]


def test_inline_entities_and_escapes_become_literal_characters():
    assert parse_inline("&lt;script&gt; &amp;amp; &#36; \\*x\\* & alone") == (Run("<script> &amp; $ *x* & alone"),)


def test_a_pipe_line_without_a_rule_is_a_paragraph():
    assert parse_blocks("| not a table") == [Paragraph((Run("| not a table"),))]


def test_short_rows_are_padded_to_the_header():
    (table,) = parse_blocks("| a | b |\n| --- | --- |\n| only |\n")
    assert table.rows == (((Run("only"),), ()),)


@pytest.fixture
def written(tmp_path):
    path = write_document(parse_document(SAMPLE), tmp_path / "sample.docx", title="SCR-2026-014 sample")
    return docx.Document(str(path))


def test_docx_uses_heading_styles(written):
    headings = [(p.style.name, p.text) for p in written.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Title #1"), ("Heading 2", "Section")]
    assert written.core_properties.title == "Title #1"  # the first heading, not the file name


def test_docx_keeps_bold_italic_bullets_and_quotes(written):
    intro = next(p for p in written.paragraphs if p.text.startswith("Intro"))
    assert [r.text for r in intro.runs if r.bold] == ["bold"]
    assert [r.text for r in intro.runs if r.italic] == ["italic"]
    assert "on two lines" in intro.text
    styles = {p.text: p.style.name for p in written.paragraphs}
    assert styles["first continued"] == "List Bullet"
    assert styles["nested"] == "List Bullet 2"
    assert styles["quoted\nline"] == "Quote"


def test_docx_tables_have_a_bold_header_in_table_grid(written):
    (table,) = written.tables
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Rating", "Count"]
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [["Central | high", "3"], ["Minor", "1"]]


HOSTILE = "<script>alert(1)</script>\n# heading\n|pipe|\n{{ 7*7 }}"


def test_hostile_text_is_literal_in_word(tmp_path):
    markdown = f"# Summary\n\n- Police (DI): {md(HOSTILE)}\n\n| Said |\n| --- |\n| {md_cell(HOSTILE)} |\n"
    document = docx.Document(str(write_document(parse_document(markdown), tmp_path / "h.docx", title="t")))
    assert [p.text for p in document.paragraphs if p.style.name.startswith("Heading")] == ["Summary"]
    bullet = next(p for p in document.paragraphs if p.style.name == "List Bullet")
    assert bullet.text == "Police (DI): " + HOSTILE
    assert document.tables[0].rows[1].cells[0].text == HOSTILE.replace("\n", " / ")


def test_right_to_left_and_mixed_script_text_survive(tmp_path):
    typed = "الطفل ت — שלום — Дитина — 子供 — Child T (ok)"
    markdown = f"# {md(typed)}\n\n{md(typed)}\n\n| {md_cell(typed)} |\n| --- |\n| {md_cell(typed)} |\n"
    document = docx.Document(str(write_document(parse_document(markdown), tmp_path / "rtl.docx", title=typed)))
    assert [p.text for p in document.paragraphs if p.text] == [typed, typed]
    assert document.tables[0].rows[1].cells[0].text == typed
    assert document.core_properties.title == typed


def test_characters_word_cannot_hold_are_dropped_not_fatal(tmp_path):
    document = docx.Document(str(write_document(parse_document("a\x01b\x0bc\n"), tmp_path / "c.docx", title="t\x02")))
    assert document.paragraphs[0].text == "abc"
