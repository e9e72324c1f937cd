"""The advance-review flow: one review's due steps, each a Prefect task named for the business step.

This is the commissioning process (quality marker 6), written once in ``scr.domain.steps`` and
``scr.services.advancing``:

    invite members -> check their answers (reminding) -> close member input -> write the factor summary ->
    circulate it to the lead reviewers -> check their review -> draft the terms of reference (0.1) ->
    ask for the decision -> agree the terms of reference (1.0) -> finish

A run does what is due now and ends; a review waiting for people has nothing due, and nothing waits with it.
Runs come from the scheduled advance-reviews flow (a run for each review with something due), from
`scr start` (at once, then on a timer in the foreground) and from the demo. Each run is named for where the
review stands ("SCR-2026-014 · collecting member input · 9 of 13 answered") and tagged with its review and
board, so the business manager finds a review's runs in the Prefect UI by its id.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
from collections.abc import Iterator
from typing import Any

from prefect import flow, get_run_logger, tags, task
from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext, TagsContext
from prefect.states import Cancelled, State

from flows.hooks import deadline_passed_event, on_advance_failure, on_advance_success, retry_transient
from flows.progress import MemberProgressBoard, publish_documents, publish_reviewer_progress
from scr.bootstrap import backend_for
from scr.domain.model import Stage
from scr.domain.steps import OPEN, Step
from scr.errors import ReviewCancelled
from scr.services import advancing
from scr.services.members import member_progress
from scr.services.overview import standing
from scr.settings import Runtime

RETRY_DELAYS = (10.0, 60.0)  # seconds on the review's clock: where days pass in seconds (the demo), sooner


@task(task_run_name="{step} · {review_id}", retries=len(RETRY_DELAYS), retry_delay_seconds=list(RETRY_DELAYS),
      retry_condition_fn=retry_transient)
def run_step(review_id: str, runtime: Runtime, step: Step) -> Any:
    """One business step of one review (the task run carries the step's name). A transient failure (no answer
    from Google or the mail server, a locked store) is tried again twice; anything else fails the run at once."""
    backend = backend_for(runtime)
    reporting = advancing.Reporting(on_members=MemberProgressBoard(review_id),
                                    on_reviewers=lambda p: publish_reviewer_progress(review_id, p))
    result = advancing.do_step(backend, review_id, step, reporting)
    get_run_logger().info("%s: %s done", review_id, step)  # counts and stages only, never answer text
    if step is Step.CLOSE:
        _tell_of_missing_members(backend, review_id)
    return result if isinstance(result, int | list) else None


@functools.cache
def step_tasks(clock_speed: float) -> dict[Step, Any]:
    """A task per business step, named for it, retrying after RETRY_DELAYS as the review's clock counts them."""
    delays = [delay / clock_speed for delay in RETRY_DELAYS]
    return {step: run_step.with_options(name=step.value, retry_delay_seconds=delays) for step in Step}


@flow(name="advance-review", log_prints=False, on_failure=[on_advance_failure], on_completion=[on_advance_success])
def advance_review(review_id: str, runtime: Runtime) -> str | State:
    """Do what is due now for one review; returns the stage it rests at (a cancelled review ends Cancelled)."""
    logger = get_run_logger()
    backend = backend_for(runtime)
    before = backend.store.stage(review_id)
    tasks = step_tasks(runtime.clock_speed)
    # The run carries the review's tags (run_review); its step tasks carry none. A task with tags takes a slot of
    # each tag's concurrency limit as it starts, which took a second or two now and then (bench_pipeline); the
    # tasks are named for the review anyway.
    with TagsContext(current_tags=set()):
        stage = advancing.advance(backend, review_id, run_step=lambda step: tasks[step](review_id, runtime, step))
    if stage is Stage.COMPLETE and before is not Stage.COMPLETE:
        publish_documents(review_id, advancing.documents_by_label(backend, review_id))
    brief = standing(backend, review_id).brief()
    _rename_this_run(brief)
    logger.info("%s rests at: %s", review_id, brief.partition(" · ")[2])
    if stage is Stage.CANCELLED:
        return Cancelled(message=str(ReviewCancelled(review_id)))
    return stage.value


def run_review(review_id: str, runtime: Runtime, return_state: bool = False) -> str | State:
    """One advance-review run for the review, named for where it stands and tagged with its review and board."""
    backend = backend_for(runtime)
    review = backend.store.get_review(review_id)
    with tags(*review_tags(review.review_id, review.board_name)):
        named = advance_review.with_options(flow_run_name=standing(backend, review_id).brief())
        return named(review_id, runtime, return_state=return_state)


def _tell_of_missing_members(backend, review_id: str) -> None:
    """Member input closed with members missing: a Prefect event a board can hang an Automation on (the business
    manager is also emailed who is missing, by scr.services.waiting)."""
    progress = member_progress(backend, review_id)
    if progress.missing:
        deadline_passed_event(backend.store.get_review(review_id), len(progress.missing))


def review_tags(review_id: str, board_name: str) -> list[str]:
    """'review:SCR-2026-014' and 'board:northshire-safeguarding-children-partnership': filters in the UI."""
    board = re.sub(r"[^a-z0-9]+", "-", board_name.lower()).strip("-")
    return [f"review:{review_id}", f"board:{board}"]


def follow(review_id: str, runtime: Runtime, poll_seconds: float, give_up_after: int = 3) -> Stage:
    """The foreground timer (`scr start`, the demo): advance the review whenever a step is due, until it is
    complete or cancelled. Between runs nothing is running; a run that fails is tried again at the next tick,
    and after ``give_up_after`` failures in a row the last failure is raised. Ctrl-C stops it at once."""
    backend = backend_for(runtime)
    failures = 0
    with _interruptible() as interrupted:
        while not interrupted.is_set():
            if advancing.is_due(backend, review_id):
                state = run_review(review_id, runtime, return_state=True)
                if state.is_failed():
                    failures += 1
                    if failures >= give_up_after:
                        state.result()  # raises the run's error
                else:
                    failures = 0
            stage = backend.store.stage(review_id)
            if stage not in OPEN or backend.store.schedule(review_id).cancelled:
                return Stage.CANCELLED if stage in OPEN else stage
            interrupted.wait(poll_seconds)
    raise KeyboardInterrupt


@contextlib.contextmanager
def _interruptible() -> Iterator[threading.Event]:
    """An event set by Ctrl-C (SIGINT) as well as the usual KeyboardInterrupt: a foreground `scr start` stops even
    when the interrupt lands where something on the way (a library's clean-up) swallows the KeyboardInterrupt."""
    interrupted = threading.Event()
    previous = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None
    if not callable(previous):  # not the main thread, or SIGINT ignored (started in the background): leave it be
        yield interrupted
        return

    def on_interrupt(signum, frame) -> None:
        interrupted.set()
        previous(signum, frame)

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def _rename_this_run(name: str) -> None:
    """The run's name says where the review rests when it ends (it was named for where it stood at the start)."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or context.flow_run.name == name:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(context.flow_run.id, name=name)
