"""GoogleDocuments against the emulator: one Doc per review and kind, rewritten in place, shared person by person."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.http import HttpRequest

from scr.backends.google.documents import GoogleDocuments
from scr.backends.google.errors import GoogleAccessError, GoogleError, GoogleNotFound
from scr.rendering import parse_document
from tests.google_emulator import DROP, Behaviours, GoogleEmulator

TOR = "terms-of-reference"
FIRST = "# B1: Scope\n\nThe first draft.\n\n| Agency | Lead |\n|---|---|\n| Police | Ann |\n"
SECOND = "# B1: Scope\n\nThe **second** draft.\n\n## B2: Panel\n\nNo table now.\n"
REVIEWERS = [("ann@example.org", "commenter"), ("bob@example.org", "commenter"), ("cat@example.org", "commenter")]


class _NoSleep(HttpRequest):
    """googleapiclient sleeps rand() * 2**n between retries; these tests do not wait."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sleep = lambda seconds: None


def _store(emu: GoogleEmulator, **kwargs: Any) -> tuple[GoogleDocuments, str]:
    drive = emu.build("drive", requestBuilder=_NoSleep)
    folder = drive.files().create(body={"name": "SCR", "mimeType": "application/vnd.google-apps.folder"},
                                  fields="id").execute()["id"]
    store = GoogleDocuments(drive, emu.build("docs", requestBuilder=_NoSleep), folder, **kwargs)
    return store, folder


def _text(emu: GoogleEmulator, doc_id: str) -> str:
    from tests.google_emulator import docs_api

    with emu.state.lock:
        return docs_api.plain_text(emu.state, doc_id)


def _files(emu: GoogleEmulator, review_id: str, kind: str) -> list[dict]:
    q = (f"appProperties has {{ key='scr_review' and value='{review_id}' }} and "
         f"appProperties has {{ key='scr_kind' and value='{kind}' }}")
    return emu.build("drive").files().list(q=q, fields="files(id,name,parents,appProperties)").execute()["files"]


def _creates(emu: GoogleEmulator) -> int:
    counts = emu.counts()
    return counts.get("drive.files.create", 0) + counts.get("drive.files.copy", 0)


def test_write_creates_once_then_rewrites_the_same_doc(emu: GoogleEmulator) -> None:
    store, folder = _store(emu)
    emu.reset_counts()
    (url,) = store.write("SCR-1", TOR, parse_document(FIRST))
    (doc,) = _files(emu, "SCR-1", TOR)
    assert url == f"https://docs.google.com/document/d/{doc['id']}/edit"
    assert doc["name"] == "SCR-1 Terms of reference" and doc["parents"] == [folder]
    assert _text(emu, doc["id"]) == "B1: Scope\nThe first draft.\n\nAgency\nLead\nPolice\nAnn\n\n"
    assert store.write("SCR-1", TOR, parse_document(SECOND)) == [url]
    assert [f["id"] for f in _files(emu, "SCR-1", TOR)] == [doc["id"]]
    assert _creates(emu) == 1
    assert _text(emu, doc["id"]) == "B1: Scope\nThe second draft.\nB2: Panel\nNo table now.\n"
    assert store.file_id("SCR-1", TOR) == doc["id"]
    assert store.file_id("SCR-2", TOR) is None and store.file_id("SCR-1", "factor-summary") is None


def test_request_counts_per_write(emu: GoogleEmulator) -> None:
    store, _ = _store(emu)
    store.write("SCR-1", TOR, parse_document(FIRST))
    emu.reset_counts()
    store.write("SCR-1", TOR, parse_document(SECOND))  # exists, no table
    assert emu.counts() == {"drive.files.list": 1, "docs.documents.get": 1, "docs.documents.batchUpdate": 1}
    emu.reset_counts()
    two_tables = parse_document(FIRST + "\n| X |\n|---|\n| y |\n")
    store.write("SCR-1", TOR, two_tables)  # two tables: one more get and batchUpdate
    assert emu.counts() == {"drive.files.list": 1, "docs.documents.get": 2, "docs.documents.batchUpdate": 2}
    emu.reset_counts()
    store.write("SCR-2", "qm6-evidence", parse_document(SECOND))
    assert emu.counts() == {"drive.files.list": 1, "drive.files.create": 1, "docs.documents.get": 1,
                            "docs.documents.batchUpdate": 1}
    assert _files(emu, "SCR-2", "qm6-evidence")[0]["name"] == "SCR-2 QM6 evidence"


def test_template_is_copied_for_house_style_and_its_body_replaced(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    template = docs.documents().create(body={"title": "House ToR"}).execute()["documentId"]
    docs.documents().batchUpdate(documentId=template, body={"requests": [
        {"insertText": {"location": {"index": 1}, "text": "Board letterhead\nPlaceholder"}},
        {"insertTable": {"rows": 1, "columns": 2, "endOfSegmentLocation": {}}},
    ]}).execute()
    store, folder = _store(emu, templates={TOR: template})
    emu.reset_counts()
    store.write("SCR-1", TOR, parse_document(SECOND))
    assert emu.counts().get("drive.files.copy") == 1 and "drive.files.create" not in emu.counts()
    (doc,) = _files(emu, "SCR-1", TOR)
    assert doc["parents"] == [folder] and doc["appProperties"] == {"scr_review": "SCR-1", "scr_kind": TOR}
    assert _text(emu, doc["id"]) == "B1: Scope\nThe second draft.\nB2: Panel\nNo table now.\n"
    assert _text(emu, template).startswith("Board letterhead\nPlaceholder")
    store.write("SCR-1", "factor-summary", parse_document(SECOND))  # no template for this one: created empty
    assert emu.counts().get("drive.files.create") == 1


def test_share_grants_commenters_once_and_never_to_anyone(emu: GoogleEmulator) -> None:
    store, _ = _store(emu)
    store.write("SCR-1", TOR, parse_document(FIRST))
    doc_id = store.file_id("SCR-1", TOR)
    emu.slow_permission_changes(0.02, reject_overlaps=True)
    assert store.share("SCR-1", TOR, REVIEWERS, "Please comment by Friday") == 3
    calls = emu.permission_calls()
    assert [(c["emailAddress"], c["role"], c["type"]) for c in calls] == [(e, r, "user") for e, r in REVIEWERS]
    assert all(c["sendNotificationEmail"] is True and c["emailMessage"] == "Please comment by Friday" for c in calls)
    assert store.share("SCR-1", TOR, [*REVIEWERS, ("ANN@example.org", "commenter")], "again") == 0
    assert len(emu.permission_calls()) == 3
    assert store.share("SCR-1", TOR, [("ann@example.org", "writer")], "edit") == 1  # an upgrade is granted
    listed = emu.build("drive").permissions().list(fileId=doc_id, fields="permissions(type,role,emailAddress)")
    permissions = listed.execute()["permissions"]
    assert {p["type"] for p in permissions} == {"user"}
    assert sorted(p["emailAddress"] for p in permissions) == [
        "ann@example.org", "bob@example.org", "cat@example.org", "owner@example.org"]
    assert emu.permission_conflicts() == {}


def test_share_without_notification_and_bad_requests(emu: GoogleEmulator) -> None:
    store, _ = _store(emu, notify=False)
    with pytest.raises(GoogleNotFound, match="Write the document first"):
        store.share("SCR-1", TOR, REVIEWERS, "hello")
    store.write("SCR-1", TOR, parse_document(SECOND))
    with pytest.raises(ValueError, match="commenter, writer"):
        store.share("SCR-1", TOR, [("all@example.org", "owner")], "hello")
    with pytest.raises(GoogleError, match="invalidSharingRequest.*no Google account") as refused:
        store.share("SCR-1", TOR, REVIEWERS[:1], "hello")  # the address has no Google account
    assert refused.value.reasons == ("invalidSharingRequest",)
    emu.add_accounts({email: "Reviewer" for email, _ in REVIEWERS})
    assert store.share("SCR-1", TOR, REVIEWERS[:1], "hello") == 1
    (call,) = emu.permission_calls()
    assert call["sendNotificationEmail"] is False and call["emailMessage"] is None


def test_failed_create_looks_again_before_creating(emu: GoogleEmulator) -> None:
    store, _ = _store(emu)
    emu.reset_counts()
    emu.faults.fail("drive.files.create", status=503)
    emu.faults.fail("drive.files.create", status=DROP, times=2)  # then the next attempt's connection drops
    store.write("SCR-1", TOR, parse_document(SECOND))
    assert len(_files(emu, "SCR-1", TOR)) == 1
    assert emu.counts()["drive.files.create"] == 4  # 503, two drops (one attempt), then success
    assert emu.counts()["drive.files.list"] == 3 + 1  # a lookup before every create, plus _files above


def test_failed_permission_is_checked_before_granting_again(emu: GoogleEmulator) -> None:
    store, _ = _store(emu)
    store.write("SCR-1", TOR, parse_document(SECOND))
    emu.reset_counts()
    emu.faults.fail("drive.permissions.create", status=500)
    assert store.share("SCR-1", TOR, REVIEWERS[:1], "hi") == 1
    assert emu.counts()["drive.permissions.create"] == 2 and emu.counts()["drive.permissions.list"] == 2
    assert len(emu.permission_calls()) == 1


def _scenario(emu: GoogleEmulator, fault_seed: int | None) -> dict[str, int]:
    store, _ = _store(emu)
    emu.reset_counts()
    if fault_seed is not None:
        emu.faults.fail_fraction(0.2, status=503, seed=fault_seed)
    for kind in (TOR, "factor-summary"):
        store.write("SCR-1", kind, parse_document(FIRST))
        store.write("SCR-1", kind, parse_document(SECOND))
        store.share("SCR-1", kind, REVIEWERS, "Please comment")
        store.share("SCR-1", kind, REVIEWERS, "Please comment")
    emu.faults.clear()
    return emu.counts()


def test_transient_faults_still_make_one_doc_and_one_permission_each() -> None:
    with GoogleEmulator(seed=3) as calm:
        baseline = _scenario(calm, None)
    with GoogleEmulator(seed=3) as emu:
        counts = _scenario(emu, 7)
        assert sum(counts.values()) > sum(baseline.values())  # faults did happen and were retried
        # creating a doc and granting a permission were among the failed calls, and were not repeated blindly
        assert counts["drive.files.create"] > baseline["drive.files.create"]
        assert counts["drive.permissions.create"] > baseline["drive.permissions.create"]
        for kind in (TOR, "factor-summary"):
            (doc,) = _files(emu, "SCR-1", kind)
            assert _text(emu, doc["id"]) == "B1: Scope\nThe second draft.\nB2: Panel\nNo table now.\n"
            granted = [c["emailAddress"] for c in emu.permission_calls() if c["fileId"] == doc["id"]]
            assert sorted(granted) == [email for email, _ in REVIEWERS]
        assert emu.emulator_errors() == []


class _EditedMeanwhile:
    """A Docs service whose first documents.get is followed by someone else's edit, as in a busy document."""

    def __init__(self, docs: Any, other: Any) -> None:
        self.docs, self.other, self.edited = docs, other, False

    def documents(self) -> _EditedMeanwhile:
        return self

    def get(self, **kwargs: Any) -> Any:
        request = self.docs.documents().get(**kwargs)
        if self.edited:
            return request
        self.edited = True
        outer = self

        class _Then:
            methodId = request.methodId

            def execute(self, num_retries: int = 0) -> Any:
                result = request.execute(num_retries=num_retries)
                outer.other.documents().batchUpdate(documentId=kwargs["documentId"], body={"requests": [
                    {"insertText": {"location": {"index": 1}, "text": "Reviewer typing "}}]}).execute()
                return result

        return _Then()

    def batchUpdate(self, **kwargs: Any) -> Any:  # noqa: N802 - the API's name
        return self.docs.documents().batchUpdate(**kwargs)


def test_a_concurrent_edit_is_not_overwritten_with_stale_indices(emu: GoogleEmulator) -> None:
    store, _ = _store(emu)
    store.write("SCR-1", TOR, parse_document(SECOND))
    doc_id = store.file_id("SCR-1", TOR)
    store.docs = _EditedMeanwhile(emu.build("docs"), emu.build("docs"))
    with pytest.raises(GoogleError, match="run the step again") as caught:
        store.write("SCR-1", TOR, parse_document(FIRST))
    assert "SCR-1" in str(caught.value) and "Reviewer typing" not in str(caught.value)
    assert _text(emu, doc_id).startswith("Reviewer typing B1: Scope\nThe second draft.")  # untouched but for the edit
    store.docs = emu.build("docs")
    store.write("SCR-1", TOR, parse_document(FIRST))  # run again: rewritten whole
    assert _text(emu, doc_id).startswith("B1: Scope\nThe first draft.")


def test_403_says_what_access_is_missing(emu: GoogleEmulator) -> None:
    store, folder = _store(emu)
    emu.faults.deny(403)
    with pytest.raises(GoogleAccessError) as caught:
        store.write("SCR-1", TOR, parse_document(SECOND))
    message = str(caught.value)
    assert folder in message and "SCR-1" in message and "drive" in message.lower() and "scope" in message
    assert "caller does not have permission" not in message  # Google's body is not repeated
    assert caught.value.status == 403 and caught.value.__cause__ is None and caught.value.__suppress_context__


def _header(emu: GoogleEmulator, doc_id: str) -> tuple[str, list[dict]]:
    from tests.google_emulator import docs_api

    with emu.state.lock:
        doc = docs_api.document(emu.state, doc_id)
        paragraphs = [{"text": p.text, "style": dict(p.style)} for p in doc.headers.get(doc.default_header_id, [])]
        return docs_api.header_text(emu.state, doc_id), paragraphs


@pytest.mark.parametrize("start", ["0", "1"])
def test_every_doc_carries_its_protective_marking_in_its_header_once(start: str) -> None:
    """As the .docx does: the review's marking, centred, in the header of every page; rewriting the Doc does not
    add a second header or a second marking. Wherever a header's indices start (undocumented)."""
    with GoogleEmulator(behaviours=Behaviours(header_start=start)) as emu:
        _marked_once(emu)
        assert emu.emulator_errors() == []


def _marked_once(emu: GoogleEmulator) -> None:
    store, _ = _store(emu, marking_for=lambda review_id: "OFFICIAL-SENSITIVE")
    (url,) = store.write("SCR-1", TOR, parse_document(FIRST))
    doc_id = store.file_id("SCR-1", TOR)
    text, paragraphs = _header(emu, doc_id)
    assert text == "OFFICIAL-SENSITIVE\n" and paragraphs[0]["style"].get("alignment") == "CENTER"
    assert _text(emu, doc_id).startswith("B1: Scope"), "the body is the document's own: no marking line in it"
    emu.reset_counts()
    assert store.write("SCR-1", TOR, parse_document(SECOND)) == [url]
    assert _header(emu, doc_id)[0] == "OFFICIAL-SENSITIVE\n"
    assert emu.counts().get("docs.documents.batchUpdate") == 1, "the header is read, and left as it is"


def test_a_doc_without_a_marking_configured_gets_no_header(emu: GoogleEmulator) -> None:
    store, _ = _store(emu, marking_for=lambda review_id: "")
    store.write("SCR-1", TOR, parse_document(FIRST))
    assert _header(emu, store.file_id("SCR-1", TOR)) == ("", [])


def test_a_house_template_whose_header_has_the_marking_keeps_its_header(emu: GoogleEmulator) -> None:
    docs = emu.build("docs")
    template = docs.documents().create(body={"title": "House ToR"}).execute()["documentId"]
    header_id = docs.documents().batchUpdate(documentId=template, body={"requests": [
        {"createHeader": {"type": "DEFAULT"}}]}).execute()["replies"][0]["createHeader"]["headerId"]
    docs.documents().batchUpdate(documentId=template, body={"requests": [{"insertText": {
        "endOfSegmentLocation": {"segmentId": header_id}, "text": "Northshire SCP    OFFICIAL-SENSITIVE"}}]}).execute()
    store, _ = _store(emu, templates={TOR: template}, marking_for=lambda review_id: "OFFICIAL-SENSITIVE")
    store.write("SCR-1", TOR, parse_document(SECOND))
    assert _header(emu, store.file_id("SCR-1", TOR))[0] == "Northshire SCP    OFFICIAL-SENSITIVE\n"
