"""Drive v3 files, permissions, comments and replies through the real google-api-python-client."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from googleapiclient.errors import HttpError

from tests.google_emulator import GoogleEmulator

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
DOC = "application/vnd.google-apps.document"


def _template(emu: GoogleEmulator) -> str:
    docs = emu.build("docs")
    doc_id = docs.documents().create(body={"title": "ToR template"}).execute()["documentId"]
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Review of {{case}}"}}]}).execute()
    return doc_id


def test_copy_keeps_content_and_is_found_by_app_properties(emu: GoogleEmulator) -> None:
    drive = emu.build("drive")
    folder = drive.files().create(body={"name": "SCR-7", "mimeType": "application/vnd.google-apps.folder"},
                                  fields="id").execute()
    copied = drive.files().copy(fileId=_template(emu), body={
        "name": "ToR SCR-7", "parents": [folder["id"]], "appProperties": {"review": "SCR-7", "kind": "tor"},
    }).execute()
    assert copied["name"] == "ToR SCR-7" and copied["mimeType"] == DOC
    text = emu.build("docs").documents().get(documentId=copied["id"]).execute()
    assert text["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["content"] == "Review of {{case}}\n"

    q = (f"appProperties has {{ key='review' and value='SCR-7' }} and '{folder['id']}' in parents "
         "and trashed = false and name = 'ToR SCR-7'")
    found = drive.files().list(q=q, fields="files(id,name,appProperties),nextPageToken").execute()
    assert [f["id"] for f in found["files"]] == [copied["id"]]
    assert found["files"][0]["appProperties"] == {"review": "SCR-7", "kind": "tor"}
    assert drive.files().list(q="appProperties has { key='review' and value='other' }").execute()["files"] == []


def test_fields_select_what_comes_back(emu: GoogleEmulator) -> None:
    drive = emu.build("drive")
    created = drive.files().create(body={"name": "a", "appProperties": {"k": "v"}}).execute()
    assert set(created) == {"kind", "id", "name", "mimeType"}
    got = drive.files().get(fileId=created["id"], fields="id,appProperties").execute()
    assert got == {"id": created["id"], "appProperties": {"k": "v"}}


def test_update_changes_name_and_app_properties(emu: GoogleEmulator) -> None:
    drive = emu.build("drive")
    file_id = drive.files().create(body={"name": "a", "appProperties": {"k": "v", "gone": "x"}}).execute()["id"]
    drive.files().update(fileId=file_id, body={"name": "b", "appProperties": {"gone": None, "n": "1"}}).execute()
    got = drive.files().get(fileId=file_id, fields="name,appProperties").execute()
    assert got == {"name": "b", "appProperties": {"k": "v", "n": "1"}}


def test_unsupported_query_is_invalid_value(emu: GoogleEmulator) -> None:
    with pytest.raises(HttpError) as caught:
        emu.build("drive").files().list(q="sharedWithMe and fullText contains 'x'").execute()
    assert caught.value.status_code == 400
    assert caught.value.error_details[0]["location"] == "q"


def test_permissions_record_notification_choices(emu: GoogleEmulator) -> None:
    drive = emu.build("drive")
    doc_id = _template(emu)
    permission = drive.permissions().create(
        fileId=doc_id, body={"type": "user", "role": "commenter", "emailAddress": "ann@example.org"},
        sendNotificationEmail=True, emailMessage="Please comment by Friday").execute()
    assert permission["role"] == "commenter"
    listed = drive.permissions().list(fileId=doc_id, fields="permissions(id,emailAddress,role)").execute()
    assert {p["emailAddress"]: p["role"] for p in listed["permissions"]} == {
        "owner@example.org": "owner", "ann@example.org": "commenter"}
    assert emu.permission_calls()[-1]["emailMessage"] == "Please comment by Friday"
    drive.permissions().delete(fileId=doc_id, permissionId=permission["id"]).execute()
    assert len(drive.permissions().list(fileId=doc_id).execute()["permissions"]) == 1


def test_concurrent_permission_changes_are_counted(emu: GoogleEmulator) -> None:
    doc_id = _template(emu)
    emu.slow_permission_changes(0.2)

    def share(email: str) -> None:
        emu.build("drive").permissions().create(
            fileId=doc_id, body={"type": "user", "role": "reader", "emailAddress": email}).execute()

    threads = [threading.Thread(target=share, args=(f"p{i}@example.org",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert emu.permission_conflicts() == {doc_id: 1}


def test_comments_need_fields_and_filter_by_modified_time(emu: GoogleEmulator) -> None:
    doc_id = _template(emu)
    comments = emu.build("drive").comments()
    with pytest.raises(HttpError) as caught:
        comments.list(fileId=doc_id).execute()
    assert caught.value.status_code == 400
    assert "'fields' parameter is required" in caught.value.reason
    emu.share(doc_id, "ann@example.org", "commenter")
    emu.share(doc_id, "bob@example.org", "commenter")
    emu.add_comment(doc_id, "ann@example.org", "Ann", "Too narrow", "scope", at=T0)
    late = emu.add_comment(doc_id, "bob@example.org", "Bob", "Agree", None, at=T0 + timedelta(days=1))
    fields = "comments(id,content,author,quotedFileContent,resolved),nextPageToken"
    every = comments.list(fileId=doc_id, fields=fields, pageSize=1).execute()
    rest = comments.list(fileId=doc_id, fields=fields, pageSize=1, pageToken=every["nextPageToken"]).execute()
    assert [c["content"] for c in every["comments"] + rest["comments"]] == ["Too narrow", "Agree"]
    assert every["comments"][0]["quotedFileContent"]["value"] == "scope"
    since = (T0 + timedelta(hours=1)).isoformat()
    recent = comments.list(fileId=doc_id, fields=fields, startModifiedTime=since).execute()
    assert [c["id"] for c in recent["comments"]] == [late["id"]]
    assert len(comments.list(fileId=doc_id, fields=fields, pageSize=101).execute()["comments"]) == 2  # coerced
    with pytest.raises(HttpError):
        comments.list(fileId=doc_id, fields=fields, pageSize=0).execute()


def test_reply_with_resolve_resolves_the_comment(emu: GoogleEmulator) -> None:
    doc_id = _template(emu)
    drive = emu.build("drive")
    emu.share(doc_id, "ann@example.org", "commenter")
    emu.share(doc_id, "bob@example.org", "writer")
    comment = emu.add_comment(doc_id, "ann@example.org", "Ann", "Add dates", "timeline", at=T0)
    emu.add_reply(doc_id, comment["id"], "bob@example.org", "Bob", "Seconded", at=T0)
    drive.replies().create(fileId=doc_id, commentId=comment["id"], fields="id,action",
                           body={"content": "Done", "action": "resolve"}).execute()
    replies = drive.replies().list(fileId=doc_id, commentId=comment["id"], fields="replies(content,action)")
    assert replies.execute()["replies"] == [{"content": "Seconded"}, {"content": "Done", "action": "resolve"}]
    (listed,) = drive.comments().list(fileId=doc_id, fields="comments(id,resolved)").execute()["comments"]
    assert listed == {"id": comment["id"], "resolved": True}
    own = drive.comments().create(fileId=doc_id, fields="id,author(me)", body={"content": "Noted"}).execute()
    assert own["author"] == {"me": True}
