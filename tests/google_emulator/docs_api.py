"""Docs v1: documents.create, documents.get, documents.batchUpdate.

batchUpdate applies insertText, insertTable, deleteContentRange, updateParagraphStyle,
updateTextStyle (checked, styling not kept), replaceAllText, createParagraphBullets,
deleteParagraphBullets and createHeader, all or nothing; other kinds answer 501 so a test notices instead
of passing silently. Indices count UTF-16 code units (see docs_model).

Headers: ``CreateHeaderRequest`` "Creates a Header ... applied to the DocumentStyle" when no section break is
given, and "If a header of the specified type already exists, a 400 bad request error is returned"; its reply
carries ``headerId``. A new header holds one empty paragraph. insertText (at ``endOfSegmentLocation`` or a
``location``) and updateParagraphStyle/updateTextStyle take a ``segmentId`` naming it (docs.v1 ``Location``,
``Range``, ``EndOfSegmentLocation``: "The ID of the header, footer or footnote"). Where a header's indices
start is not documented: ``Behaviours.header_start`` starts them at 0 or at 1, and the product reads them
back rather than assuming either. An unknown ``segmentId`` is 400 (the emulator's wording).
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
    headers: dict[str, list[model.Block]] = field(default_factory=dict)
    default_header_id: str | None = None

    def end(self) -> int:
        return 1 + model.content_size(self.body)

    header_start: int = 0  # Behaviours.header_start, set when the document is read or changed

    def segment(self, where: dict[str, Any]) -> tuple[list[model.Block], int]:
        """The content a location or range is in (the body, or the header its segmentId names) and its base."""
        segment_id = where.get("segmentId")
        if not segment_id:
            return self.body, 1
        if segment_id not in self.headers:
            raise invalid(f"The segment {segment_id!r} does not exist (no header, footer or footnote has that id).")
        return self.headers[segment_id], self.header_start


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
    doc.header_start = int(state.behaviours.header_start)
    section = {"endIndex": 1, "sectionBreak": {"sectionStyle": {
        "columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT", "sectionType": "CONTINUOUS"}}}
    body = {"content": [section, *model.render(doc.body, 1)]}
    out: dict[str, Any] = {"documentId": document_id, "title": state.files[document_id]["name"],
                           "revisionId": f"rev{doc.revision:06d}", "documentStyle": {}}
    if doc.default_header_id:
        out["documentStyle"]["defaultHeaderId"] = doc.default_header_id
    content: dict[str, Any] = {"body": body}
    if doc.headers:
        content["headers"] = {hid: {"headerId": hid, "content": model.render(blocks, doc.header_start)}
                              for hid, blocks in doc.headers.items()}
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
    doc.header_start = int(state.behaviours.header_start)
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
        content, base, index = _where(doc, spec, segments=True)
        model.insert_text(content, index, spec.get("text", ""), base)
    elif kind == "createHeader":
        if spec.get("type") != "DEFAULT" or spec.get("sectionBreakLocation"):
            raise ApiError(501, "The emulator creates only the document's DEFAULT header.")
        if doc.default_header_id:
            raise invalid("A default header already exists.")
        header_id = f"kix.header{len(doc.headers) + 1:04d}"
        doc.headers[header_id] = [model.Paragraph()]
        doc.default_header_id = header_id
        return {"createHeader": {"headerId": header_id}}
    elif kind == "insertTable":
        model.insert_table(doc.body, _where(doc, spec)[2], int(spec.get("rows", 0)), int(spec.get("columns", 0)))
    elif kind == "deleteContentRange":
        start, end = _range(doc, spec)
        model.delete_range(doc.body, 1, start, end)
    elif kind == "updateParagraphStyle":
        start, end = _range(doc, spec, segments=True)
        fields = _fields(spec)
        style = spec.get("paragraphStyle") or {}
        content, base = doc.segment(spec.get("range") or {})
        for paragraph in model.paragraphs_in(content, base, start, end):
            for name in (list(style) if fields == ["*"] else fields):
                if name in style:
                    paragraph.style[name] = copy.deepcopy(style[name])
                else:
                    paragraph.style.pop(name, None)
    elif kind == "updateTextStyle":
        _range(doc, spec, segments=True)
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


def _check_segment(where: dict[str, Any], segments: bool = False) -> None:
    if where.get("segmentId") and not segments:
        raise ApiError(501, "The emulator supports headers only in insertText, updateParagraphStyle and "
                            "updateTextStyle.")
    if where.get("tabId") not in (None, "", "t.0"):
        raise invalid(f"Tab {where['tabId']!r} does not exist.")


def _where(doc: Document, spec: dict[str, Any], segments: bool = False) -> tuple[list[model.Block], int, int]:
    """The segment's content, its base, and the index a location names in it."""
    if ("location" in spec) == ("endOfSegmentLocation" in spec):
        raise invalid("Exactly one of location and endOfSegmentLocation must be set.")
    where = spec.get("endOfSegmentLocation") or spec.get("location") or {}
    _check_segment(where, segments)
    content, base = doc.segment(where)
    end = base + model.content_size(content)
    if "endOfSegmentLocation" in spec:
        return content, base, end - 1
    index = int(spec["location"].get("index", 0))
    if index >= end:
        raise invalid(f"Index {index} must be less than the end index of the referenced segment, {end}.")
    return content, base, index


def _range(doc: Document, spec: dict[str, Any], segments: bool = False) -> tuple[int, int]:
    where = spec.get("range") or {}
    _check_segment(where, segments)
    content, base = doc.segment(where)
    start, end = int(where.get("startIndex", 0)), int(where.get("endIndex", 0))
    if start < base or end <= start:
        raise invalid(f"The range [{start}, {end}) is empty or starts before index {base}.")
    if end > base + model.content_size(content):
        raise invalid(f"Index {end - 1} must be less than the end index of the referenced segment, "
                      f"{base + model.content_size(content)}.")
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


def header_text(state: State, document_id: str) -> str:
    """The text of the document's default header, "" when it has none (for assertions in tests)."""
    doc = document(state, document_id)
    return model.plain_text(doc.headers[doc.default_header_id]) if doc.default_header_id else ""


def plain_text(state: State, document_id: str) -> str:
    """The document's text, cells included (for assertions in tests)."""
    return model.plain_text(document(state, document_id).body)


HANDLERS = {
    "docs.documents.create": create,
    "docs.documents.get": get,
    "docs.documents.batchUpdate": batch_update,
}
