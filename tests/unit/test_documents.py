"""LocalDocuments: each document as .md and .docx, written whole or not at all."""

from __future__ import annotations

import docx
import pytest

from scr.backends.local import documents as documents_module
from scr.backends.local.documents import LocalDocuments
from scr.errors import StoreError, TemplateError
from scr.rendering import Renderer, parse_document
from tests import render_samples as samples

HOSTILE = "<script>alert(1)</script>\n# heading\n|pipe|\n{{ 7*7 }}"


def all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_write_puts_markdown_and_word_side_by_side(tmp_path):
    paths = LocalDocuments(tmp_path).write("SCR-2026-014", "factor-summary", parse_document("# Title\n\nBody.\n"))
    assert paths == [tmp_path / "SCR-2026-014" / "factor-summary.md", tmp_path / "SCR-2026-014" / "factor-summary.docx"]
    assert paths[0].read_text(encoding="utf-8") == "# Title\n\nBody.\n"
    assert docx.Document(str(paths[1])).paragraphs[0].style.name == "Heading 1"
    assert sorted(p.name for p in paths[0].parent.iterdir()) == ["factor-summary.docx", "factor-summary.md"]


@pytest.mark.parametrize(
    "review_id, name",
    [
        ("../escape", "doc"),
        ("SCR-1", "../../etc/passwd"),
        ("SCR/1", "doc"),
        ("", "doc"),
        ("SCR-1", ".hidden"),
        ("SCR-1", "a..b"),
        ("SCR 1", "doc"),
    ],
)
def test_unsafe_names_are_refused_before_anything_is_written(tmp_path, review_id, name):
    with pytest.raises(StoreError, match="letters, digits"):
        LocalDocuments(tmp_path / "out").write(review_id, name, parse_document("# x\n"))
    assert not (tmp_path / "out").exists()


def test_a_failure_while_writing_word_leaves_no_file_and_no_temporary(tmp_path, monkeypatch):
    store = LocalDocuments(tmp_path)
    store.write("SCR-1", "tor", parse_document("# Old version\n"))

    def broken(document, path, title, look=None):
        path.write_bytes(b"half a document")
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(documents_module, "write_document", broken)
    with pytest.raises(RuntimeError):
        store.write("SCR-1", "tor", parse_document("# New version\n"))
    with pytest.raises(RuntimeError):
        store.write("SCR-1", "evidence", parse_document("# Evidence\n"))
    folder = tmp_path / "SCR-1"
    assert sorted(p.name for p in folder.iterdir()) == ["tor.docx", "tor.md"]
    assert (folder / "tor.md").read_text() == "# Old version\n"


def test_a_rendering_failure_writes_nothing(tmp_path):
    renderer, store = Renderer(), LocalDocuments(tmp_path)
    context = samples.contexts()["terms-of-reference.md.j2"]
    del context["rationale"]
    with pytest.raises(TemplateError):
        store.write("SCR-2026-014", "terms-of-reference", renderer.document("terms-of-reference.md.j2", **context))
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_store_error(tmp_path):
    (tmp_path / "SCR-1").write_text("a file where the folder should be")
    with pytest.raises(StoreError, match="SCR-1"):
        LocalDocuments(tmp_path).write("SCR-1", "tor", parse_document("# x\n"))


@pytest.mark.parametrize("template", ["factor-summary.md.j2", "terms-of-reference.md.j2"])
def test_hostile_comments_are_escaped_in_markdown_and_literal_in_word(tmp_path, template):
    context = samples.contexts(comment=HOSTILE)[template]
    document = Renderer().document(template, **context)
    md_path, docx_path = LocalDocuments(tmp_path).write("SCR-2026-014", template.split(".")[0], document)

    text = md_path.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\\# heading" in text and "\n# heading" not in text
    assert "\\|pipe\\|" in text
    assert "49" not in text and "\\{\\{ 7\\*7 \\}\\}" in text

    document = docx.Document(str(docx_path))
    words = all_text(document)
    assert "<script>alert(1)</script>" in words
    assert "{{ 7*7 }}" in words and "|pipe|" in words
    assert "heading" not in [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(p.style.name == "Heading 1" for p in document.paragraphs)


def test_factor_summary_tables_keep_their_columns_in_word(tmp_path):
    document = Renderer().document("factor-summary.md.j2", **samples.contexts(comment=HOSTILE)["factor-summary.md.j2"])
    _, docx_path = LocalDocuments(tmp_path).write("SCR-2026-014", "factor-summary", document)
    tables = docx.Document(str(docx_path)).tables
    assert [c.text for c in tables[0].rows[0].cells] == ["Factor", "Weight", "Split",
                                                         "Agencies rating it central or significant"]
    assert [c.text for c in tables[1].rows[0].cells] == ["Agency", "Invited", "Answered"]
    assert {len(t.columns) for t in tables[2:]} == {3}
    assert all(t.style.name == "Table Grid" for t in tables)


def test_right_to_left_names_survive_the_whole_way(tmp_path):
    typed = "ملاحظة من الشرطة: הערה — mixed 子供 text"
    document = Renderer().document("factor-summary.md.j2", **samples.contexts(comment=typed)["factor-summary.md.j2"])
    md_path, docx_path = LocalDocuments(tmp_path).write("SCR-2026-014", "factor-summary", document)
    assert typed in md_path.read_text(encoding="utf-8")
    assert f"Probation (Head of service): {typed}" in all_text(docx.Document(str(docx_path)))
