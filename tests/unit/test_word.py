"""Word documents a board can file: A4, marked, numbered, named for the board, placeholders highlighted,
columns that fit, and the board's own template."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Mm, RGBColor

from scr.backends.local.documents import LocalDocuments, word_look
from scr.config import parse_config
from scr.domain.model import DocumentStyle
from scr.errors import ConfigError, TemplateError
from scr.rendering import Renderer, parse_document
from scr.rendering.word import WordLook, column_widths, default_template, write_document
from tests import render_samples as samples

# A 1x1 PNG: the "logo" of a board's template.
LOGO = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
                        "AAAABJRU5ErkJggg==")
LOOK = WordLook("Northshire Safeguarding Children Partnership")
TOR = Renderer().render("terms-of-reference.md.j2", **samples.contexts()["terms-of-reference.md.j2"])


def xml_of(part) -> str:
    return part._element.xml


@pytest.fixture(scope="module")
def tor(tmp_path_factory) -> docx.document.Document:
    path = write_document(parse_document(TOR), tmp_path_factory.mktemp("word") / "tor.docx", "fallback title", LOOK)
    return docx.Document(str(path))


def test_pages_are_a4(tor):
    for section in tor.sections:  # Word keeps twentieths of a point: A4 to within a tenth of a millimetre
        assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)


def test_every_page_carries_the_marking_and_page_x_of_y(tor):
    section = tor.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    footer = xml_of(section.footer)
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert "OFFICIAL-SENSITIVE" in section.footer.paragraphs[-1].text
    assert "Page 1 of 1" in section.footer.paragraphs[-1].text  # shown until Word updates the fields


def test_a_configured_marking_replaces_the_default(tmp_path):
    path = write_document(parse_document("# Note\n\nText.\n"), tmp_path / "n.docx", "n", WordLook("Board", "OFFICIAL"))
    header = docx.Document(str(path)).sections[0].header
    assert [p.text for p in header.paragraphs if p.text] == ["OFFICIAL"]


def test_properties_name_the_board_not_the_library(tor):
    properties = tor.core_properties
    assert properties.author == properties.last_modified_by == "Northshire Safeguarding Children Partnership"
    assert properties.title == "Terms of reference: Serious Case Review concerning Child T"
    assert "python-docx" not in f"{properties.author}{properties.last_modified_by}{properties.comments}"
    assert properties.keywords == "OFFICIAL-SENSITIVE"


def test_placeholders_are_highlighted_and_nothing_else(tor):
    highlighted = [r for p in tor.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    texts = "".join(r.text for r in highlighted)
    assert texts.count("To be completed by the board:") >= 12
    assert "==" not in "\n".join(p.text for p in tor.paragraphs)
    family = next(p for p in tor.paragraphs if "how the family will be told" in p.text)
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in family.runs)
    purpose = next(p for p in tor.paragraphs if p.text.startswith("The purpose of this"))
    assert not any(r.font.highlight_color for r in purpose.runs)


def test_an_equals_sign_a_person_typed_is_text_not_a_highlight(tmp_path):
    typed = "risk == high; a = b ="
    markdown = Renderer().render("factor-summary.md.j2", **samples.contexts(comment=typed)["factor-summary.md.j2"])
    document = docx.Document(str(write_document(parse_document(markdown), tmp_path / "s.docx", "s", LOOK)))
    runs = [r for p in document.paragraphs for r in p.runs if "risk" in r.text]
    assert any(typed in r.text for r in runs) and not any(r.font.highlight_color for r in runs)


def test_column_widths_fit_their_content(tmp_path):
    widths = column_widths([["Agency", "Invited"], ["Northshire Council Children's Social Care", "2"]], Mm(170))
    assert widths[0] > 4 * widths[1] and sum(widths) <= Mm(170)
    weight = column_widths([["Factor", "Weight"], ["B1 " + "word " * 60, "significant"]], Mm(170))[1]
    assert weight >= 12 * 68000  # "significant" is never broken across lines
    markdown = Renderer().render("qm6-evidence.md.j2", **samples.contexts()["qm6-evidence.md.j2"])
    evidence = docx.Document(str(write_document(parse_document(markdown), tmp_path / "e.docx", "e", LOOK)))
    table = next(t for t in evidence.tables if t.rows[0].cells[0].text == "Name")
    text_width = Mm(210 - 40)
    cells = [c.width for c in table.rows[0].cells]
    assert abs(sum(cells) - text_width) < Mm(0.5)  # the table spans the text width (Word rounds to twips)
    assert len(set(cells)) > 1  # not equal columns
    assert table.rows[0]._tr.trPr is not None and "tblHeader" in table.rows[0]._tr.trPr.xml


def test_one_long_comment_does_not_squeeze_the_other_columns():
    widths = column_widths([["Agency", "Comment"], ["Police", "x " * 400]], Mm(170))
    assert widths[0] >= 7 * 68000 and widths[1] > widths[0]


def board_template(path: Path) -> Path:
    """A board's own template: a blue Heading 1, a logo and a line of its own in the header, a body to drop."""
    document = docx.Document(str(default_template()))
    document.styles["Heading 1"].font.color.rgb = RGBColor(0x00, 0x55, 0xAA)
    header = document.sections[0].header.paragraphs[0]
    logo = path.parent / "logo.png"
    logo.write_bytes(LOGO)
    header.add_run().add_picture(str(logo), width=Mm(20))
    header.add_run("Northshire Safeguarding Children Partnership")
    document.add_paragraph("Body text of the template, to be replaced.")
    document.save(str(path))
    return path


def test_a_boards_template_gives_its_styles_header_and_logo(tmp_path):
    template = board_template(tmp_path / "northshire.docx")
    path = write_document(parse_document(TOR), tmp_path / "tor.docx", "t", dataclasses.replace(LOOK, template=template))
    document = docx.Document(str(path))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x55, 0xAA)
    header = document.sections[0].header
    assert "a:blip" in xml_of(header)  # the logo
    assert any("Northshire Safeguarding Children Partnership" in p.text for p in header.paragraphs)
    assert any(p.text == "OFFICIAL-SENSITIVE" for p in header.paragraphs)
    assert not any("Body text of the template" in p.text for p in document.paragraphs)
    assert document.paragraphs[0].style.name == "Heading 1"


def test_a_template_without_the_writers_styles_still_writes_every_word(tmp_path):
    bare = tmp_path / "bare.docx"
    document = docx.Document(str(default_template()))
    for name in ("Quote", "List Bullet 2", "Table Grid"):
        element = document.styles[name].element
        element.getparent().remove(element)
    document.save(str(bare))
    sample = "# T\n\n- a\n  - nested\n\n> quoted\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    path = write_document(parse_document(sample), tmp_path / "x.docx", "x", WordLook("B", template=bare))
    written = docx.Document(str(path))
    assert [p.text for p in written.paragraphs if p.text] == ["T", "a", "nested", "quoted"]
    assert written.tables[0].rows[1].cells[1].text == "2"


def test_a_template_that_is_not_a_word_file_is_a_template_error_naming_it(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_text("not a zip")
    with pytest.raises(TemplateError, match="broken.docx"):
        write_document(parse_document("# T\n"), tmp_path / "x.docx", "x", WordLook("B", template=broken))


def test_the_configured_template_must_be_an_existing_word_file(tmp_path):
    import yaml

    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "config" / "example-board.yaml").read_text())
    raw["board"]["word_template"] = str(tmp_path / "missing.docx")
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert caught.value.problems[0][0] == "board.word_template" and "no such file" in caught.value.problems[0][1]
    raw["board"]["word_template"] = str(board_template(tmp_path / "ok.docx"))
    assert parse_config(raw).board.word_template == (tmp_path / "ok.docx").resolve()


def test_local_documents_take_the_reviews_board_marking_and_template(tmp_path):
    template = board_template(tmp_path / "northshire.docx")
    review = dataclasses.replace(samples.partnership_review(), style=DocumentStyle("OFFICIAL", str(template)))
    store = LocalDocuments(tmp_path / "OUT", lambda review_id: word_look(review))
    _, path = store.write(review.review_id, "terms-of-reference", parse_document("# Terms of reference\n\nText.\n"))
    document = docx.Document(str(path))
    assert document.core_properties.author == "Northshire Safeguarding Children Partnership"
    assert any(p.text == "OFFICIAL" for p in document.sections[0].header.paragraphs)
    assert "a:blip" in xml_of(document.sections[0].header)


def test_table_text_takes_the_templates_table_size_and_body_text_does_not(tmp_path):
    markdown = Renderer().render("qm6-evidence.md.j2", **samples.contexts()["qm6-evidence.md.j2"])
    document = docx.Document(str(write_document(parse_document(markdown), tmp_path / "e.docx", "e", LOOK)))
    sizes = {run.font.size.pt for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for run in p.runs}
    assert sizes == {document.styles["Table Grid"].font.size.pt} == {9.0}
    assert all(run.font.size is None for p in document.paragraphs for run in p.runs)


def test_a_tables_header_row_repeats_on_each_page_and_spaces_at_a_runs_edges_are_kept(tmp_path):
    markdown = "# T\n\nLead **bold** tail\n\n| Agency | Answered |\n| --- | --- |\n| Police | 3 |\n"
    document = docx.Document(str(write_document(parse_document(markdown), tmp_path / "t.docx", "t", LOOK)))
    header, row = document.tables[0].rows
    assert header._tr.trPr is not None and 'w:tblHeader w:val="true"' in header._tr.trPr.xml
    assert row._tr.trPr is None
    lead = next(p for p in document.paragraphs if p.text.startswith("Lead"))
    assert [r.text for r in lead.runs] == ["Lead ", "bold", " tail"]  # Word would drop unpreserved edge spaces
    assert 'xml:space="preserve"' in lead._p.xml


def test_a_table_built_with_short_rows_still_has_every_cell(tmp_path):
    from scr.rendering.document import Document, Run, Table

    table = Table(((Run("A"),), (Run("B"),), (Run("C"),)), (((Run("only"),),),))
    path = write_document(Document((table,), ""), tmp_path / "r.docx", "ragged", LOOK)
    (written,) = docx.Document(str(path)).tables
    assert [[c.text for c in r.cells] for r in written.rows] == [["A", "B", "C"], ["only", "", ""]]
    assert all(c.width for r in written.rows for c in r.cells)
