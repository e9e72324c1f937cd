"""The SQL review store: reviews and their schedule, stages and tokens (both databases; see conftest.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from scr.config import DeadlinesConfig
from scr.domain.calendar import BOARD_TIME
from scr.domain.model import Role, Stage
from scr.domain.schedule import Schedule
from scr.errors import ReviewExists, ReviewNotFound
from scr.store.store import SqlStore, review_from_json, review_to_json
from scr.store.tables import reviews
from tests.store_support import AT, OLD_STYLE, SCHEDULE, run_at_once


def test_the_sqlite_file_lives_in_the_data_dir_in_wal_mode(tmp_path, review):
    store = SqlStore.for_data_dir(tmp_path / "data")
    assert (tmp_path / "data" / "scr.sqlite3").exists()
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    store.close()


def test_a_review_round_trips(store, review):
    assert review_from_json(review_to_json(review)) == review
    assert store.get_review(review.review_id) == review
    assert store.review_ids() == [review.review_id]
    assert store.schedule(review.review_id) == SCHEDULE
    assert store.stage(review.review_id) is Stage.STARTED


def test_a_reopened_store_sees_everything(open_store, store, review):
    store.set_stage(review.review_id, Stage.COLLECTING)
    store.close()
    again = open_store()
    assert again.get_review(review.review_id) == review
    assert again.stage(review.review_id) is Stage.COLLECTING


def test_the_schedule_and_stage_can_change(store, review):
    later = dt.datetime(2026, 12, 8, 17, tzinfo=dt.UTC)
    changed = store.update_schedule(review.review_id, response_deadline=later, include_late=True)
    assert changed == store.schedule(review.review_id) == dataclasses.replace(SCHEDULE, response_deadline=later,
                                                                              include_late=True)  # fmt: skip
    with pytest.raises(ReviewNotFound):
        store.update_schedule("SCR-0000-000", closed_at=later)
    with pytest.raises(TypeError):  # a field the schedule does not have
        store.update_schedule(review.review_id, closed_early=True)
    assert store.schedule(review.review_id) == changed
    store.set_stage(review.review_id, Stage.WITH_REVIEWERS)
    assert store.stage(review.review_id) is Stage.WITH_REVIEWERS


def _stored(store: SqlStore, review_id: str) -> dict:
    """The schedule's JSON as the store keeps it, in the reviews table's ``deadlines`` column."""
    with store._engine.connect() as conn:
        return json.loads(conn.scalar(select(reviews.c.deadlines).where(reviews.c.review_id == review_id)))


def test_a_schedule_stored_as_a_plain_dict_by_earlier_versions_still_reads(store, review):
    with store._engine.begin() as conn:
        conn.execute(reviews.update().where(reviews.c.review_id == review.review_id)
                     .values(deadlines=json.dumps({**OLD_STYLE, "kept_by_a_newer_version": 1})))  # fmt: skip
    schedule = store.schedule(review.review_id)
    assert schedule.response_working_days == 10 and schedule.reminder_working_days == (5, 8)
    assert schedule.holidays == (dt.date(2026, 12, 25), dt.date(2026, 12, 28))
    assert schedule.opened_at == AT and schedule.response_deadline == dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    assert schedule.reminders == (AT + dt.timedelta(days=7), AT + dt.timedelta(days=10))
    assert schedule.close_now and schedule.closed and not schedule.include_late and schedule.cancelled
    assert schedule.excused_reviewers == {"a@example.org", "b@example.org"}
    assert schedule.reviewer_deadline == dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC)
    store.update_schedule(review.review_id, include_late=True)  # written back with the same keys, ISO strings
    assert _stored(store, review.review_id) == {**OLD_STYLE, "include_late": True, "kept_by_a_newer_version": 1,
                                                "excused_reviewers": ["a@example.org", "b@example.org"]}


def test_an_early_schedule_with_bare_dates_and_missing_keys_still_reads(store, review):
    with store._engine.begin() as conn:
        conn.execute(reviews.update().where(reviews.c.review_id == review.review_id)
                     .values(deadlines=json.dumps({"response_deadline": "2026-12-04", "closed_at": ""})))
    schedule = store.schedule(review.review_id)
    assert schedule == Schedule(response_deadline=dt.datetime(2026, 12, 4, 23, 59, 59, tzinfo=BOARD_TIME))
    assert schedule.reminder_working_days == DeadlinesConfig().schedule().reminder_working_days


def test_a_new_schedule_is_stored_as_before(store, review):
    assert _stored(store, review.review_id) == {
        "response_working_days": 10, "reminder_working_days": [5, 8], "reviewer_working_days": 7, "holidays": [],
        "response_deadline": "2026-12-04T17:00:00+00:00", "reminders": ["2026-11-30T09:30:00+00:00"],
    }


def test_schedule_changes_made_at_once_are_all_kept(open_store, review):
    stores = [open_store(), open_store()]
    stores[0].create_review(review, Schedule())
    changes = [{"opened_at": AT}, {"response_deadline": AT}, {"closed_at": AT}, {"reviewer_deadline": AT},
               {"cancelled_at": AT}, {"close_now": True}, {"include_late": True},
               {"excused_reviewers": frozenset({"a@example.org"})}]

    def work(n: int) -> None:
        stores[n % 2].update_schedule(review.review_id, **changes[n])

    assert run_at_once(work, len(changes)) == []
    assert stores[1].schedule(review.review_id) == Schedule(**{k: v for c in changes for k, v in c.items()})


def test_starting_twice_and_unknown_reviews_are_named_errors(store, review):
    with pytest.raises(ReviewExists, match=review.review_id):
        store.create_review(review, Schedule())
    for call in (store.get_review, store.schedule, store.stage):
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
