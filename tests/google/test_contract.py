"""Live Google's recorded answers (see SOURCES.md) fed to our adapters, and held against the emulator's.

Each test does two things: our adapter reads the recorded body as it would read live Google's, and the
emulator answers the same call with the same fields present and absent. Where the emulator still differs
from live Google, the difference is written in KNOWN_DIFFERENCES with the issue point that removes it:
the test fails when any other difference appears. An entry whose difference is gone can be deleted.
"""

from __future__ import annotations

from tests.google_contract.shapes import fixture, paths, recorded_service, under

#: call -> (paths only the emulator may give, paths only live Google may give): differences allowed for now.
KNOWN_DIFFERENCES: dict[str, tuple[set[str], set[str]]] = {
    # Output-only formatting of a new spreadsheet; the product never reads it.
    "sheets.spreadsheets.get properties": (set(), {"defaultFormat", "spreadsheetTheme"}),
    # The emulator writes every API's errors alike; Drive v3's (Google's "Resolve errors" guide) carry no
    # "status". The product reads only the HTTP status and error.errors[].reason.
    "drive error": ({"error.status"}, set()),
}


def assert_same_fields(call: str, emulator: set[str], live: set[str]) -> None:
    extra, missing = emulator - live, live - emulator
    allowed_extra, allowed_missing = KNOWN_DIFFERENCES.get(call, (set(), set()))
    assert extra <= allowed_extra and missing <= allowed_missing, (
        f"{call}: the emulator gives {sorted(extra - allowed_extra) or 'nothing'} that live Google does not, and "
        f"lacks {sorted(missing - allowed_missing) or 'nothing'} that live Google gives. Make the emulator answer "
        "as the recorded body in tests/google_contract/fixtures does (not the other way round)."
    )


# -- Forms: responses.list -----------------------------------------------------------------------
def test_our_forms_adapter_reads_a_live_responses_page():
    from scr.backends.google.forms import GoogleForms

    live = fixture("forms_responses_list.json")
    (raw,) = GoogleForms(recorded_service("forms", "v1", live)).responses_since("form-id")
    assert raw.response_id.startswith("ACYDBN")
    assert raw.email is None  # this form does not collect emails: Google leaves respondentEmail out
    assert raw.last_submitted == "2024-06-19T16:05:51.394652Z"  # microseconds, unlike createTime
    assert raw.submitted_at == "2024-06-19T16:05:51.394Z"
    assert raw.answers == {"704f9a53": ["respondent name (trimmed)"], "4842f816": ["L"], "1e9dfb54": ["test"]}


def test_the_emulators_responses_page_has_live_googles_fields(emu):
    forms = emu.build("forms").forms()
    form_id = forms.create(body={"info": {"title": "Contract"}}).execute()["formId"]
    reply = forms.batchUpdate(formId=form_id, body={"requests": [{"createItem": {
        "item": {"title": "Name", "questionItem": {"question": {"textQuestion": {}}}}, "location": {"index": 0}}}]},
    ).execute()
    question = reply["replies"][0]["createItem"]["questionId"][0]
    forms.setPublishSettings(formId=form_id, body={"publishSettings": {"publishState": {
        "isPublished": True, "isAcceptingResponses": True}}, "updateMask": "publish_state"}).execute()
    anyone = {"type": "anyone", "role": "reader", "view": "published"}  # googleworkspace anyone_with_link_responder
    emu.build("drive").permissions().create(fileId=form_id, body=anyone).execute()
    emu.add_response(form_id, None, {question: "an answer"})
    emulated = forms.responses().list(formId=form_id).execute()
    assert_same_fields("forms.responses.list", paths(emulated), paths(fixture("forms_responses_list.json")))


# -- Forms: forms.get ----------------------------------------------------------------------------
def test_our_form_reading_takes_question_ids_from_a_live_form():
    from scr.backends.google.forms import _question_ids

    assert _question_ids(fixture("forms_get.json")) == ["725f1a62", "6b861bea"]
    assert _question_ids(fixture("forms_get_untitled.json")) == ["3f267391"]


def test_the_emulators_form_items_have_live_googles_fields(emu):
    forms = emu.build("forms").forms()
    form_id = forms.create(body={"info": {"title": "Contract"}}).execute()["formId"]
    choice = {"type": "RADIO", "options": [{"value": "1"}, {"value": "2"}]}
    forms.batchUpdate(formId=form_id, body={"requests": [{"createItem": {"item": {
        "title": "2+2", "questionItem": {"question": {"choiceQuestion": choice}}}, "location": {"index": 0}}}]},
    ).execute()
    emulated = paths(forms.get(formId=form_id).execute())
    live = paths(fixture("forms_get.json")) - {p for p in paths(fixture("forms_get.json")) if "grading" in p}
    assert_same_fields("forms.forms.get items", under(emulated, "items[]"), under(live, "items[]"))
    assert {"formId", "info", "revisionId", "responderUri", "items", "settings"} <= emulated


# -- Drive: comments.list ------------------------------------------------------------------------
def test_our_comments_adapter_reads_live_comments_without_emails():
    from scr.backends.google.comments import GoogleComments

    drive = recorded_service("drive", "v3", fixture("drive_comments_list.json"))
    (comment,) = GoogleComments(drive, docs=None).read("file-id")
    assert comment.author_name == "Commenter A"
    assert getattr(comment, "author_email", None) is None  # Google gives no address (the field goes with point 3)
    assert comment.quoted_text is None and comment.replies == () and comment.resolved is False

    drive = recorded_service("drive", "v3", fixture("drive_comments_list_anchored.json"))
    first, second, third = GoogleComments(drive, docs=None).read("file-id")
    assert [r.content for r in first.replies] == ["ipsl remove"]
    assert first.replies[0].author_name == "Commenter B"
    assert getattr(first.replies[0], "author_email", None) is None
    assert second.quoted_text.startswith("with gifs</gif>. <act note=\"finger point\">")  # entities undone
    assert third.content == 'Should have been "nesting nodes"'


def _live_comments() -> list[dict]:
    return fixture("drive_comments_list.json")["comments"] + fixture("drive_comments_list_anchored.json")["comments"]


def test_the_emulators_comments_have_live_googles_fields(emu):
    docs, drive = emu.build("docs"), emu.build("drive")
    file_id = docs.documents().create(body={"title": "Contract"}).execute()["documentId"]
    drive.permissions().create(fileId=file_id, sendNotificationEmail=True, body={
        "type": "user", "role": "commenter", "emailAddress": "ann@example.org"}).execute()
    comment = emu.add_comment(file_id, "ann@example.org", "Ann", "A comment", None)
    emu.add_reply(file_id, comment["id"], "ann@example.org", "Ann", "A reply")
    emu.add_comment(file_id, "ann@example.org", "Ann", "Anchored", "quoted words")
    (page,) = [drive.comments().list(fileId=file_id, fields="*").execute()]
    emulated = [paths(c) for c in page["comments"]]
    live = [paths(c) for c in _live_comments()]
    always, ever = set.intersection(*live), set.union(*live)
    assert always <= set.union(*emulated) | {"author.photoLink"}, "a field live Google always gives is missing"
    top = {p for p in set.union(*emulated) if "." not in p and "[" not in p}
    assert top <= {p for p in ever if "." not in p and "[" not in p}, "the emulator gives a field Google never does"
    assert_same_fields("drive.comments.list author", under(set.union(*emulated), "author"), under(ever, "author"))
    assert_same_fields("drive.comments.list reply author", under(set.union(*emulated), "replies[].author"),
                       under(ever, "replies[].author"))


# -- Docs: documents.get -------------------------------------------------------------------------
def test_our_section_reader_reads_a_live_document_body():
    from scr.backends.google.comments import GENERAL, split_sections

    body = fixture("docs_get_field_mask.json")["tabs"][0]["documentTab"]["body"]
    assert split_sections(body["content"]) == [(GENERAL, "CONTENT")]


def test_the_emulators_document_has_live_googles_fields(emu):
    docs = emu.build("docs").documents()
    doc_id = docs.create(body={"title": "Contract"}).execute()["documentId"]
    docs.batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Some words"}}]}).execute()
    mask = "title,tabs(documentTab(body.content(paragraph))),revisionId"
    emulated = paths(docs.get(documentId=doc_id, includeTabsContent=True, fields=mask).execute())
    assert_same_fields("docs.documents.get", emulated, paths(fixture("docs_get_field_mask.json")))


def test_the_trials_outline_reads_live_headings_and_list_items():
    from scr.backends.google.comments import GENERAL, split_sections
    from scr.backends.google.trial_docs import outline

    tab = fixture("docs_get_tabs_with_bullets.json")["tabs"][0]["documentTab"]
    found = outline(tab["body"]["content"])
    assert found.styles["Notes"] == "HEADING_2"
    assert [item[:21] for item in found.list_items] == ["https://www.tandfonli", "Code is more and less"]
    assert split_sections(tab["body"]["content"])[0][0] == GENERAL  # "Notes" is not an item heading


def test_the_emulators_list_paragraphs_have_live_googles_fields(emu):
    from googleapiclient.errors import HttpError

    docs = emu.build("docs").documents()
    doc_id = docs.create(body={"title": "Contract"}).execute()["documentId"]
    docs.batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "One\nTwo\n"}}]}).execute()
    try:
        docs.batchUpdate(documentId=doc_id, body={"requests": [{"createParagraphBullets": {
            "range": {"startIndex": 1, "endIndex": 8}, "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE"}}]}).execute()
    except HttpError as error:
        assert error.status_code == 501  # not emulated, and says so
    got = docs.get(documentId=doc_id, includeTabsContent=True).execute()["tabs"][0]["documentTab"]
    emulated = [e["paragraph"] for e in got["body"]["content"] if "bullet" in e.get("paragraph", {})]
    tab = fixture("docs_get_tabs_with_bullets.json")["tabs"][0]["documentTab"]
    live = [e["paragraph"] for e in tab["body"]["content"] if "bullet" in e.get("paragraph", {})]
    assert_same_fields("docs.documents.get bullet", {k for p in emulated for k in p["bullet"]},
                       {k for p in live for k in p["bullet"]})
    top = [{p for p in under(paths(document), "lists") if p.count(".") <= 2} for document in (got, tab)]
    assert_same_fields("docs.documents.get lists", *top)


# -- Sheets: spreadsheets.get and addSheet -------------------------------------------------------
def test_the_emulators_spreadsheet_has_live_googles_fields(emu):
    sheets = emu.build("sheets").spreadsheets()
    sheet_id = sheets.create(body={"properties": {"title": "Tracker"}}).execute()["spreadsheetId"]
    emulated = paths(sheets.get(spreadsheetId=sheet_id, includeGridData=False).execute())
    live = paths(fixture("sheets_get.json"))
    top = {p for p in live | emulated if "." not in p}
    assert_same_fields("sheets.spreadsheets.get", top & emulated, top & live)
    assert_same_fields("sheets.spreadsheets.get sheets", under(emulated, "sheets[]"), under(live, "sheets[]"))
    first_level = {p.split(".")[0] for p in under(live, "properties") | under(emulated, "properties")}
    assert_same_fields("sheets.spreadsheets.get properties",
                       {p.split(".")[0] for p in under(emulated, "properties")} & first_level,
                       {p.split(".")[0] for p in under(live, "properties")} & first_level)

    reply = sheets.batchUpdate(spreadsheetId=sheet_id, body={"requests": [{"addSheet": {"properties": {
        "title": "SCR-2026-001", "sheetType": "GRID", "gridProperties": {"rowCount": 1, "columnCount": 1}}}}]},
    ).execute()
    assert_same_fields("sheets.spreadsheets.batchUpdate addSheet", paths(reply),
                       paths(fixture("sheets_batch_update_add_sheet.json")))


# -- Errors: what Drive answers when it refuses --------------------------------------------------
def test_our_gateway_names_the_reason_of_a_live_refusal_and_never_its_text():
    from scr.backends.google.errors import GoogleError, call

    for name, reason, said in (("drive_invalid_sharing_request.json", "invalidSharingRequest", "ACL change"),
                               ("drive_bad_request.json", "badRequest", "Sorting is not supported")):
        drive = recorded_service("drive", "v3", fixture(f"errors/{name}"), status=400)
        request = drive.permissions().create(fileId="file-id", body={"type": "user", "role": "reader",
                                                                     "emailAddress": "ann@example.org"})
        try:
            call(request, "share the form with ann@example.org", retries=0)
        except GoogleError as error:
            assert error.status == 400 and reason in str(error) and said not in str(error)
        else:
            raise AssertionError(f"{name}: a 400 was taken as success")


def test_the_emulators_refusal_has_live_drives_fields(emu):
    import json

    from googleapiclient.errors import HttpError

    docs, drive = emu.build("docs"), emu.build("drive")
    file_id = docs.documents().create(body={"title": "Contract"}).execute()["documentId"]
    try:
        drive.comments().list(fileId=file_id).execute()  # Drive needs `fields` here: 400
    except HttpError as error:
        emulated = paths(json.loads(error.content))
    else:
        raise AssertionError("the emulator answered comments.list without fields")
    assert_same_fields("drive error", emulated, paths(fixture("errors/drive_bad_request.json")))
