"""Advance a review without waiting: do whatever is due now, then return.

This is how a review waits for days without holding a process: ``advance`` is run again and again (by
``scr advance``, a cron job or a Prefect schedule), and each run reads where the review stands from the
store, does what is due, and stops. Every side effect is recorded before the next one, so a run that is
killed part-way is finished by the next: each invitation, reminder and "summary ready" message goes out
once, and the documents are rewritten whole. (Through Gmail or SMTP, an email accepted by the server in
the instant before its run is killed, not yet recorded, goes out again, with the same Message-ID.)
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable

from scr.domain.model import Stage
from scr.errors import ReviewCancelled
from scr.services import deciding, drafting, reviewers, waiting
from scr.services.backend import Backend
from scr.services.members import invite_members

OPEN = (Stage.STARTED, Stage.COLLECTING, Stage.CONSOLIDATED, Stage.WITH_REVIEWERS, Stage.DRAFTED, Stage.AGREED)


LEASE = dt.timedelta(minutes=15)  # longer than any one advance; a killed run's lease runs out


def advance(
    backend: Backend,
    review_id: str,
    on_members: Callable | None = None,
    on_reviewers: Callable | None = None,
) -> Stage:
    """Take the review as far as it can go now; returns the stage it rests at.

    One run advances a review at a time: a run that finds another holding the review's lease leaves it.
    """
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC)  # real time: leases are about processes, not the review's calendar
    if not backend.store.claim(review_id, holder, until=now + LEASE, now=now, holder_gone=holder_gone):
        return backend.store.stage(review_id)
    try:
        return _advance(backend, review_id, on_members, on_reviewers)
    finally:
        backend.store.release(review_id, holder)


def holder_gone(holder: str) -> bool:
    """A lease left by a process on this machine that no longer exists (killed, say) can be taken over."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's run (or not one of ours): wait for its lease to expire
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def _advance(backend: Backend, review_id: str, on_members: Callable | None, on_reviewers: Callable | None) -> Stage:
    store = backend.store
    if store.schedule(review_id).cancelled:
        return Stage.CANCELLED
    try:
        if store.stage(review_id) in (Stage.STARTED, Stage.COLLECTING):
            invite_members(backend, review_id)
            progress = waiting.check_members(backend, review_id)
            waiting.tracking(backend, review_id, on_members)(progress)
            if not waiting.members_done(backend, review_id, progress):
                return Stage.COLLECTING
            waiting.close_member_input(backend, review_id)
            drafting.write_factor_summary(backend, review_id)
        if store.stage(review_id) is Stage.CONSOLIDATED:
            reviewers.circulate_summary(backend, review_id)
        if store.stage(review_id) is Stage.WITH_REVIEWERS:
            progress = waiting.check_reviewers(backend, review_id)
            if on_reviewers is not None:
                on_reviewers(progress)
            if not waiting.reviewers_done(backend, review_id, progress):
                return Stage.WITH_REVIEWERS
            drafting.draft_terms_of_reference(backend, review_id)
        if store.stage(review_id) is Stage.DRAFTED:
            deciding.ask_the_board(backend, review_id)
            if not deciding.board_decided(backend, review_id):
                return Stage.DRAFTED
            drafting.agree_terms_of_reference(backend, review_id)
        if store.stage(review_id) is Stage.AGREED:
            drafting.finish_review(backend, review_id, documents(backend, review_id))
    except ReviewCancelled:
        return Stage.CANCELLED
    return store.stage(review_id)


def documents(backend: Backend, review_id: str) -> list[str]:
    """Where the review's documents are, as their backend wrote them."""
    names = (drafting.SUMMARY, drafting.TOR_DRAFT, drafting.TOR, drafting.EVIDENCE)
    return [ref for name in names for ref in backend.store.value(review_id, f"document:{name}") or []]


def open_reviews(backend: Backend) -> list[str]:
    """Reviews not yet complete or cancelled, oldest first (one read, however many there are)."""
    return [state.review_id for state in backend.store.review_states(OPEN)]
