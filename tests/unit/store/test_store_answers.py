"""The SQL review store: answers and their versions, reviewer input, events, values, and writers at once
(both databases; see conftest.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from scr.domain.model import Event, ItemAnswer, ReviewerComment, Role
from scr.domain.schedule import Schedule
from scr.store.store import SqlStore
from tests.store_support import AT, ROOT, example_review, run_at_once, versions_of


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


def test_an_answer_read_twice_from_its_source_is_kept_once(store, review):
    email = review.members[0].email
    answers = {"B1": ItemAnswer(rating="central")}
    assert store.save_response(review.review_id, email, answers, AT, late=False, ref="google-1") == 1
    assert store.save_response(review.review_id, email, answers, AT, late=False, ref="google-1") == 1
    assert store.save_response(review.review_id, email, answers, AT, late=False, ref="google-2") == 2
    assert store.save_response(review.review_id, email, answers, AT, late=False) == 3
    assert store.save_response(review.review_id, email, answers, AT, late=False) == 4  # no ref: always a new one
    assert versions_of(store, review.review_id, email) == [1, 2, 3, 4]


def test_a_reviewer_comment_read_twice_from_its_source_is_kept_once(store, review):
    jane = review.lead_reviewers[0].email
    comment = ReviewerComment(jane, "B1", "Weigh heavily", AT, ref="docs-comment-1")
    assert store.add_reviewer_comment(review.review_id, comment) is True
    assert store.add_reviewer_comment(review.review_id, comment) is False
    assert store.add_reviewer_comment(review.review_id, dataclasses.replace(comment, ref="docs-comment-2")) is True
    unsourced = dataclasses.replace(comment, text="Typed in the web app", ref="")
    assert store.add_reviewer_comment(review.review_id, unsourced) is True
    assert store.add_reviewer_comment(review.review_id, unsourced) is True
    mine = store.reviewer_inputs(review.review_id)[0]
    assert [c.text for c in mine.comments] == ["Weigh heavily"] * 2 + ["Typed in the web app"] * 2


def test_answers_from_outside_the_review_are_held_apart(store, review):
    answers = {"B1": ItemAnswer(rating="central", comment="Not a member")}
    assert store.hold_response(review.review_id, "google-9", "stranger@example.org", answers, AT) is True
    assert store.hold_response(review.review_id, "google-9", "stranger@example.org", answers, AT) is False
    later = AT + dt.timedelta(hours=2)
    assert store.hold_response(review.review_id, "google-10", "other@example.org", {}, later) is True
    held = store.held_responses(review.review_id)
    assert held == [("stranger@example.org", AT), ("other@example.org", later)]
    assert held[0][1].tzinfo is not None
    assert store.latest_responses(review.review_id) == [] and store.response_versions(review.review_id) == {}
    assert store.held_responses("SCR-0000-000") == []


def test_versions_saved_at_once_for_one_member_are_numbered_without_gaps(open_store, review):
    stores = [open_store(), open_store()]  # two engines, as the web app and the flow beside it
    stores[0].create_review(review, Schedule())
    threads, each = 8, 10

    def work(n: int) -> None:
        for i in range(each):
            stores[n % 2].save_response(review.review_id, "same@example.org",
                                        {"B1": ItemAnswer(comment=f"{n}-{i}")}, AT, late=False)  # fmt: skip

    assert run_at_once(work, threads) == []
    assert versions_of(stores[0], review.review_id, "same@example.org") == list(range(1, threads * each + 1))
    comments = {r.answers["B1"].comment for r in stores[1].latest_responses(review.review_id)}
    assert len(comments) == 1 and comments <= {f"{n}-{each - 1}" for n in range(threads)}


def test_the_same_answer_saved_at_once_is_kept_once(open_store, review):
    stores = [open_store(), open_store()]
    stores[0].create_review(review, Schedule())
    jane = review.lead_reviewers[0].email
    saved: list[int] = []
    added: list[bool] = []

    def work(n: int) -> None:
        for i in range(5):
            saved.append(stores[n % 2].save_response(review.review_id, "same@example.org", {}, AT, late=False,
                                                     ref=f"google-{i}"))  # fmt: skip
            added.append(stores[n % 2].add_reviewer_comment(
                review.review_id, ReviewerComment(jane, "B1", f"comment {i}", AT, ref=f"docs-{i}")))

    assert run_at_once(work, 6) == []
    assert versions_of(stores[0], review.review_id, "same@example.org") == [1, 2, 3, 4, 5]
    assert sorted(set(saved)) == [1, 2, 3, 4, 5] and added.count(True) == 5
    assert sorted(c.text for c in stores[0].reviewer_inputs(review.review_id)[0].comments) == [
        f"comment {i}" for i in range(5)]  # fmt: skip


def test_threads_writing_at_once_lose_nothing(open_store, review):
    stores = [open_store(), open_store()]
    stores[0].create_review(review, Schedule())

    def work(n: int) -> None:
        target = stores[n % 2]
        for i in range(10):
            target.save_response(review.review_id, "same@example.org", {"B1": ItemAnswer(comment=f"{n}-{i}")},
                                 AT, late=False)  # fmt: skip
            target.save_response(review.review_id, f"m{n}@example.org", {}, AT, late=False)
            target.record_event(review.review_id, Event("tick", AT, detail=f"{n}-{i}"))
            target.issue_token(review.review_id, "one@example.org", Role.MEMBER)

    assert run_at_once(work, 8) == []
    store = stores[0]
    versions = store.response_versions(review.review_id)
    assert versions["same@example.org"] == 80
    assert all(versions[f"m{n}@example.org"] == 10 for n in range(8))
    assert len(store.events(review.review_id, "tick")) == 80
    assert len({store.issue_token(review.review_id, "one@example.org", Role.MEMBER) for _ in range(3)}) == 1

def test_works_in_memory_too(review):
    store = SqlStore("sqlite://")
    store.create_review(review, Schedule())
    assert store.get_review(review.review_id) == review
    store.close()


def test_a_new_sqlite_store_creates_its_folder(tmp_path):
    folder = tmp_path / "not" / "yet" / "there"
    store = SqlStore(f"sqlite:///{folder / 'scr.sqlite3'}")
    assert (folder / "scr.sqlite3").exists()
    assert store.review_ids() == []


def test_a_board_can_keep_its_store_in_the_database_an_environment_variable_names(tmp_path, monkeypatch):
    import yaml

    from scr.bootstrap import backend_for
    from scr.config import parse_config
    from scr.errors import ScrError
    from scr.settings import Runtime

    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"store_url_env": "SCR_TEST_STORE_URL", "out_dir": str(tmp_path / "OUT")}
    runtime = Runtime.from_config(parse_config(raw))
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'store.db'}"
    assert url not in runtime.model_dump_json(), "the URL (it may hold a password) is not a flow parameter"
    monkeypatch.delenv("SCR_TEST_STORE_URL", raising=False)
    with pytest.raises(ScrError, match="SCR_TEST_STORE_URL, which is not set"):
        backend_for(runtime)
    monkeypatch.setenv("SCR_TEST_STORE_URL", url)
    backend_for(runtime).store.create_review(example_review(), Schedule())
    assert (tmp_path / "elsewhere" / "store.db").exists()
