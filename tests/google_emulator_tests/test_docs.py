"""Docs v1 through the real google-api-python-client."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError

from tests.google_emulator import Behaviours, GoogleEmulator


def _text(content: list[dict]) -> str:
    """The text of StructuralElements, table cells included, as a reader of documents.get sees it."""
    out = []
    for element in content:
        for run in element.get("paragraph", {}).get("elements", []):
            out.append(run["textRun"]["content"])
        for row in element.get("table", {}).get("tableRows", []):
            for cell in row["tableCells"]:
                out.append(_text(cell["content"]))
    return "".join(out)


def _new_doc(emu: GoogleEmulator, title: str = "Terms of reference") -> tuple[object, str]:
    docs = emu.build("docs")
    return docs, docs.documents().create(body={"title": title}).execute()["documentId"]


def test_insert_text_and_heading_style(emu: GoogleEmulator) -> None:
    docs, doc_id = _new_doc(emu)
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Terms of reference\nScope of the review\n"}},
        {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 19},
                                  "paragraphStyle": {"namedStyleType": "HEADING_1"}, "fields": "namedStyleType"}},
        {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 5}, "textStyle": {"bold": True},
                             "fields": "bold"}},
    ]}).execute()
    doc = docs.documents().get(documentId=doc_id).execute()
    assert doc["title"] == "Terms of reference"
    paragraphs = [e for e in doc["body"]["content"] if "paragraph" in e]
    assert [p["paragraph"]["elements"][0]["textRun"]["content"] for p in paragraphs] == [
        "Terms of reference\n", "Scope of the review\n", "\n"]
    assert paragraphs[0]["paragraph"]["paragraphStyle"]["namedStyleType"] == "HEADING_1"
    assert paragraphs[1]["paragraph"]["paragraphStyle"]["namedStyleType"] == "NORMAL_TEXT"
    assert (paragraphs[0]["startIndex"], paragraphs[0]["endIndex"]) == (1, 20)


def test_table_cells_filled_from_the_indices_get_reports(emu: GoogleEmulator) -> None:
    docs, doc_id = _new_doc(emu)
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Panel"}},
        {"insertTable": {"rows": 2, "columns": 2, "endOfSegmentLocation": {}}},
    ]}).execute()
    doc = docs.documents().get(documentId=doc_id).execute()
    (table,) = [e for e in doc["body"]["content"] if "table" in e]
    cells = [c for row in table["table"]["tableRows"] for c in row["tableCells"]]
    assert cells[0]["content"][0]["startIndex"] == table["startIndex"] + 3
    words = ["Name", "Role", "Ann", "Chair"]
    requests = [{"insertText": {"location": {"index": cell["content"][0]["startIndex"]}, "text": word}}
                for cell, word in zip(cells, words, strict=True)]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": requests[::-1]}).execute()
    doc = docs.documents().get(documentId=doc_id).execute()
    assert _text(doc["body"]["content"]) == "Panel\nName\nRole\nAnn\nChair\n\n"
    (table,) = [e for e in doc["body"]["content"] if "table" in e]
    assert table["table"]["rows"] == 2 and table["table"]["columns"] == 2


def test_delete_content_range_merges_paragraphs(emu: GoogleEmulator) -> None:
    docs, doc_id = _new_doc(emu)
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Hello\nbrave world"}},
        {"deleteContentRange": {"range": {"startIndex": 6, "endIndex": 12}}},
    ]}).execute()
    doc = docs.documents().get(documentId=doc_id).execute()
    assert _text(doc["body"]["content"]) == "Hello world\n"


def test_bad_indices_are_refused_and_nothing_applies(emu: GoogleEmulator) -> None:
    docs, doc_id = _new_doc(emu)
    requests = [{"insertText": {"location": {"index": 1}, "text": "kept?"}},
                {"insertText": {"location": {"index": 99}, "text": "x"}}]
    with pytest.raises(HttpError) as caught:
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": requests}).execute()
    assert caught.value.status_code == 400
    assert "requests[1]" in caught.value.reason
    with pytest.raises(HttpError):  # the final newline of the body cannot go
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
            {"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 2}}}]}).execute()
    assert _text(docs.documents().get(documentId=doc_id).execute()["body"]["content"]) == "\n"


def test_replace_all_text_counts_occurrences(emu: GoogleEmulator) -> None:
    docs, doc_id = _new_doc(emu)
    reply = docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "{{case}} and {{CASE}}"}},
        {"replaceAllText": {"containsText": {"text": "{{case}}", "matchCase": False}, "replaceText": "SCR-7"}},
    ]}).execute()
    assert reply["replies"][1] == {"replaceAllText": {"occurrencesChanged": 2}}


def test_unimplemented_request_kinds_answer_501(emu: GoogleEmulator) -> None:
    docs, doc_id = _new_doc(emu)
    with pytest.raises(HttpError) as caught:
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
            {"insertPageBreak": {"location": {"index": 1}}}]}).execute()
    assert caught.value.status_code == 501


@pytest.mark.parametrize("start", ["0", "1"])
def test_a_default_header_is_created_once_and_text_goes_into_it_by_its_segment_id(start: str) -> None:
    """docs.v1 CreateHeaderRequest: applied to the DocumentStyle without a section break; "If a header of the
    specified type already exists, a 400 bad request error is returned". Where its indices start is the
    `header_start` switch (undocumented)."""
    with GoogleEmulator(behaviours=Behaviours(header_start=start)) as emu:
        _header_made_once(emu, int(start))
        assert emu.emulator_errors() == []


def _header_made_once(emu: GoogleEmulator, start: int) -> None:
    docs, doc_id = _new_doc(emu)
    reply = docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"createHeader": {"type": "DEFAULT"}}]}).execute()
    header_id = reply["replies"][0]["createHeader"]["headerId"]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"endOfSegmentLocation": {"segmentId": header_id}, "text": "OFFICIAL"}}]}).execute()
    doc = docs.documents().get(documentId=doc_id).execute()
    assert doc["documentStyle"]["defaultHeaderId"] == header_id
    assert _text(doc["headers"][header_id]["content"]) == "OFFICIAL\n"
    [paragraph] = doc["headers"][header_id]["content"]
    assert (paragraph.get("startIndex", 0), paragraph["endIndex"]) == (start, start + 9)
    assert _text(doc["body"]["content"]) == "\n", "the body is untouched"
    with pytest.raises(HttpError) as refused:
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
            {"createHeader": {"type": "DEFAULT"}}]}).execute()
    assert refused.value.resp.status == 400
    with pytest.raises(HttpError) as unknown:
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
            {"insertText": {"endOfSegmentLocation": {"segmentId": "kix.nothere"}, "text": "x"}}]}).execute()
    assert unknown.value.resp.status == 400
