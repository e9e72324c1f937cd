"""What a review keeps besides answers, each in its own table: documents, the Google form, who may answer it,
the reviewers' copies, leases and the web app's secret; and a store written in the earlier layout (JSON under
string keys in ``review_values``) read after an upgrade (both databases; see conftest.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import create_engine, inspect, select

from scr.ports import GoogleForm, ReviewerCopy, StoredDocument, document_refs
from scr.store.legacy import review_values
from tests.store_support import AT, run_at_once


def test_documents_are_kept_by_name_and_replaced_when_written_again(store, review):
    rid = review.review_id
    assert store.documents(rid) == {} and document_refs(store, rid, "factor-summary") == []
    store.set_document(rid, "factor-summary", ["/data/SCR/factor-summary.docx", "/data/SCR/factor-summary.md"], AT)
    store.set_document(rid, "terms-of-reference-draft", ["https://docs.google.com/document/d/x/edit"], AT)
    later = AT + dt.timedelta(hours=2)
    store.set_document(rid, "factor-summary", ["/data/SCR/factor-summary v2.docx"], later)
    assert store.documents(rid) == {
        "factor-summary": StoredDocument(("/data/SCR/factor-summary v2.docx",), later),
        "terms-of-reference-draft": StoredDocument(("https://docs.google.com/document/d/x/edit",), AT),
    }
    assert store.documents("SCR-0000-000") == {}


def test_the_progress_last_reported_is_kept_per_review_and_kind(store, review):
    rid = review.review_id
    assert store.reported_progress(rid, "members") is None
    store.set_reported_progress(rid, "members", "a1")
    store.set_reported_progress(rid, "reviewers", "b1")
    store.set_reported_progress(rid, "members", "a2")
    assert (store.reported_progress(rid, "members"), store.reported_progress(rid, "reviewers")) == ("a2", "b1")
    assert store.reported_progress("SCR-0000-000", "members") is None


def test_the_google_form_is_kept_field_by_field(store, review):
    rid = review.review_id
    assert store.google_form(rid) is None
    begun = store.update_google_form(rid, begun_at=AT)
    assert begun == GoogleForm(begun_at=AT) and store.google_form(rid) == begun
    store.update_google_form(rid, created_id="form-1")
    published = store.update_google_form(rid, form_id="form-1", responder_uri="https://forms.example/1",
                                         questions={"q1": ("B1", "rating"), "q2": ("A5", "choices")})
    store.update_google_form(rid, responses_since="2026-11-24T10:00:00.123456Z")
    kept = store.google_form(rid)
    assert kept.begun_at == AT and kept.created_id == "form-1" and kept.form_id == "form-1"
    assert kept.questions == published.questions == {"q1": ("B1", "rating"), "q2": ("A5", "choices")}
    assert kept.responses_since == "2026-11-24T10:00:00.123456Z" and kept.responder_uri == "https://forms.example/1"
    assert store.update_google_form(rid, responses_since=None).responses_since is None
    with pytest.raises(TypeError, match="no field colour"):
        store.update_google_form(rid, colour="blue")


def test_responders_seen_responses_copies_and_sections_round_trip(store, review):
    rid = review.review_id
    store.set_google_responder(rid, "a@example.org", None)
    store.set_google_responder(rid, "b@example.org", False)
    store.set_google_responder(rid, "a@example.org", True)
    assert store.google_responders(rid) == {"a@example.org": True, "b@example.org": False}
    for ref in ("r1@2026-11-24T10:00:00Z", "r2@2026-11-24T11:00:00Z", "r1@2026-11-24T10:00:00Z"):
        store.add_google_response_seen(rid, ref)
    assert store.google_responses_seen(rid) == {"r1@2026-11-24T10:00:00Z", "r2@2026-11-24T11:00:00Z"}
    copy = ReviewerCopy("file-1", "https://docs.google.com/document/d/file-1/edit", "Jane Whitfield")
    store.set_google_reviewer_copy(rid, "jane@example.org", copy)
    assert store.google_reviewer_copies(rid) == {"jane@example.org": copy}
    read = ReviewerCopy(copy.file_id, copy.url, None, AT)
    store.set_google_reviewer_copy(rid, "jane@example.org", read)
    assert store.google_reviewer_copies(rid) == {"jane@example.org": read}
    assert store.google_summary_sections(rid) == []
    store.set_google_summary_sections(rid, [("general", "Overview"), ("B1", "Neglect — Zoë’s view")])
    assert store.google_summary_sections(rid) == [("general", "Overview"), ("B1", "Neglect — Zoë’s view")]


def test_a_lease_is_held_by_one_holder_until_released_or_expired(store, review):
    rid, later = review.review_id, AT + dt.timedelta(minutes=15)
    assert store.claim(rid, "run-1", until=later, now=AT)
    assert not store.claim(rid, "run-2", until=later, now=AT)
    store.release(rid, "run-2")  # not theirs: nothing changes
    assert not store.claim(rid, "run-2", until=later, now=AT)
    store.release(rid, "run-1")
    assert store.claim(rid, "run-2", until=later, now=AT)
    assert store.claim(rid, "run-3", until=later, now=later + dt.timedelta(seconds=1)), "an expired lease"


def test_the_web_secret_is_made_once_and_the_same_for_every_store(open_store, store):
    stores, secrets = [open_store() for _ in range(4)], [b""] * 4

    def start(n: int) -> None:
        secrets[n] = stores[n].web_secret()

    assert run_at_once(start, threads=4) == []
    assert len(set(secrets)) == 1 and len(secrets[0]) == 32
    assert store.web_secret() == secrets[0] and open_store().web_secret() == secrets[0]


def _old_layout(store_url: str, rows: dict[tuple[str, str], object]) -> None:
    """Write ``review_values`` as earlier versions did: JSON text under (review id, key)."""
    engine = create_engine(store_url)
    with engine.begin() as conn:
        review_values.create(conn)
        conn.execute(review_values.insert(), [
            dict(review_id=rid, key=key, value=json.dumps(value, ensure_ascii=False, sort_keys=True))
            for (rid, key), value in rows.items()])  # fmt: skip
    engine.dispose()


def _has_old_table(store_url: str) -> bool:
    engine = create_engine(store_url)
    with engine.connect() as conn:
        found = inspect(conn).has_table("review_values")
    engine.dispose()
    return found


def test_a_store_written_in_the_old_layout_is_read_after_an_upgrade(open_store, store_url, store, review):
    rid, drafted = review.review_id, "2026-12-11T14:05:00+00:00"
    _old_layout(store_url, {
        (rid, "document:factor-summary"): ["https://docs.google.com/document/d/sum/edit"],
        (rid, "document:terms-of-reference-draft"): ["/data/tor-draft.docx", "/data/tor-draft.md"],
        (rid, "drafted_at"): drafted,
        (rid, "google:form_begun"): "2026-11-23T09:30:00+00:00",
        (rid, "google:form_created"): "form-9",
        (rid, "google:form"): {"form_id": "form-9", "responder_uri": "https://forms.example/9",
                               "questions": {"q1": ["B1", "rating"], "q2": ["B1", "comment"]}},
        (rid, "google:responses_since"): "2026-11-25T08:00:00.5Z",
        (rid, "google:responders"): {"a@example.org": True, "b@example.org": None},
        (rid, "google:responses_seen"): ["r1@2026-11-25T08:00:00.5Z"],
        (rid, "google:reviewer_copies"): {"jane@example.org": {
            "file_id": "copy-1", "url": "https://docs.google.com/document/d/copy-1/edit", "account_name": "Jane W"}},
        (rid, "google:copy_comments_since"): {"copy-1": "2026-12-01T10:00:00+00:00"},
        (rid, "google:summary_sections"): [["general", "Overview"], ["B1", "Neglect"]],
        (rid, "lease"): {"holder": "host:12:abcd", "until": "2026-11-23T09:45:00+00:00"},
        ("~web", "csrf-secret"): "ab" * 32,
        (rid, "progress:members"): {"answered": 9},  # a key this version does not know: left as it is
    })
    upgraded = open_store()
    docs = upgraded.documents(rid)
    assert docs["factor-summary"] == StoredDocument(("https://docs.google.com/document/d/sum/edit",), None)
    assert docs["terms-of-reference-draft"] == StoredDocument(
        ("/data/tor-draft.docx", "/data/tor-draft.md"), dt.datetime.fromisoformat(drafted))
    assert upgraded.google_form(rid) == GoogleForm(
        begun_at=AT, created_id="form-9", form_id="form-9", responder_uri="https://forms.example/9",
        questions={"q1": ("B1", "rating"), "q2": ("B1", "comment")}, responses_since="2026-11-25T08:00:00.5Z")
    assert upgraded.google_responders(rid) == {"a@example.org": True, "b@example.org": None}
    assert upgraded.google_responses_seen(rid) == {"r1@2026-11-25T08:00:00.5Z"}
    assert upgraded.google_reviewer_copies(rid) == {"jane@example.org": ReviewerCopy(
        "copy-1", "https://docs.google.com/document/d/copy-1/edit", "Jane W",
        dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC))}
    assert upgraded.google_summary_sections(rid) == [("general", "Overview"), ("B1", "Neglect")]
    assert not upgraded.claim(rid, "other", until=AT + dt.timedelta(hours=1), now=AT), "the old lease still holds"
    assert upgraded.web_secret() == bytes.fromhex("ab" * 32), "forms opened before the upgrade can still be sent"
    engine = create_engine(store_url)
    with engine.connect() as conn:
        left = conn.execute(select(review_values.c.review_id, review_values.c.key)).all()
    engine.dispose()
    assert [tuple(row) for row in left] == [(rid, "progress:members")]
    assert open_store().documents(rid) == docs, "opening it again changes nothing"


def test_the_old_table_goes_once_everything_in_it_is_moved(open_store, store_url, store, review):
    _old_layout(store_url, {(review.review_id, "document:factor-summary"): ["/data/s.md"],
                            (review.review_id, "google:responses_since"): None})
    assert _has_old_table(store_url)
    assert document_refs(open_store(), review.review_id, "factor-summary") == ["/data/s.md"]
    assert not _has_old_table(store_url)
