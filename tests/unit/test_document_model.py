"""The document model: rendering reads Markdown once; every writer (the .md file, Word, Google Docs) takes the
model and none parses text again."""

from __future__ import annotations

import ast
from pathlib import Path

import docx

from scr.backends.google.docs_requests import document_requests
from scr.backends.local.documents import LocalDocuments
from scr.rendering import Document, Renderer, parse_document
from scr.rendering.document import Bullet, Heading, Paragraph, Run, Table
from tests import render_samples as samples

ROOT = Path(__file__).resolve().parents[2]
WRITERS = ["scr/rendering/word.py", "scr/backends/local/documents.py", "scr/backends/google/documents.py",
           "scr/backends/google/docs_requests.py"]

# The text says one thing and the blocks another: a writer that parsed the text again would show it.
SPLIT = Document(
    (Heading(1, "From the model"), Paragraph((Run("Body "), Run("bold", bold=True))), Bullet((Run("point"),), 1),
     Table(((Run("Agency"),), (Run("Answered"),)), (((Run("Police"),), (Run("yes"),)),))),
    "# From the text\n\nOther words.\n",
)


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_the_writers_import_the_document_model_and_never_the_parser():
    for writer in WRITERS:
        names = imported_names(ROOT / writer)
        assert any(name.startswith("scr.rendering.document.") for name in names), writer
        assert not any("markdown" in name or "parse" in name for name in names), (writer, sorted(names))


def test_rendering_reads_a_template_once_into_blocks_and_keeps_its_markdown():
    renderer = Renderer()
    context = samples.contexts()["factor-summary.md.j2"]
    document = renderer.document("factor-summary.md.j2", **context)
    assert document.markdown == renderer.render("factor-summary.md.j2", **context)
    assert document == parse_document(document.markdown)
    assert document.title == document.blocks[0].text and document.title.startswith("Factor summary")
    assert document.tables and all(isinstance(table, Table) for table in document.tables)


def test_local_documents_write_the_text_as_markdown_and_the_blocks_as_word(tmp_path):
    md_path, docx_path = LocalDocuments(tmp_path).write("SCR-1", "tor", SPLIT)
    assert md_path.read_bytes() == b"# From the text\n\nOther words.\n"
    word = docx.Document(str(docx_path))
    assert [p.text for p in word.paragraphs if p.text] == ["From the model", "Body bold", "point"]
    assert word.core_properties.title == "From the model"
    assert [c.text for row in word.tables[0].rows for c in row.cells] == ["Agency", "Answered", "Police", "yes"]


def test_google_requests_are_made_from_the_blocks():
    inserted = document_requests(SPLIT.blocks)[0]["insertText"]["text"]
    assert inserted.startswith("From the model\nBody bold\n\tpoint") and "text" not in inserted
