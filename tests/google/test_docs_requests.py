"""Markdown blocks as Docs batchUpdate requests, checked by reading the document back from the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from scr.backends.google.docs_requests import document_requests, table_requests, utf16_len
from scr.rendering.document import Paragraph, Run, Table
from scr.rendering.markdown import parse_blocks
from tests.google_emulator import GoogleEmulator

MARKDOWN = """# B1: Scope of the review

Intro with **bold** and *italic* words.

- first point
  - nested point
- second point

> A quoted line

| Agency | Contact |
|---|---|
| Police | **Ann** |
| Health & care | Bob |

## A3: Timeline

Closing paragraph.
"""


def _paragraphs(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(text, namedStyleType) of each top-level paragraph."""
    out = []
    for element in doc["body"]["content"]:
        if "paragraph" in element:
            paragraph = element["paragraph"]
            text = "".join(e["textRun"]["content"] for e in paragraph["elements"])
            out.append((text, paragraph["paragraphStyle"]["namedStyleType"]))
        elif "table" in element:
            out.append(("<table>", ""))
    return out


def _cell_text(cell: dict[str, Any]) -> str:
    return "".join(r["textRun"]["content"] for p in cell["content"] for r in p["paragraph"]["elements"])


def _tables(doc: dict[str, Any]) -> list[list[list[str]]]:
    tables = []
    for element in doc["body"]["content"]:
        if "table" in element:
            tables.append([[_cell_text(cell) for cell in row["tableCells"]] for row in element["table"]["tableRows"]])
    return tables


def _write(emu: GoogleEmulator, markdown: str) -> tuple[Any, str, list[dict]]:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "T"}).execute()["documentId"]
    blocks = parse_blocks(markdown)
    first = document_requests(blocks)
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": first}).execute()
    second = table_requests(docs.documents().get(documentId=doc_id).execute(), blocks)
    if second:
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": second}).execute()
    return docs, doc_id, first


def test_document_reads_back_as_the_markdown(emu: GoogleEmulator) -> None:
    docs, doc_id, _ = _write(emu, MARKDOWN)
    doc = docs.documents().get(documentId=doc_id).execute()
    assert _paragraphs(doc) == [
        ("B1: Scope of the review\n", "HEADING_1"),
        ("Intro with bold and italic words.\n", "NORMAL_TEXT"),
        ("first point\n", "NORMAL_TEXT"),
        ("nested point\n", "NORMAL_TEXT"),
        ("second point\n", "NORMAL_TEXT"),
        ("A quoted line\n", "NORMAL_TEXT"),
        ("\n", "NORMAL_TEXT"),
        ("<table>", ""),
        ("\n", "NORMAL_TEXT"),
        ("A3: Timeline\n", "HEADING_2"),
        ("Closing paragraph.\n", "NORMAL_TEXT"),
    ]
    assert _tables(doc) == [[["Agency\n", "Contact\n"], ["Police\n", "Ann\n"], ["Health & care\n", "Bob\n"]]]
    styles = {e["paragraph"]["elements"][0]["textRun"]["content"]: e["paragraph"]["paragraphStyle"]
              for e in doc["body"]["content"] if "paragraph" in e}
    assert styles["A quoted line\n"]["indentStart"] == {"magnitude": 36.0, "unit": "PT"}
    assert "indentStart" not in styles["Closing paragraph.\n"]


def test_bullets_are_a_real_list_nested_by_level_and_nothing_else_is(emu: GoogleEmulator) -> None:
    docs, doc_id, _ = _write(emu, MARKDOWN)
    doc = docs.documents().get(documentId=doc_id).execute()
    bullets = {e["paragraph"]["elements"][0]["textRun"]["content"]: e["paragraph"].get("bullet")
               for e in doc["body"]["content"] if "paragraph" in e}
    listed = {text: bullet for text, bullet in bullets.items() if bullet}
    assert list(listed) == ["first point\n", "nested point\n", "second point\n"]
    assert len({b["listId"] for b in listed.values()}) == 1 and set(doc["lists"]) == {listed["first point\n"]["listId"]}
    assert [b.get("nestingLevel", 0) for b in listed.values()] == [0, 1, 0]
    assert _tables(doc)[0][1] == ["Police\n", "Ann\n"], "the table still lands where it should"


def test_a_template_whose_text_is_a_list_does_not_make_the_document_a_list(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "Template"}).execute()["documentId"]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [{"createParagraphBullets": {
        "range": {"startIndex": 1, "endIndex": 2}, "bulletPreset": "NUMBERED_DECIMAL_ALPHA_ROMAN"}}]}).execute()
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": document_requests(parse_blocks(
        "# B1: Scope\n\nPlain text.\n\n- a point\n"))}).execute()
    content = docs.documents().get(documentId=doc_id).execute()["body"]["content"]
    listed = [e["paragraph"]["elements"][0]["textRun"]["content"] for e in content
              if "paragraph" in e and "bullet" in e["paragraph"]]
    assert listed == ["a point\n"]


def test_bold_and_italic_ranges_cover_exactly_their_words(emu: GoogleEmulator) -> None:
    _, _, first = _write(emu, MARKDOWN)
    (text,) = [r["insertText"]["text"] for r in first if "insertText" in r]
    styled = {}
    for request in first:
        spec = request.get("updateTextStyle")
        if spec and spec["textStyle"]:
            styled[text[spec["range"]["startIndex"] - 1 : spec["range"]["endIndex"] - 1]] = spec["textStyle"]
    assert styled == {"bold": {"bold": True}, "italic": {"italic": True}}


def test_request_count_is_one_insert_plus_styles_plus_one_per_table() -> None:
    blocks = parse_blocks(MARKDOWN)
    kinds = [next(iter(r)) for r in document_requests(blocks)]
    assert kinds.count("insertText") == 1
    assert kinds.count("insertTable") == 1 and kinds.count("createParagraphBullets") == 1
    assert kinds.count("deleteParagraphBullets") == 1
    # heading, normal with the bullets, quote, normal placeholder, heading 2, normal
    assert kinds.count("updateParagraphStyle") == 6
    assert kinds[-2:] == ["insertTable", "createParagraphBullets"], "the later one first"


def test_table_cells_are_filled_last_first_with_bold_headers(emu: GoogleEmulator) -> None:
    docs, doc_id, _ = _write(emu, "Before\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n| C |\n|---|\n| *3* |\n")
    doc = docs.documents().get(documentId=doc_id).execute()
    assert _tables(doc) == [[["A\n", "B\n"], ["1\n", "2\n"]], [["C\n"], ["3\n"]]]
    blocks = parse_blocks("Before\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n| C |\n|---|\n| *3* |\n")
    empty = emu.build("docs")
    fresh = empty.documents().create(body={"title": "U"}).execute()["documentId"]
    empty.documents().batchUpdate(documentId=fresh, body={"requests": document_requests(blocks)}).execute()
    requests = table_requests(empty.documents().get(documentId=fresh).execute(), blocks)
    inserts = [r["insertText"]["location"]["index"] for r in requests if "insertText" in r]
    assert inserts == sorted(inserts, reverse=True) and len(inserts) == 6
    for before, after in zip(requests, requests[1:], strict=False):
        if "updateTextStyle" in after and "insertText" in before:
            assert after["updateTextStyle"]["range"]["startIndex"] == before["insertText"]["location"]["index"]
    bold = [r["updateTextStyle"]["textStyle"] for r in requests if "updateTextStyle" in r]
    assert bold.count({"bold": True}) == 3 and bold.count({"italic": True}) == 1


def test_a_table_first_and_last_and_empty_cells(emu: GoogleEmulator) -> None:
    docs, doc_id, _ = _write(emu, "| Name | Note |\n|---|---|\n| Ann | |\n")
    doc = docs.documents().get(documentId=doc_id).execute()
    assert _tables(doc) == [[["Name\n", "Note\n"], ["Ann\n", "\n"]]]
    assert _paragraphs(doc)[0] == ("\n", "NORMAL_TEXT")


def test_control_characters_stripped_and_hard_breaks_soft() -> None:
    blocks = [Paragraph((Run("a\x01b\nc\ue000d"),))]
    (insert,) = [r for r in document_requests(blocks) if "insertText" in r]
    assert insert["insertText"]["text"] == "ab\vcd"


def test_indices_count_utf16_units() -> None:
    assert utf16_len("é😀") == 3
    requests = document_requests([Paragraph((Run("😀 "), Run("x", bold=True)))])
    (bold,) = [r for r in requests if "updateTextStyle" in r and r["updateTextStyle"]["textStyle"]]
    assert bold["updateTextStyle"]["range"] == {"startIndex": 4, "endIndex": 5}


def test_empty_markdown_makes_no_requests() -> None:
    assert document_requests(parse_blocks("\n\n")) == []


def test_table_mismatch_is_a_value_error() -> None:
    blocks = [Table(((Run("A"),),), ())]
    with pytest.raises(ValueError, match="expected 1 table"):
        table_requests({"body": {"content": []}}, blocks)
