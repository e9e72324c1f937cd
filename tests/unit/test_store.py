"""The SQL review store on an SQLite file: round trips, tokens, versions, reviewer input, events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path

import pytest

from scr.backends.local.store import SqlStore, review_from_json, review_to_json
from scr.config import load_board_config, review_from_config
from scr.domain.model import (
    Event,
    ItemAnswer,
    Review,
    ReviewerComment,
    Role,
    Stage,
    Vocabulary,
)
from scr.errors import ReviewExists, ReviewNotFound

ROOT = Path(__file__).resolve().parents[2]
AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
DEADLINES = {"response_deadline": "2026-12-04T17:00:00+00:00", "reminders": ["2026-11-30T09:00:00+00:00"]}


def example_review() -> Review:
    config = load_board_config(ROOT / "config" / "example-board.yaml")
    return dataclasses.replace(review_from_config(config), vocabulary=Vocabulary.named("partnership"))


@pytest.fixture
def review() -> Review:
    return example_review()


@pytest.fixture
def store(tmp_path: Path, review: Review):
    store = SqlStore.for_data_dir(tmp_path / "data")
    store.create_review(review, DEADLINES)
    yield store
    store.close()


def test_the_sqlite_file_lives_in_the_data_dir_in_wal_mode(tmp_path, store):
    assert (tmp_path / "data" / "scr.sqlite3").exists()
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_review_round_trips(store, review):
    assert review_from_json(review_to_json(review)) == review
    assert store.get_review(review.review_id) == review
    assert store.review_ids() == [review.review_id]
    assert store.deadlines(review.review_id) == DEADLINES
    assert store.stage(review.review_id) is Stage.STARTED


def test_a_reopened_store_sees_everything(tmp_path, store, review):
    store.set_stage(review.review_id, Stage.COLLECTING)
    again = SqlStore.for_data_dir(tmp_path / "data")
    assert again.get_review(review.review_id) == review
    assert again.stage(review.review_id) is Stage.COLLECTING
    again.close()


def test_deadlines_and_stage_can_change(store, review):
    store.set_deadlines(review.review_id, {"response_deadline": dt.datetime(2026, 12, 8, 17, tzinfo=dt.UTC)})
    assert store.deadlines(review.review_id) == {"response_deadline": "2026-12-08T17:00:00+00:00"}
    store.set_stage(review.review_id, Stage.WITH_REVIEWERS)
    assert store.stage(review.review_id) is Stage.WITH_REVIEWERS


def test_starting_twice_and_unknown_reviews_are_named_errors(store, review):
    with pytest.raises(ReviewExists, match=review.review_id):
        store.create_review(review, {})
    for call in (store.get_review, store.deadlines, store.stage):
        with pytest.raises(ReviewNotFound, match="SCR-0000-000"):
            call("SCR-0000-000")
    with pytest.raises(ReviewNotFound):
        store.set_stage("SCR-0000-000", Stage.COMPLETE)


def test_tokens_are_long_idempotent_and_can_be_closed(store, review):
    email = review.members[0].email
    token = store.issue_token(review.review_id, email, Role.MEMBER)
    assert len(token) >= 43
    assert store.issue_token(review.review_id, email, Role.MEMBER) == token
    as_reviewer = store.issue_token(review.review_id, email, Role.REVIEWER)
    assert as_reviewer != token
    grant = store.resolve_token(token)
    assert (grant.review_id, grant.email, grant.role) == (review.review_id, email, Role.MEMBER)
    assert store.resolve_token("nope") is None and store.resolve_token("") is None
    store.close_tokens(review.review_id, Role.MEMBER)
    assert store.resolve_token(token) is None
    assert store.resolve_token(as_reviewer).role is Role.REVIEWER
    assert store.issue_token(review.review_id, email, Role.MEMBER) != token


def test_every_response_version_is_kept_and_the_latest_counts(store, review):
    first, second = review.members[0].email, review.members[1].email
    answers = {"B1": ItemAnswer(rating="central", comment="Zoë’s view\nline two"),
               "A5": ItemAnswer(choices=("police", "other"), other="Youth offending")}  # fmt: skip
    assert store.save_response(review.review_id, first, answers, AT, late=False) == 1
    revised = {**answers, "B1": ItemAnswer(rating="minor")}
    assert store.save_response(review.review_id, first, revised, AT + dt.timedelta(days=1), late=False) == 2
    late = AT + dt.timedelta(days=20)
    assert store.save_response(review.review_id, second, answers, late, late=True) == 1
    latest = store.latest_responses(review.review_id)
    assert [(r.member_email, r.version, r.late) for r in latest] == [(first, 2, False), (second, 1, True)]
    assert latest[0].answers == revised and latest[1].answers == answers
    assert latest[1].submitted_at == late and latest[1].submitted_at.tzinfo is not None
    assert store.response_versions(review.review_id) == {first: 2, second: 1}


def test_late_versions_can_be_left_out(store, review):
    first, second = review.members[0].email, review.members[1].email
    store.save_response(review.review_id, first, {"B1": ItemAnswer(rating="central")}, AT, late=False)
    store.save_response(review.review_id, first, {"B1": ItemAnswer(rating="minor")}, AT, late=True)
    store.save_response(review.review_id, second, {}, AT, late=True)
    on_time = store.latest_responses(review.review_id, include_late=False)
    assert [(r.member_email, r.version, r.answers["B1"].rating) for r in on_time] == [(first, 1, "central")]
    assert [(r.version, r.late) for r in store.latest_responses(review.review_id)] == [(2, True), (1, True)]


def test_naive_datetimes_are_refused(store, review):
    with pytest.raises(ValueError, match="timezone-aware"):
        store.save_response(review.review_id, review.members[0].email, {}, dt.datetime(2026, 1, 1), late=False)


def test_reviewer_input_is_gathered_per_lead_reviewer(store, review):
    jane, samuel = (r.email for r in review.lead_reviewers)
    store.add_reviewer_comment(review.review_id, ReviewerComment(jane, "B1", "Weigh heavily", AT))
    store.add_reviewer_comment(review.review_id, ReviewerComment(jane, "general", "Clear", AT))
    store.set_proposal(review.review_id, jane, "scope", "12 months", AT)
    store.set_proposal(review.review_id, jane, "scope", "24 months", AT + dt.timedelta(hours=1))
    store.mark_reviewer_complete(review.review_id, jane, AT)
    store.mark_reviewer_complete(review.review_id, jane, AT + dt.timedelta(days=1))
    mine, theirs = store.reviewer_inputs(review.review_id)
    assert mine.reviewer == review.lead_reviewers[0]
    assert [(c.section_id, c.text, c.created_at) for c in mine.comments] == [
        ("B1", "Weigh heavily", AT), ("general", "Clear", AT)]  # fmt: skip
    assert mine.proposals == {"scope": "24 months"}
    assert mine.completed_at == AT
    assert theirs.reviewer.email == samuel and theirs == dataclasses.replace(theirs, comments=(), proposals={})
    assert theirs.completed_at is None


def test_events_come_back_in_the_order_they_happened(store, review):
    kinds = ["invited", "reminded", "invited", "summary_sent"]
    for n, kind in enumerate(kinds):
        store.record_event(review.review_id, Event(kind, AT - dt.timedelta(minutes=n), f"p{n}@example.org", str(n)))
    assert [e.kind for e in store.events(review.review_id)] == kinds
    assert [e.detail for e in store.events(review.review_id, "invited")] == ["0", "2"]
    assert store.events(review.review_id)[0] == Event("invited", AT, "p0@example.org", "0")
    assert store.events("SCR-0000-000") == []


def test_threads_writing_at_once_lose_nothing(tmp_path, review):
    store = SqlStore.for_data_dir(tmp_path / "data")
    store.create_review(review, {})
    other = SqlStore.for_data_dir(tmp_path / "data")  # a second engine, as the flow beside the web app
    errors: list[BaseException] = []

    def work(n: int) -> None:
        target = store if n % 2 else other
        try:
            for i in range(10):
                target.save_response(review.review_id, "same@example.org", {"B1": ItemAnswer(comment=f"{n}-{i}")},
                                     AT, late=False)  # fmt: skip
                target.save_response(review.review_id, f"m{n}@example.org", {}, AT, late=False)
                target.record_event(review.review_id, Event("tick", AT, detail=f"{n}-{i}"))
                target.issue_token(review.review_id, "one@example.org", Role.MEMBER)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    versions = store.response_versions(review.review_id)
    assert versions["same@example.org"] == 80
    assert all(versions[f"m{n}@example.org"] == 10 for n in range(8))
    assert len(store.events(review.review_id, "tick")) == 80
    assert len({store.issue_token(review.review_id, "one@example.org", Role.MEMBER) for _ in range(3)}) == 1
    store.close()
    other.close()


def test_works_in_memory_too(review):
    store = SqlStore("sqlite://")
    store.create_review(review, {})
    assert store.get_review(review.review_id) == review
    store.close()


def test_a_new_sqlite_store_creates_its_folder(tmp_path):
    folder = tmp_path / "not" / "yet" / "there"
    store = SqlStore(f"sqlite:///{folder / 'scr.sqlite3'}")
    assert (folder / "scr.sqlite3").exists()
    assert store.review_ids() == []
