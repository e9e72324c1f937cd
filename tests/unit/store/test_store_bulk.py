"""The store's many-at-once methods: one transaction for a round of tokens or events, one read for the state
of many reviews; each agrees with the one-at-a-time methods (both databases; see conftest.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import event

from scr.domain.model import Event, Role, Stage
from scr.errors import ReviewNotFound
from tests.store_support import AT, SCHEDULE


@pytest.fixture
def transactions(store):
    """How many write transactions the store began since the test started."""
    began: list[int] = []
    listener = lambda conn: began.append(1) if conn.get_execution_options().get("scr_write") else None  # noqa: E731
    event.listen(store._engine, "begin", listener)
    yield began
    event.remove(store._engine, "begin", listener)


def test_a_round_of_tokens_is_one_transaction_and_keeps_the_tokens_already_open(store, review, transactions):
    rid, emails = review.review_id, [m.email for m in review.members]
    first = store.issue_token(rid, emails[0], Role.MEMBER)
    transactions.clear()
    issued = store.issue_tokens(rid, emails, Role.MEMBER)
    assert len(transactions) == 1
    assert list(issued) == emails and issued[emails[0]] == first
    assert len(set(issued.values())) == len(emails)
    for email, token in issued.items():
        assert store.issue_token(rid, email, Role.MEMBER) == token  # the single method finds the same token
        grant = store.resolve_token(token)
        assert (grant.review_id, grant.email, grant.role) == (rid, email, Role.MEMBER)
    assert store.issue_tokens(rid, emails, Role.MEMBER) == issued  # a second round issues nothing new
    assert store.issue_tokens(rid, emails[:1], Role.REVIEWER)[emails[0]] not in issued.values()


def test_a_round_of_events_is_one_transaction_in_order(store, review, transactions):
    rid = review.review_id
    store.record_event(rid, Event("invited", AT, "early@example.org", ""))
    round_ = [Event("invited", AT + dt.timedelta(seconds=n), m.email, "") for n, m in enumerate(review.members)]
    transactions.clear()
    store.record_events(rid, round_)
    store.record_events(rid, [])
    assert len(transactions) == 1
    assert store.events(rid, "invited") == [Event("invited", AT, "early@example.org", ""), *round_]


def test_review_states_lists_stages_and_schedules_oldest_first(store, review):
    later = dataclasses.replace(review, review_id="SCR-2026-999")
    closed = dataclasses.replace(SCHEDULE, closed_at=AT)
    store.create_review(later, closed)
    store.set_stage(later.review_id, Stage.WITH_REVIEWERS)
    states = store.review_states()
    assert [(s.review_id, s.stage, s.schedule) for s in states] == [
        (review.review_id, Stage.STARTED, store.schedule(review.review_id)),
        (later.review_id, Stage.WITH_REVIEWERS, closed)]
    assert [s.review_id for s in store.review_states([Stage.WITH_REVIEWERS, Stage.DRAFTED])] == [later.review_id]
    assert store.review_states([Stage.COMPLETE]) == []


def test_reviews_are_read_together_and_a_missing_one_is_named(store, review):
    other = dataclasses.replace(review, review_id="SCR-2026-998", child_pseudonym="Child Q")
    store.create_review(other, SCHEDULE)
    assert store.reviews([other.review_id, review.review_id]) == {other.review_id: other, review.review_id: review}
    with pytest.raises(ReviewNotFound, match="SCR-0000-000"):
        store.reviews([review.review_id, "SCR-0000-000"])


def test_member_activity_gives_who_was_invited_reminded_and_last_answered(store, review):
    rid, (first, second, third, *_) = review.review_id, review.members
    quiet = dataclasses.replace(review, review_id="SCR-2026-997")
    store.create_review(quiet, SCHEDULE)
    store.record_events(rid, [Event("invited", AT, m.email.upper(), "") for m in (first, second, third)])
    store.record_event(rid, Event("reminded", AT, second.email, "reminder 1"))
    store.record_event(rid, Event("summary_sent", AT, third.email, ""))  # another kind: not counted
    store.save_response(rid, first.email, {}, AT, late=False)
    store.save_response(rid, first.email, {}, AT + dt.timedelta(days=9), late=True)  # the latest counts
    store.save_response(rid, second.email, {}, AT + dt.timedelta(days=1), late=False)
    activity = store.member_activity([rid, quiet.review_id])
    mine = activity[rid]
    assert mine.invited == {m.email.lower() for m in (first, second, third)}
    assert mine.reminded == {second.email.lower()}
    assert mine.answered == {first.email.lower(): (AT + dt.timedelta(days=9), True),
                             second.email.lower(): (AT + dt.timedelta(days=1), False)}
    latest = {r.member_email.lower(): (r.submitted_at, r.late) for r in store.latest_responses(rid)}
    assert mine.answered == latest  # as the one-review read sees it
    assert activity[quiet.review_id] == type(mine)()  # nothing yet
