"""Requests are checked against the discovery documents, with Google's error JSON."""

from __future__ import annotations

import json

import httpx
import pytest
from googleapiclient.errors import HttpError

from tests.google_emulator import GoogleEmulator
from tests.google_emulator.discovery import Router


def _error(caught: pytest.ExceptionInfo[HttpError]) -> dict:
    return json.loads(caught.value.content)["error"]


def test_unknown_body_field_is_named_like_google(emu: GoogleEmulator) -> None:
    forms = emu.build("forms")
    form_id = forms.forms().create(body={"info": {"title": "T"}}).execute()["formId"]
    body = {"requests": [{"createItem": {"item": {"title": "Q", "colour": "red"}, "location": {"index": 0}}}]}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form_id, body=body).execute()
    error = _error(caught)
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == (
        "Invalid JSON payload received. Unknown name \"colour\" at 'requests[0].create_item.item': "
        "Cannot find field.")
    assert error["errors"][0]["message"] == error["message"]


def test_wrong_type_and_bad_enum_are_400(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "T"}).execute()["documentId"]
    wrong_type = {"requests": [{"insertText": {"location": {"index": "first"}, "text": "x"}}]}
    with pytest.raises(HttpError) as caught:
        docs.documents().batchUpdate(documentId=doc_id, body=wrong_type).execute()
    assert _error(caught)["message"] == (
        "Invalid value at 'requests[0].insert_text.location.index' (TYPE_INT32), \"first\"")
    bad_enum = {"requests": [{"updateParagraphStyle": {
        "range": {"startIndex": 1, "endIndex": 2}, "paragraphStyle": {"namedStyleType": "SHOUTING"},
        "fields": "namedStyleType"}}]}
    with pytest.raises(HttpError) as caught:
        docs.documents().batchUpdate(documentId=doc_id, body=bad_enum).execute()
    assert "(TYPE_ENUM), \"SHOUTING\"" in _error(caught)["message"]
    with pytest.raises(HttpError) as caught:
        docs.documents().create(body={"title": ["not", "a", "string"]}).execute()
    assert caught.value.status_code == 400


def test_unknown_query_parameter_is_400(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "T"}).execute()["documentId"]
    request = docs.documents().get(documentId=doc_id)
    request.uri += "&colour=red"
    with pytest.raises(HttpError) as caught:
        request.execute()
    assert caught.value.status_code == 400
    assert 'Unknown name "colour": Cannot bind query parameter' in _error(caught)["message"]


def test_mistyped_query_parameter_is_400(emu: GoogleEmulator) -> None:
    request = emu.build("drive").files().list()
    request.uri += "&pageSize=many"
    with pytest.raises(HttpError) as caught:
        request.execute()
    assert caught.value.status_code == 400


def test_snake_case_body_names_are_accepted_like_proto_json(emu: GoogleEmulator) -> None:
    form = emu.build("forms").forms().create(body={"info": {"document_title": "D", "title": "T"}}).execute()
    assert form["info"]["documentTitle"] == "D"


def test_unknown_path_and_unimplemented_method(emu: GoogleEmulator) -> None:
    nowhere = httpx.get(emu.origin + "/v1/nothing/here")
    assert nowhere.status_code == 404 and nowhere.json()["error"]["status"] == "NOT_FOUND"
    with pytest.raises(HttpError) as caught:
        emu.build("gmail").users().labels().list(userId="me").execute()
    assert caught.value.status_code == 501
    assert emu.counts()["gmail.users.labels.list"] == 1


def test_every_discovery_method_routes_to_itself() -> None:
    router = Router()
    for method in router.methods.values():
        path = method.path.replace("{+", "{")
        for name in method.variables:
            path = path.replace("{" + name + "}", "x1")
        found = router.match(method.http_method, path)
        assert found is not None and found[0].id == method.id, method.id


def test_endpoints_match_how_the_client_builds_urls(emu: GoogleEmulator) -> None:
    assert emu.endpoint("drive") == emu.origin + "/drive/v3/"
    assert emu.endpoint("docs") == emu.origin + "/"
    request = emu.build("drive").files().get(fileId="abc")
    assert request.uri.startswith(emu.origin + "/drive/v3/files/abc?")
