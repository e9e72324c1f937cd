"""When a review's advance keeps failing: counted in the store's events, told to the business manager once.

A failed advance records an ``advance_failed`` event (the error's type only, never its text). The failing
streak is the failures since the last ``advance_recovered`` event; a success that ends a streak records one
(and only then: a healthy review writes nothing). When ``FAILING_AFTER`` advances have failed running, the
business manager gets the ``advance-failing`` email, once a streak, recorded as ``advance_failing_told``; an
email that cannot be sent is tried again at the next failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from scr.domain.model import Event
from scr.errors import ScrError, is_transient
from scr.services import messages
from scr.services.backend import Backend

FAILED, RECOVERED, TOLD = "advance_failed", "advance_recovered", "advance_failing_told"
FAILING_AFTER = 2  # failed advances running before the business manager is told


@dataclass(frozen=True)
class Streak:
    """A review's failed advances running, after one more failure was recorded."""

    failures: int
    first_told: bool  # this failure is the one the business manager was told about


def record_failure(backend: Backend, review_id: str, error: BaseException) -> Streak:
    """Count one failed advance; at ``FAILING_AFTER`` running, tell the business manager (once a streak)."""
    store, now = backend.store, backend.clock.now()
    store.record_event(review_id, Event(FAILED, now, None, type(error).__name__))
    streak = _streak(backend, review_id)
    failures = [e for e in streak if e.kind == FAILED]
    if len(failures) < FAILING_AFTER or any(e.kind == TOLD for e in streak):
        return Streak(len(failures), first_told=False)
    review = store.get_review(review_id)
    manager = review.business_manager
    messages.send(backend, review, "advance-failing", manager.name, manager.email,
                  key=f"advance-failing-{failures[0].at.isoformat()}", manager=manager, failures=len(failures),
                  since=failures[0].at, error_type=type(error).__name__, error_message=plain_message(error),
                  transient=is_transient(error))
    store.record_event(review_id, Event(TOLD, now, manager.email, f"after {len(failures)} failed advances running"))
    return Streak(len(failures), first_told=True)


def record_success(backend: Backend, review_id: str) -> bool:
    """An advance succeeded: end the failing streak if one is running (True when it did)."""
    streak = _streak(backend, review_id)
    failures = sum(e.kind == FAILED for e in streak)
    if not failures:
        return False
    backend.store.record_event(review_id, Event(RECOVERED, backend.clock.now(), None,
                                                f"advanced again after {failures} failed advance(s)"))
    return True


def failing(backend: Backend, review_id: str) -> int:
    """Failed advances running for the review (0 when its last advance succeeded)."""
    return sum(e.kind == FAILED for e in _streak(backend, review_id))


def plain_message(error: BaseException) -> str:
    """Our own message for one of the product's errors (they never carry answer text); nothing for any other."""
    return str(error) if isinstance(error, ScrError) else ""


def _streak(backend: Backend, review_id: str) -> list[Event]:
    store = backend.store
    if not store.events(review_id, FAILED):  # the usual case, read cheaply: never failed
        return []
    events = [e for e in store.events(review_id) if e.kind in (FAILED, RECOVERED, TOLD)]
    last = max((i for i, e in enumerate(events) if e.kind == RECOVERED), default=-1)
    return events[last + 1:]
