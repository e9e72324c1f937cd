"""The emulator behaves as Google documents it: one test per row of tests/google_emulator/BEHAVIOURS.md."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from googleapiclient.errors import HttpError

from tests.google_emulator import Behaviours, Caller, GoogleEmulator

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
FOLDER = "application/vnd.google-apps.folder"
DOC = "application/vnd.google-apps.document"
DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"


def _reason(error: HttpError) -> str:
    return error.error_details[0]["reason"]


def _doc(emu: GoogleEmulator, parent: str | None = None) -> str:
    body = {"name": "Summary", "mimeType": DOC, **({"parents": [parent]} if parent else {})}
    return emu.build("drive").files().create(body=body, fields="id").execute()["id"]


def test_comment_and_reply_authors_carry_no_email_or_permission_id(emu: GoogleEmulator) -> None:
    doc_id = _doc(emu)
    emu.share(doc_id, "ann@example.org", "commenter")
    comment = emu.add_comment(doc_id, "ann@example.org", "Ann Lee", "Why?", None, at=T0)
    emu.add_reply(doc_id, comment["id"], "ann@example.org", "Ann Lee", "Because.", at=T0)
    emu.build("drive").replies().create(fileId=doc_id, commentId=comment["id"], fields="id",
                                        body={"content": "Noted"}).execute()
    (listed,) = emu.build("drive").comments().list(fileId=doc_id, fields="comments(author,replies(author))"
                                                   ).execute()["comments"]
    authors = [listed["author"], *(r["author"] for r in listed["replies"])]
    assert all(set(a) == {"kind", "displayName", "photoLink", "me"} for a in authors)
    assert [(a["displayName"], a["me"]) for a in authors] == [("Ann Lee", False), ("Ann Lee", False),
                                                              ("Emulator Owner", True)]


def test_only_someone_who_can_comment_on_the_file_or_its_folder_leaves_a_comment(emu: GoogleEmulator) -> None:
    folder = emu.add_folder("Reviews")
    doc_id = _doc(emu, folder)
    with pytest.raises(ValueError, match="cannot comment"):
        emu.add_comment(doc_id, "eve@example.org", "Eve", "Hello", None, at=T0)
    emu.share(folder, "eve@example.org", "commenter")  # reached through the folder
    assert emu.add_comment(doc_id, "eve@example.org", "Eve", "Hello", None, at=T0)["author"]["me"] is False


def test_a_form_is_answered_only_with_a_published_view_reader_permission(emu: GoogleEmulator) -> None:
    forms, drive = emu.build("forms"), emu.build("drive")
    form_id = forms.forms().create(body={"info": {"title": "Input"}}, unpublished=True).execute()["formId"]
    reply = forms.forms().batchUpdate(formId=form_id, body={"requests": [{"createItem": {
        "item": {"title": "Q", "questionItem": {"question": {"textQuestion": {}}}}, "location": {"index": 0}}}]}
    ).execute()
    question = reply["replies"][0]["createItem"]["questionId"][0]
    forms.forms().setPublishSettings(formId=form_id, body={"publishSettings": {"publishState": {
        "isPublished": True, "isAcceptingResponses": True}}}).execute()
    with pytest.raises(ValueError, match="view 'published'"):
        emu.add_response(form_id, "mo@example.org", {question: "hi"}, at=T0)
    emu.add_accounts({"mo@example.org": "Mo Khan"})
    drive.permissions().create(fileId=form_id, sendNotificationEmail=False, body={
        "type": "user", "role": "reader", "view": "published", "emailAddress": "mo@example.org"}).execute()
    assert emu.add_response(form_id, "mo@example.org", {question: "hi"}, at=T0)["responseId"]
    with pytest.raises(HttpError) as refused:
        drive.permissions().create(fileId=form_id, body={"type": "user", "role": "writer", "view": "published",
                                                         "emailAddress": "mo@example.org"}).execute()
    assert refused.value.status_code == 400


def test_a_form_created_unpublished_accepts_nothing_until_published(emu: GoogleEmulator) -> None:
    forms = emu.build("forms")
    form = forms.forms().create(body={"info": {"title": "Input"}}, unpublished=True).execute()
    assert form["publishSettings"]["publishState"] == {"isPublished": False, "isAcceptingResponses": False}
    emu.share(form["formId"], None, "reader", view="published")
    with pytest.raises(ValueError, match="not accepting"):
        emu.add_response(form["formId"], "mo@example.org", {}, at=T0)
    published = forms.forms().setPublishSettings(formId=form["formId"], body={"publishSettings": {
        "publishState": {"isPublished": True, "isAcceptingResponses": True}}}).execute()
    assert published["publishSettings"]["publishState"]["isAcceptingResponses"] is True


def test_a_plain_service_account_owns_no_files_outside_a_shared_drive() -> None:
    with GoogleEmulator(caller=Caller(kind="service_account")) as emu:
        drive = emu.build("drive")
        folder = emu.add_folder("Reviews")
        template = emu.add_folder("Templates")
        with pytest.raises(HttpError) as refused:
            drive.files().create(body={"name": "Summary", "mimeType": DOC, "parents": [folder]}).execute()
        assert refused.value.status_code == 403 and _reason(refused.value) == "storageQuotaExceeded"
        shared = emu.add_shared_drive("Safeguarding reviews")
        made = drive.files().create(body={"name": "Summary", "mimeType": DOC, "parents": [shared]},
                                    fields="id,driveId", supportsAllDrives=True).execute()
        assert made["driveId"] == shared
        with pytest.raises(HttpError) as copy_refused:
            drive.files().copy(fileId=made["id"], body={"parents": [template]}, supportsAllDrives=True).execute()
        assert _reason(copy_refused.value) == "storageQuotaExceeded"
    with GoogleEmulator(caller=Caller(kind="service_account", delegated=True)) as emu:
        folder = emu.add_folder("Reviews")
        assert emu.build("drive").files().create(body={"name": "S", "mimeType": DOC, "parents": [folder]}
                                                 ).execute()["id"]


def test_drive_file_sees_only_the_apps_own_files() -> None:
    with GoogleEmulator(caller=Caller(scopes=frozenset({DRIVE_FILE}))) as emu:
        drive = emu.build("drive")
        folder = emu.add_folder("Reviews")  # made by the board in Drive, not by the app
        with pytest.raises(HttpError) as hidden:
            drive.files().get(fileId=folder).execute()
        assert hidden.value.status_code == 404
        with pytest.raises(HttpError):
            drive.files().create(body={"name": "S", "mimeType": DOC, "parents": [folder]}).execute()
        own = drive.files().create(body={"name": "Own", "mimeType": FOLDER}, fields="id").execute()["id"]
        assert [f["id"] for f in drive.files().list(q="trashed = false").execute()["files"]] == [own]


def test_docs_indices_count_utf16_code_units(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "T"}).execute()["documentId"]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "a\U0001F600b"}}]}).execute()
    content = docs.documents().get(documentId=doc_id).execute()["body"]["content"]
    assert content[-1]["endIndex"] == 1 + 4 + 1  # a, two units for the emoji, b, newline
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 4}, "text": "!"}}]}).execute()
    run = docs.documents().get(documentId=doc_id).execute()["body"]["content"][1]["paragraph"]["elements"][0]
    assert run["textRun"]["content"] == "a\U0001F600!b\n"
    with pytest.raises(HttpError) as split:
        docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
            {"insertText": {"location": {"index": 3}, "text": "?"}}]}).execute()
    assert "surrogate pair" in split.value.reason


def test_create_paragraph_bullets_nests_by_leading_tabs_and_removes_them(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "T"}).execute()["documentId"]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Intro\none\n\ttwo\nend"}},
        {"createParagraphBullets": {"range": {"startIndex": 7, "endIndex": 16},
                                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE"}},
    ]}).execute()
    document = docs.documents().get(documentId=doc_id).execute()
    paragraphs = [e for e in document["body"]["content"] if "paragraph" in e]
    texts = [p["paragraph"]["elements"][0]["textRun"]["content"] for p in paragraphs]
    assert texts == ["Intro\n", "one\n", "two\n", "end\n"]
    bullets = [p["paragraph"].get("bullet") for p in paragraphs]
    assert bullets[0] is None and bullets[3] is None
    assert bullets[1]["listId"] == bullets[2]["listId"] in document["lists"]
    assert "nestingLevel" not in bullets[1] and bullets[2]["nestingLevel"] == 1
    assert paragraphs[-1]["endIndex"] == 1 + len("Intro\none\ntwo\nend\n")  # the tab's index is gone


def test_text_inserted_into_a_bulleted_paragraph_takes_its_bullet(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "Template"}).execute()["documentId"]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"createParagraphBullets": {"range": {"startIndex": 1, "endIndex": 2},
                                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE"}},
        {"insertText": {"location": {"index": 1}, "text": "Heading\nBody"}},
    ]}).execute()
    paragraphs = [e["paragraph"] for e in docs.documents().get(documentId=doc_id).execute()["body"]["content"]
                  if "paragraph" in e]
    assert all("bullet" in p for p in paragraphs)
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"deleteParagraphBullets": {"range": {"startIndex": 1, "endIndex": 13}}}]}).execute()
    paragraphs = [e["paragraph"] for e in docs.documents().get(documentId=doc_id).execute()["body"]["content"]
                  if "paragraph" in e]
    assert not any("bullet" in p for p in paragraphs)


def test_sharing_with_an_address_without_a_google_account_needs_a_notification(emu: GoogleEmulator) -> None:
    drive = emu.build("drive")
    doc_id = _doc(emu)
    body = {"type": "user", "role": "commenter", "emailAddress": "no.account@example.org"}
    with pytest.raises(HttpError) as refused:
        drive.permissions().create(fileId=doc_id, body=body, sendNotificationEmail=False).execute()
    assert refused.value.status_code == 400 and _reason(refused.value) == "invalidSharingRequest"
    assert drive.permissions().create(fileId=doc_id, body=body, sendNotificationEmail=True).execute()["id"]
    emu.add_accounts({"ann@example.org": "Ann Lee"})
    made = drive.permissions().create(fileId=doc_id, sendNotificationEmail=False, fields="id,displayName",
                                      body={**body, "emailAddress": "ann@example.org"}).execute()
    assert made["displayName"] == "Ann Lee"


# -- undocumented: each plausible behaviour, switched ---------------------------------------------------------
def _form_with_other(emu: GoogleEmulator, other: dict) -> tuple[str, str]:
    forms = emu.build("forms")
    form_id = forms.forms().create(body={"info": {"title": "T"}}).execute()["formId"]
    reply = forms.forms().batchUpdate(formId=form_id, body={"requests": [
        {"updateSettings": {"settings": {"emailCollectionType": "VERIFIED"}, "updateMask": "emailCollectionType"}},
        {"createItem": {"item": {"title": "Method", "questionItem": {"question": {"choiceQuestion": {
            "type": "RADIO", "options": [{"value": "SILP"}, other]}}}}, "location": {"index": 0}}}]}).execute()
    emu.share(form_id, None, "reader", view="published")
    return form_id, reply["replies"][1]["createItem"]["questionId"][0]


@pytest.mark.parametrize("filter_time", ["lastSubmittedTime", "createTime"])
def test_the_timestamp_filter_reads_the_time_the_switch_names_for_an_edited_response(filter_time: str) -> None:
    with GoogleEmulator(behaviours=Behaviours(filter_time=filter_time)) as emu:
        form_id, question = _form_with_other(emu, {"isOther": True, "value": "Other"})
        first = emu.add_response(form_id, "mo@example.org", {question: "SILP"}, at=T0)
        edited = emu.edit_response(form_id, first["responseId"], {question: "Own idea"}, at=T0 + timedelta(days=2))
        assert edited["createTime"] == first["createTime"] and edited["lastSubmittedTime"] > first["createTime"]
        since = (T0 + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        found = emu.build("forms").forms().responses().list(formId=form_id, filter=f"timestamp > {since}").execute()
        assert len(found.get("responses", [])) == (1 if filter_time == "lastSubmittedTime" else 0)


@pytest.mark.parametrize("other_value", ["optional", "required"])
def test_an_other_option_without_value_is_refused_only_when_the_switch_says_required(other_value: str) -> None:
    with GoogleEmulator(behaviours=Behaviours(other_value=other_value)) as emu:
        if other_value == "required":
            with pytest.raises(HttpError) as refused:
                _form_with_other(emu, {"isOther": True})
            assert refused.value.status_code == 400
        else:
            assert _form_with_other(emu, {"isOther": True})[1]
        assert _form_with_other(emu, {"isOther": True, "value": "Other"})[1]  # a value always works


@pytest.mark.parametrize("message_id", ["kept", "replaced"])
def test_gmail_keeps_or_replaces_our_message_id_as_the_switch_says(message_id: str) -> None:
    raw = base64.urlsafe_b64encode(b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Hi\r\n"
                                   b"Message-ID: <ours.1@example.org>\r\n\r\nHello\r\n").decode()
    with GoogleEmulator(behaviours=Behaviours(gmail_message_id=message_id)) as emu:
        emu.build("gmail").users().messages().send(userId="me", body={"raw": raw}).execute()
        (sent,) = emu.sent_messages()
        assert (sent["message"]["Message-ID"] == "<ours.1@example.org>") == (message_id == "kept")


def test_documents_create_ignores_everything_but_the_title(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    made = docs.documents().create(body={"title": "ToR", "body": {"content": []}}).execute()
    assert made["title"] == "ToR"
    content = docs.documents().get(documentId=made["documentId"]).execute()["body"]["content"]
    assert [e["paragraph"]["elements"][0]["textRun"]["content"] for e in content if "paragraph" in e] == ["\n"]


def test_deleting_bullets_keeps_the_nesting_as_indent(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "T"}).execute()["documentId"]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "one\n\ttwo"}},
        {"createParagraphBullets": {"range": {"startIndex": 1, "endIndex": 8},
                                    "bulletPreset": "BULLET_DISC_CIRCLE_SQUARE"}},
        {"deleteParagraphBullets": {"range": {"startIndex": 1, "endIndex": 8}}},
    ]}).execute()
    paragraphs = [e["paragraph"] for e in docs.documents().get(documentId=doc_id).execute()["body"]["content"]
                  if "paragraph" in e]
    assert [p["paragraphStyle"].get("indentStart", {}).get("magnitude") for p in paragraphs] == [None, 36.0]
    assert not any("bullet" in p for p in paragraphs)
