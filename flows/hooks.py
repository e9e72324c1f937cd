"""Prefect hooks for the per-review advance flow: retry what is transient, tell the business manager when a
review's advance keeps failing, and emit events a board can hang an Automation on.

- ``retry_transient`` is a task's ``retry_condition_fn``: it retries only what ``scr.errors.is_transient``
  calls transient (no answer, Google 429/5xx after our gateway gave up, an SMTP 4xx, a locked store).
- ``on_advance_failure`` / ``on_advance_success`` are the flow's ``on_failure`` / ``on_completion`` hooks.
  They take the review from the run's ``review_id`` parameter (else its ``review:<ID>`` tag) and the backend
  from its ``runtime`` parameter, and count the streak in the store (``scr.services.advance_failures``).
- ``deadline_passed_event`` emits "scr.review.deadline-passed".

Events carry the review id, counts and an error's type: never a name, an email address or answer text.
Hooks never raise: a hook that cannot do its work logs why (the error's type) and the run's state stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from prefect.events import emit_event
from prefect.logging.loggers import flow_run_logger

from scr.bootstrap import backend_for
from scr.errors import ReviewCancelled, ScrError, is_transient
from scr.services import advance_failures
from scr.settings import Runtime

ADVANCE_FAILING = "scr.review.advance-failing"
DEADLINE_PASSED = "scr.review.deadline-passed"
REVIEW_TAG = "review:"

Emit = Callable[..., Any]


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """A ``retry_condition_fn``: retry the task only when it failed for a reason that may pass."""
    error = failure_of(state)
    return error is not None and is_transient(error)


def on_advance_failure(flow: Any, flow_run: Any, state: Any, *, emit: Emit = emit_event,
                       backend_from: Callable[[Runtime], Any] = backend_for) -> None:
    """A failed advance of one review: count it; at two running, tell the business manager once and emit
    "scr.review.advance-failing"."""
    log = _logger(flow, flow_run)
    error = failure_of(state) or ScrError("the run failed without an error")
    if isinstance(error, ReviewCancelled):  # the business manager stopped it: nothing is failing
        return
    try:
        review_id, backend = review_of(flow_run, backend_from)
        streak = advance_failures.record_failure(backend, review_id, error)
    except Exception as exc:  # a hook never raises; the run's own failure is what the UI shows
        log.error("Could not record the failed advance (%s).", type(exc).__name__)
        return
    log.warning("Review %s: %d failed advance(s) running (%s).", review_id, streak.failures, type(error).__name__)
    if streak.first_told:
        emit(event=ADVANCE_FAILING, resource=review_resource(review_id),
             payload={"failures": streak.failures, "error_type": type(error).__name__,
                      "transient": is_transient(error)})
        log.warning("Review %s: the business manager is told its advance keeps failing.", review_id)


def on_advance_success(flow: Any, flow_run: Any, state: Any, *,
                       backend_from: Callable[[Runtime], Any] = backend_for) -> None:
    """A completed advance: end the review's failing streak, if one was running."""
    log = _logger(flow, flow_run)
    try:
        review_id, backend = review_of(flow_run, backend_from)
        if advance_failures.record_success(backend, review_id):
            log.info("Review %s advanced again after failing.", review_id)
    except Exception as exc:  # a hook never raises
        log.error("Could not record the successful advance (%s).", type(exc).__name__)


def deadline_passed_event(review: Any, missing_count: int, *, emit: Emit = emit_event) -> Any:
    """Emit "scr.review.deadline-passed" for ``review`` (a Review): counts only, so an Automation can act."""
    return emit(event=DEADLINE_PASSED, resource=review_resource(review.review_id),
                payload={"missing": missing_count, "invited": len(review.members)})


def review_resource(review_id: str) -> dict[str, str]:
    return {"prefect.resource.id": f"scr.review.{review_id}", "prefect.resource.name": review_id}


def review_of(flow_run: Any, backend_from: Callable[[Runtime], Any] = backend_for) -> tuple[str, Any]:
    """The review and its backend, from the run's ``review_id`` (else its review tag) and ``runtime``."""
    parameters = getattr(flow_run, "parameters", None) or {}
    review_id = parameters.get("review_id") or next(
        (tag.removeprefix(REVIEW_TAG) for tag in getattr(flow_run, "tags", None) or [] if tag.startswith(REVIEW_TAG)),
        None)
    if not review_id:
        raise ScrError("The flow run names no review: give it a review_id parameter or a review:<ID> tag.")
    if "runtime" not in parameters:
        raise ScrError(f"The flow run for review {review_id} has no runtime parameter.")
    return review_id, backend_from(Runtime.model_validate(parameters["runtime"]))


def failure_of(state: Any) -> BaseException | None:
    """The exception a Failed state holds, if any."""
    data = getattr(state, "data", None)
    if isinstance(data, BaseException):
        return data
    try:
        state.result()
    except Exception as exc:
        return exc
    return None


def _logger(flow: Any, flow_run: Any) -> logging.LoggerAdapter | logging.Logger:
    try:
        return flow_run_logger(flow_run, flow)
    except Exception:  # outside a run (a test calling the hook directly)
        return logging.getLogger("scr.hooks")
