"""Docs v1: documents.create, documents.get, documents.batchUpdate.

batchUpdate applies insertText, insertTable, deleteContentRange, updateParagraphStyle,
updateTextStyle (checked, styling not kept), replaceAllText, createParagraphBullets and
deleteParagraphBullets, all or nothing; other kinds answer 501 so a test notices instead of passing
silently. Indices count UTF-16 code units (see docs_model).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from . import docs_model as model
from .errors import ApiError, invalid
from .state import DOCUMENT, Call, State


@dataclass
class Document:
    body: list[model.Block] = field(default_factory=lambda: [model.Paragraph()])
    revision: int = 1
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)

    def end(self) -> int:
        return 1 + model.content_size(self.body)


def document(state: State, document_id: str) -> Document:
    found = state.documents.get(document_id)
    if found is None or state.files.get(document_id, {}).get("trashed"):
        raise ApiError(404, f"Requested entity was not found. (document {document_id})")
    return found


def create(call: Call) -> dict[str, Any]:
    body = call.body or {}  # "Other fields in the request, including any provided content, are ignored."
    meta = call.state.new_file(body.get("title") or "Untitled document", DOCUMENT)
    call.state.documents[meta["id"]] = Document()
    return _render(call.state, meta["id"], tabs=False)


def get(call: Call) -> dict[str, Any]:
    return _render(call.state, call.param("documentId"), tabs=bool(call.param("includeTabsContent")))


def _render(state: State, document_id: str, tabs: bool) -> dict[str, Any]:
    doc = document(state, document_id)
    section = {"endIndex": 1, "sectionBreak": {"sectionStyle": {
        "columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT", "sectionType": "CONTINUOUS"}}}
    body = {"content": [section, *model.render(doc.body, 1)]}
    out: dict[str, Any] = {"documentId": document_id, "title": state.files[document_id]["name"],
                           "revisionId": f"rev{doc.revision:06d}", "documentStyle": {}}
    content: dict[str, Any] = {"body": body}
    if doc.lists:
        content["lists"] = copy.deepcopy(doc.lists)
    if tabs:  # docs.v1 Document.tabs: with includeTabsContent the content is the tab's, as the recorded body
        # tests/google_contract/fixtures/docs_get_tabs_with_bullets.json has it (body and lists in documentTab)
        out["tabs"] = [{"tabProperties": {"tabId": "t.0", "title": "Tab 1", "index": 0},
                        "documentTab": {**content, "documentStyle": {}}}]
    else:
        out.update(content)
    return out


def batch_update(call: Call) -> dict[str, Any]:
    state = call.state
    document_id = call.param("documentId")
    original = document(state, document_id)
    body = call.body or {}
    required = (body.get("writeControl") or {}).get("requiredRevisionId")
    if required and required != f"rev{original.revision:06d}":
        raise invalid(f"The required revision ID {required!r} does not match the latest revision.")
    doc = copy.deepcopy(original)  # all requests apply, or none
    replies = []
    for i, request in enumerate(body.get("requests", [])):
        if len(request) != 1:
            raise invalid(f"Invalid requests[{i}]: exactly one kind of request must be set.")
        kind, spec = next(iter(request.items()))
        try:
            replies.append(_apply(doc, kind, spec))
        except ApiError as error:
            error.message = f"Invalid requests[{i}].{kind}: {error.message}"
            raise
    doc.revision += 1
    state.documents[document_id] = doc
    state.touch(document_id)
    return {"documentId": document_id, "replies": replies,
            "writeControl": {"requiredRevisionId": f"rev{doc.revision:06d}"}}


def _apply(doc: Document, kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    if kind == "insertText":
        model.insert_text(doc.body, _where(doc, spec), spec.get("text", ""))
    elif kind == "insertTable":
        model.insert_table(doc.body, _where(doc, spec), int(spec.get("rows", 0)), int(spec.get("columns", 0)))
    elif kind == "deleteContentRange":
        start, end = _range(doc, spec)
        model.delete_range(doc.body, 1, start, end)
    elif kind == "updateParagraphStyle":
        start, end = _range(doc, spec)
        fields = _fields(spec)
        style = spec.get("paragraphStyle") or {}
        for paragraph in model.paragraphs_in(doc.body, 1, start, end):
            for name in (list(style) if fields == ["*"] else fields):
                if name in style:
                    paragraph.style[name] = copy.deepcopy(style[name])
                else:
                    paragraph.style.pop(name, None)
    elif kind == "updateTextStyle":
        _range(doc, spec)
        _fields(spec)
    elif kind == "replaceAllText":
        return {"replaceAllText": {"occurrencesChanged": _replace_all(doc, spec)}}
    elif kind == "createParagraphBullets":
        start, end = _range(doc, spec)
        list_id = f"kix.list{len(doc.lists) + 1:04d}"
        doc.lists[list_id] = _list_properties(spec.get("bulletPreset") or "BULLET_DISC_CIRCLE_SQUARE")
        model.create_bullets(doc.body, start, end, list_id)
    elif kind == "deleteParagraphBullets":
        start, end = _range(doc, spec)
        model.delete_bullets(doc.body, start, end)  # the nesting "visually preserved by adding indent"
    else:
        raise ApiError(501, f"The emulator does not implement documents.batchUpdate {kind}.")
    return {}


def _list_properties(preset: str) -> dict[str, Any]:
    """A list's nine nesting levels: numbered presets count, the others show a glyph."""
    numbered = preset.startswith("NUMBERED_")
    level = {"glyphType": "DECIMAL", "glyphFormat": "%0."} if numbered else {"glyphSymbol": "\u25cf"}
    return {"listProperties": {"nestingLevels": [
        {**level, "indentStart": {"magnitude": 36.0 + 36 * n, "unit": "PT"},
         "indentFirstLine": {"magnitude": 18.0 + 36 * n, "unit": "PT"}} for n in range(9)]}}


def _check_segment(where: dict[str, Any]) -> None:
    if where.get("segmentId"):
        raise ApiError(501, "The emulator supports the body only (no headers, footers or footnotes).")
    if where.get("tabId") not in (None, "", "t.0"):
        raise invalid(f"Tab {where['tabId']!r} does not exist.")


def _where(doc: Document, spec: dict[str, Any]) -> int:
    if ("location" in spec) == ("endOfSegmentLocation" in spec):
        raise invalid("Exactly one of location and endOfSegmentLocation must be set.")
    if "endOfSegmentLocation" in spec:
        _check_segment(spec["endOfSegmentLocation"])
        return doc.end() - 1
    _check_segment(spec["location"])
    index = int(spec["location"].get("index", 0))
    if index >= doc.end():
        raise invalid(f"Index {index} must be less than the end index of the referenced segment, {doc.end()}.")
    return index


def _range(doc: Document, spec: dict[str, Any]) -> tuple[int, int]:
    where = spec.get("range") or {}
    _check_segment(where)
    start, end = int(where.get("startIndex", 0)), int(where.get("endIndex", 0))
    if start < 1 or end <= start:
        raise invalid(f"The range [{start}, {end}) is empty or starts before index 1.")
    if end > doc.end():
        raise invalid(f"Index {end - 1} must be less than the end index of the referenced segment, {doc.end()}.")
    return start, end


def _fields(spec: dict[str, Any]) -> list[str]:
    fields = spec.get("fields")
    if not fields:
        raise invalid("fields is required: name the style fields to update, or '*'.")
    return [f.strip() for f in fields.split(",")]


def _replace_all(doc: Document, spec: dict[str, Any]) -> int:
    criteria = spec.get("containsText") or {}
    needle, replacement = criteria.get("text", ""), spec.get("replaceText", "")
    if not needle:
        raise invalid("containsText.text must not be empty.")
    if criteria.get("searchByRegex") or "\n" in replacement:
        raise ApiError(501, "The emulator does not implement replaceAllText by regex or with newlines.")
    changed = 0
    for paragraph in model.all_paragraphs(doc.body):
        body = paragraph.text[:-1]
        if criteria.get("matchCase"):
            changed += body.count(needle)
            paragraph.text = body.replace(needle, replacement) + "\n"
        else:
            lowered, out, pos = body.lower(), [], 0
            while (hit := lowered.find(needle.lower(), pos)) >= 0:
                out += [body[pos:hit], replacement]
                pos, changed = hit + len(needle), changed + 1
            paragraph.text = "".join(out) + body[pos:] + "\n"
    return changed


def plain_text(state: State, document_id: str) -> str:
    """The document's text, cells included (for assertions in tests)."""
    return model.plain_text(document(state, document_id).body)


HANDLERS = {
    "docs.documents.create": create,
    "docs.documents.get": get,
    "docs.documents.batchUpdate": batch_update,
}
