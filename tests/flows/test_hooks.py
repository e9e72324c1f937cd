"""The hooks in flows/hooks.py as Prefect runs them: a task retried only for a transient failure, and a review's
failing advance told to the business manager once, with an event in Prefect for an Automation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.hooks import ADVANCE_FAILING, on_advance_failure, on_advance_success, retry_transient
from scr.backends.local.outbox import read_outbox
from scr.errors import ScrError, TransientError
from scr.services import advance_failures
from scr.settings import Runtime
from tests.flows.processes import wait_for


def test_a_task_is_retried_for_a_transient_failure_and_never_for_bad_input(prefect_harness):
    from prefect import flow, task

    attempts: list[str] = []

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=retry_transient)
    def send_invitations(kind: str) -> str:
        attempts.append(kind)
        if kind == "transient" and len(attempts) < 2:
            raise TransientError("The mail relay answered 451: try again later.")
        if kind == "permanent":
            raise ScrError("The mail relay refused the recipient.")
        return "sent"

    @flow
    def invite(kind: str) -> str:
        return send_invitations(kind)

    assert invite("transient") == "sent" and attempts == ["transient", "transient"]
    attempts.clear()
    with pytest.raises(ScrError, match="refused the recipient"):
        invite("permanent")
    assert attempts == ["permanent"], "a permanent failure is not retried"


def test_a_review_whose_advance_fails_twice_running_is_told_once_and_shows_in_prefect(prefect_harness,
                                                                                     local_review):
    from prefect import flow, tags
    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter

    runtime, backend, review = local_review

    @flow(name="advance-one-review", on_failure=[on_advance_failure], on_completion=[on_advance_success])
    def advance_one_review(review_id: str, runtime: Runtime, fail: bool) -> str:
        if fail:
            raise ScrError(f"Could not write the factor summary for review {review_id}: the disk is full.")
        return "advanced"

    with tags(f"review:{review.review_id}", "board:northshire"):
        for _ in range(3):
            with pytest.raises(ScrError, match="the disk is full"):
                advance_one_review(review.review_id, runtime, True)
        assert advance_failures.failing(backend, review.review_id) == 3
        outbox = read_outbox(Path(runtime.out_dir) / review.review_id / "outbox")
        [told] = [m for m in outbox if "has not moved on" in m["Subject"]]
        assert "What failed: ScrError" in told.get_content() and "the disk is full" in told.get_content()
        assert advance_one_review(review.review_id, runtime, False) == "advanced"
    assert advance_failures.failing(backend, review.review_id) == 0

    wanted = EventFilter(event=EventNameFilter(name=[ADVANCE_FAILING]),
                         resource=EventResourceFilter(id=[f"scr.review.{review.review_id}"]))
    with get_client(sync_client=True) as client:
        [event] = wait_for(lambda: client.read_events(filter=wanted, limit=50).events or None,
                           "the advance-failing event to reach Prefect", seconds=120)
    assert event.payload == {"failures": 2, "error_type": "ScrError", "transient": False}


def test_the_advance_review_flow_carries_the_hooks_a_failing_step_tells_once_and_a_close_emits_its_event(
        prefect_harness, local_review, monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventOccurredFilter, EventResourceFilter

    from flows.advance_review import run_review
    from flows.hooks import DEADLINE_PASSED
    from scr.domain.model import Stage
    from scr.services import drafting, steering

    runtime, backend, review = local_review
    started = dt.datetime.now(dt.UTC)
    assert run_review(review.review_id, runtime) == "collecting member input"
    steering.close_member_input_early(backend, review.review_id, review.business_manager.email)
    written = drafting.write_factor_summary

    def disk_full(*args, **kwargs):
        raise ScrError("Could not write the factor summary: the disk is full.")

    monkeypatch.setattr(drafting, "write_factor_summary", disk_full)
    for _ in range(2):
        assert run_review(review.review_id, runtime, return_state=True).is_failed()
    outbox = read_outbox(Path(runtime.out_dir) / review.review_id / "outbox")
    [told] = [m for m in outbox if "has not moved on" in m["Subject"]]
    assert "the disk is full" in told.get_content()
    monkeypatch.setattr(drafting, "write_factor_summary", written)
    assert run_review(review.review_id, runtime) == str(Stage.WITH_REVIEWERS)
    assert advance_failures.failing(backend, review.review_id) == 0

    wanted = EventFilter(event=EventNameFilter(name=[DEADLINE_PASSED]), occurred=EventOccurredFilter(since=started),
                         resource=EventResourceFilter(id=[f"scr.review.{review.review_id}"]))
    with get_client(sync_client=True) as client:  # (other tests in this Prefect harness use the same review id)
        events = wait_for(lambda: client.read_events(filter=wanted, limit=50).events or None,
                          "the deadline-passed event to reach Prefect", seconds=120)
    assert {e.payload["missing"] for e in events} == {len(review.members)}
