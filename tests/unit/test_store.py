"""The SQL review store, on an SQLite file and on PostgreSQL: round trips, tokens, versions, reviewer input, events.

Every test that takes ``store`` or ``store_url`` runs on both databases. The PostgreSQL runs need
``SCR_TEST_POSTGRES_URL``, which ``make test`` sets after starting a throwaway cluster (scripts/postgres.sh);
without it they fail rather than skip, so a run without PostgreSQL never looks green.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select
from sqlalchemy.schema import CreateSchema, DropSchema

from scr.backends.local.store import SqlStore, review_from_json, review_to_json
from scr.backends.local.tables import responses, reviews
from scr.config import DeadlinesConfig, load_board_config, review_from_config
from scr.domain.calendar import BOARD_TIME
from scr.domain.model import (
    Event,
    ItemAnswer,
    Review,
    ReviewerComment,
    Role,
    Stage,
    Vocabulary,
)
from scr.domain.schedule import Schedule
from scr.errors import ReviewExists, ReviewNotFound

ROOT = Path(__file__).resolve().parents[2]
AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
SCHEDULE = Schedule(response_deadline=dt.datetime(2026, 12, 4, 17, tzinfo=dt.UTC),
                    reminders=(AT + dt.timedelta(days=7),))
#: A schedule as earlier versions kept it: a plain dict of ISO strings, written by the services key by key.
OLD_STYLE = {
    "response_working_days": 10, "reminder_working_days": [5, 8], "reviewer_working_days": 7,
    "holidays": ["2026-12-25", "2026-12-28"], "opened_at": "2026-11-23T09:30:00+00:00",
    "response_deadline": "2026-12-07T09:30:00+00:00",
    "reminders": ["2026-11-30T09:30:00+00:00", "2026-12-03T09:30:00+00:00"],
    "close_now": True, "closed_at": "2026-12-01T12:00:00+00:00", "include_late": False,
    "reviewer_deadline": "2026-12-10T12:00:00+00:00", "excused_reviewers": ["b@example.org", "a@example.org"],
    "cancelled_at": "2026-12-09T08:00:00+00:00",
}
POSTGRES_URL = "SCR_TEST_POSTGRES_URL"


def example_review() -> Review:
    config = load_board_config(ROOT / "config" / "example-board.yaml")
    return dataclasses.replace(review_from_config(config), vocabulary=Vocabulary.named("partnership"))


@pytest.fixture
def review() -> Review:
    return example_review()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL)
    if not url:
        pytest.fail(f"{POSTGRES_URL} is not set, so the store cannot be tested on PostgreSQL: run `make test`, "
                    "which starts a throwaway PostgreSQL (scripts/postgres.sh) and sets it.", pytrace=False)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty store: an SQLite file in a fresh folder, or a fresh schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'data' / 'scr.sqlite3').resolve()}"
        return
    server = make_url(request.getfixturevalue("postgres_url"))
    schema = f"scr_test_{secrets.token_hex(6)}"
    admin = create_engine(server)
    with admin.begin() as conn:
        conn.execute(CreateSchema(schema))
    try:
        yield server.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture
def open_store(store_url: str) -> Iterator[Callable[[], SqlStore]]:
    """Opens stores on the same database (as the web app and the flow do); closes them all afterwards."""
    opened: list[SqlStore] = []

    def open_one() -> SqlStore:
        opened.append(SqlStore(store_url))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], SqlStore], review: Review) -> SqlStore:
    store = open_store()
    store.create_review(review, SCHEDULE)
    return store


def versions_of(store: SqlStore, review_id: str, email: str) -> list[int]:
    """Every version kept for one member, in order."""
    query = select(responses.c.version).where((responses.c.review_id == review_id) & (responses.c.email == email))
    with store._engine.connect() as conn:
        return list(conn.scalars(query.order_by(responses.c.version)))


def run_at_once(work: Callable[[int], None], threads: int) -> list[BaseException]:
    """Run ``work(n)`` on several threads started together; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)

    running = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return errors


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


def test_review_values_round_trip_and_can_be_replaced(store, review):
    assert store.value(review.review_id, "google_form") is None
    store.set_value(review.review_id, "google_form", {"form_id": "f-1", "items": ["B1", "B2"], "n": 2})
    store.set_value(review.review_id, "last_poll", "2026-11-23T09:30:00+00:00")
    assert store.value(review.review_id, "google_form") == {"form_id": "f-1", "items": ["B1", "B2"], "n": 2}
    store.set_value(review.review_id, "google_form", {"form_id": "f-2"})
    assert store.value(review.review_id, "google_form") == {"form_id": "f-2"}
    assert store.value(review.review_id, "last_poll") == "2026-11-23T09:30:00+00:00"
    assert store.value("SCR-0000-000", "google_form") is None


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
