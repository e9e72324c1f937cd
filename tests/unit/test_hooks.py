"""The advance flow's hooks: retries only for what may pass, and the business manager told once when a
review's advance keeps failing; events a board can hang an Automation on, with counts and the review id only."""

from __future__ import annotations

import smtplib
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from prefect.states import Completed, Failed
from sqlalchemy.exc import OperationalError

from flows import hooks
from scr.backends.google.errors import GoogleAccessError, GoogleError, GoogleNotFound, translate
from scr.backends.local.outbox import read_outbox
from scr.backends.mail import smtp_temporary
from scr.bootstrap import backend_for
from scr.config import parse_config, review_from_config
from scr.domain.model import ItemAnswer
from scr.errors import ConfigError, ReviewCancelled, ScrError, StoreError, TransientError, is_transient
from scr.services import advance_failures, members
from scr.settings import Runtime

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-an-answer-never-in-a-notice"


def store_error(reason: str) -> StoreError:
    """A StoreError as the store raises it: the driver's error as its cause."""
    try:
        try:
            raise OperationalError("UPDATE schedules SET ...", {}, sqlite3.OperationalError(reason))
        except OperationalError as exc:
            raise StoreError(f"The store at scr.sqlite3 could not save: {reason}") from exc
    except StoreError as error:
        return error


@pytest.mark.parametrize(("error", "retried"), [
    (TransientError("the mail server said try later"), True),
    (GoogleError("Google kept answering 503", 503), True),
    (translate(429, (), "publish the member form", "forms"), True),
    (translate(403, ("rateLimitExceeded",), "share the form", "drive"), True),
    (GoogleError("Google could not be reached"), True),
    (translate(403, ("insufficientPermissions",), "share the form", "drive"), False),
    (GoogleAccessError("credentials refused", 401), False),
    (GoogleNotFound("no such form", 404), False),
    (translate(400, (), "publish the member form", "forms"), False),
    (store_error("database is locked"), True),
    (store_error("no such table: reviews"), False),
    (ConnectionResetError(104, "reset"), True),
    (TimeoutError("timed out"), True),
    (ConfigError("board.yaml", [("case.review_id", "give one")]), False),
    (ScrError("Extend by 1 to 60 working days."), False),
    (ValueError("a bug"), False),
    (FileNotFoundError("templates/x"), False),
])
def test_only_transient_failures_are_retried(error, retried):
    assert is_transient(error) is retried
    assert hooks.retry_transient(None, None, Failed(data=error)) is retried


def test_a_state_without_an_error_is_not_retried():
    assert hooks.retry_transient(None, None, Completed(data=3)) is False


@pytest.mark.parametrize(("error", "temporary"), [
    (smtplib.SMTPResponseException(421, b"try again later"), True),
    (smtplib.SMTPDataError(451, b"local error"), True),
    (smtplib.SMTPConnectError(421, b"busy"), True),
    (smtplib.SMTPServerDisconnected("gone"), True),
    (ConnectionRefusedError(111, "refused"), True),
    (smtplib.SMTPDataError(554, b"rejected"), False),
    (smtplib.SMTPSenderRefused(550, b"no", "sender@example.org"), False),
    (smtplib.SMTPNotSupportedError("no AUTH"), False),
])
def test_smtp_temporary_errors_are_told_apart_from_permanent_ones(error, temporary):
    assert smtp_temporary(error) is temporary


@pytest.fixture
def board(tmp_path):
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT")}
    config = parse_config(raw)
    runtime = Runtime.from_config(config)
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    members.invite_members(backend, review.review_id)
    backend.store.save_response(review.review_id, review.members[0].email, {"B1": ItemAnswer(comment=CANARY)},
                                backend.clock.now(), late=False)
    return runtime, backend, review


def advance_run(runtime: Runtime, review_id: str | None, tags: tuple[str, ...] = ()):
    """What Prefect hands a hook: the flow run, with its parameters as the API keeps them (JSON)."""
    parameters = {"runtime": runtime.model_dump(mode="json")}
    if review_id is not None:
        parameters["review_id"] = review_id
    return SimpleNamespace(parameters=parameters, tags=list(tags), id=None)


def notices(runtime: Runtime, review_id: str):
    return [m for m in read_outbox(Path(runtime.out_dir) / review_id / "outbox") if "not moved on" in m["Subject"]]


def test_the_business_manager_is_told_once_a_streak_when_the_advance_fails_twice_running(board):
    runtime, backend, review = board
    emitted = []
    run = advance_run(runtime, review.review_id, tags=(f"review:{review.review_id}", "board:northshire"))
    locked = store_error("database is locked")

    def fail(error=locked):
        hooks.on_advance_failure(None, run, Failed(data=error), emit=lambda **event: emitted.append(event))

    fail(ReviewCancelled(review.review_id))
    assert advance_failures.failing(backend, review.review_id) == 0, "a cancelled review is not failing"
    fail()
    assert notices(runtime, review.review_id) == [] and emitted == [], "one failure is not yet a streak"
    fail()
    [notice] = notices(runtime, review.review_id)
    body = notice.get_content()
    assert notice["To"].addresses[0].addr_spec == review.business_manager.email
    assert review.review_id in notice["Subject"] and "2 failed checks running" in notice["Subject"]
    assert "What failed: StoreError" in body and "database is locked" in body and "looks temporary" in body
    assert "Please do not reply" in body and CANARY not in body
    assert emitted == [{"event": "scr.review.advance-failing",
                        "resource": {"prefect.resource.id": f"scr.review.{review.review_id}",
                                     "prefect.resource.name": review.review_id},
                        "payload": {"failures": 2, "error_type": "StoreError", "transient": True}}]
    fail(ValueError(CANARY))  # an error that is not ours: its type only, never its text
    assert len(notices(runtime, review.review_id)) == 1 and len(emitted) == 1, "told once per failing streak"
    assert advance_failures.failing(backend, review.review_id) == 3

    hooks.on_advance_success(None, run, Completed())
    assert advance_failures.failing(backend, review.review_id) == 0
    hooks.on_advance_success(None, run, Completed())
    assert len(backend.store.events(review.review_id, advance_failures.RECOVERED)) == 1, "a success writes once"
    fail(ScrError("Could not write terms-of-reference.docx: the disk is full; free some space."))
    fail(ScrError("Could not write terms-of-reference.docx: the disk is full; free some space."))
    assert len(notices(runtime, review.review_id)) == 2, "a new streak is told again"
    latest = notices(runtime, review.review_id)[-1].get_content()
    assert "What failed: ScrError" in latest and "the disk is full" in latest and "needs someone to act" in latest
    assert [e.detail for e in backend.store.events(review.review_id, advance_failures.FAILED)] == [
        "StoreError", "StoreError", "ValueError", "ScrError", "ScrError"]
    assert all(CANARY not in e.detail for e in backend.store.events(review.review_id))


def test_the_review_is_found_by_its_tag_and_a_run_naming_none_is_logged_not_raised(board, caplog):
    runtime, backend, review = board
    tagged = advance_run(runtime, None, tags=("board:northshire", f"review:{review.review_id}"))
    hooks.on_advance_failure(None, tagged, Failed(data=TimeoutError()), emit=lambda **event: None)
    assert advance_failures.failing(backend, review.review_id) == 1
    hooks.on_advance_failure(None, advance_run(runtime, None), Failed(data=TimeoutError()), emit=lambda **e: None)
    assert "Could not record the failed advance (ScrError)" in caplog.text
    assert advance_failures.failing(backend, review.review_id) == 1


def test_the_deadline_passed_event_names_the_review_and_counts_only(board):
    _, _, review = board
    emitted = []
    hooks.deadline_passed_event(review, 4, emit=lambda **event: emitted.append(event))
    assert emitted == [{"event": "scr.review.deadline-passed",
                        "resource": {"prefect.resource.id": f"scr.review.{review.review_id}",
                                     "prefect.resource.name": review.review_id},
                        "payload": {"missing": 4, "invited": 13}}]
