"""One intake for every route: the web form, the Google Form and a CSV import get the same decision for the same
answer (kept, kept late, held apart, already kept, refused), and the same events record it, never its text."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from scr.domain.forms import MAX_TEXT
from scr.domain.model import ItemAnswer
from scr.domain.schedule import Schedule
from scr.intake import Arrival, Received, Refusal, Route, receive_answer
from scr.store.store import SqlStore
from tests.store_support import example_review

OPENED = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
DEADLINE = dt.datetime(2026, 12, 4, 17, tzinfo=dt.UTC)
SCHEDULE = Schedule(opened_at=OPENED, response_deadline=DEADLINE)
SECRET = "Mother's partner K hit the child"
ANSWERS = {"B1": ItemAnswer(rating="central", comment=SECRET)}
STRANGER = "curious.person@example.com"


@pytest.fixture
def store(tmp_path: Path):
    store = SqlStore.for_data_dir(tmp_path / "data")
    store.create_review(example_review(), SCHEDULE)
    yield store
    store.close()


def _arrival(route: Route, email: str, at: dt.datetime, n: int = 0, **answers) -> Arrival:
    ref = None if route is Route.WEB_FORM else f"{route.name}:{email}:{at.isoformat()}:{n}"
    return Arrival(email, answers or ANSWERS, at, route, ref)


def _receive(store: SqlStore, arrival: Arrival, kept: dict[str, int] | None = None):
    review = example_review()
    return receive_answer(store, review, store.schedule(review.review_id), arrival, kept)


@pytest.mark.parametrize("route", list(Route))
def test_a_members_answer_is_kept_as_their_next_version_and_late_after_the_deadline(store, route) -> None:
    review = example_review()
    member = review.members[0]
    on_time = _receive(store, _arrival(route, member.email.upper(), OPENED + dt.timedelta(days=1)))
    late = _receive(store, _arrival(route, member.email, DEADLINE + dt.timedelta(minutes=1), 1))
    assert (on_time.received, on_time.version, on_time.email) == (Received.KEPT, 1, member.email)
    assert (late.received, late.version, late.late) == (Received.KEPT_LATE, 2, True)
    assert store.response_versions(review.review_id) == {member.email: 2}
    events = store.events(review.review_id, "response_received")
    assert [(e.person_email, e.detail) for e in events] == [
        (member.email, f"version 1, by {route.value}"),
        (member.email, f"version 2, after the deadline, by {route.value}"),
    ]


@pytest.mark.parametrize("route", [Route.GOOGLE_FORM, Route.CSV_IMPORT])
def test_the_same_answer_read_again_is_already_kept_and_records_nothing(store, route) -> None:
    review = example_review()
    member = review.members[1]
    arrival = _arrival(route, member.email, OPENED + dt.timedelta(hours=3))
    kept: dict[str, int] = {}
    assert _receive(store, arrival, kept).received is Received.KEPT and kept == {member.email: 1}
    events = len(store.events(review.review_id))
    again = _receive(store, arrival, kept)
    without_a_batch = _receive(store, arrival)  # reads what is kept from the store
    assert again.received is without_a_batch.received is Received.DUPLICATE and again.version == 1
    assert len(store.events(review.review_id)) == events and store.response_versions(review.review_id) == kept


@pytest.mark.parametrize("route", list(Route))
def test_an_answer_from_someone_not_a_member_is_held_apart_once_never_merged(store, route) -> None:
    review = example_review()
    arrival = _arrival(route, STRANGER, OPENED + dt.timedelta(hours=1))
    first, again = _receive(store, arrival), _receive(store, arrival)
    assert (first.received, first.held_apart, first.kept) == (Received.HELD_APART, True, False)
    assert again.received is Received.HELD_BEFORE
    assert store.latest_responses(review.review_id) == []
    assert {email for email, _ in store.held_responses(review.review_id)} == {STRANGER}
    [event] = store.events(review.review_id, "held_apart")
    assert (event.person_email, event.detail) == (STRANGER, f"not a member ({route.value})")


@pytest.mark.parametrize("route", list(Route))
def test_an_answer_over_the_limit_is_refused_whole_and_the_reason_names_no_text(store, route) -> None:
    review = example_review()
    long = ItemAnswer(comment=SECRET + "x" * MAX_TEXT)
    outcome = _receive(store, _arrival(route, review.members[0].email, OPENED + dt.timedelta(hours=1), B2=long))
    assert (outcome.received, outcome.refusal) == (Received.REFUSED, Refusal.TOO_LONG)
    assert "B2 (comment)" in outcome.reason and SECRET not in outcome.reason
    assert store.response_versions(review.review_id) == {} and store.events(review.review_id) == []


def test_only_a_file_row_dated_before_the_review_opened_is_refused(store) -> None:
    review = example_review()
    before = OPENED - dt.timedelta(days=2)
    outcomes = {route: _receive(store, _arrival(route, review.members[2].email, before)) for route in Route}
    assert outcomes[Route.CSV_IMPORT].refusal is Refusal.BEFORE_START
    assert "before the review started" in outcomes[Route.CSV_IMPORT].reason
    assert outcomes[Route.WEB_FORM].kept and outcomes[Route.GOOGLE_FORM].kept


def test_no_event_or_outcome_carries_answer_text(store) -> None:
    review = example_review()
    outcomes = [_receive(store, _arrival(route, email, OPENED + dt.timedelta(hours=n)))
                for n, (route, email) in enumerate((r, e) for r in Route for e in (review.members[0].email, STRANGER))]
    said = [f"{e.person_email} {e.detail}" for e in store.events(review.review_id)]
    said += [repr(dataclasses.asdict(o)) for o in outcomes]
    assert said and not any(SECRET in line for line in said)
