"""`scr status`: where a review stands, in names, agencies, counts and dates; never answer text."""

from __future__ import annotations

import datetime as dt
import threading

from scr.bootstrap import backend_for
from scr.rendering.environment import when
from scr.services.advancing import documents as written_documents
from scr.services.backend import Backend
from scr.services.members import member_progress
from scr.services.overview import standing, standings
from scr.services.reviewers import reviewer_progress
from scr.services.steering import early_close
from scr.settings import Runtime

#: events whose details name ids, counts and people, never answer text
NOTED = ("form_problem", "comment_not_counted", "no_google_account")


def describe(runtime: Runtime, review_id: str) -> str:
    backend = backend_for(runtime)
    store = backend.store
    review = store.get_review(review_id)
    schedule = store.schedule(review_id)
    lines = [f"{review.review_id} ({review.child_pseudonym}), {review.board_name}",
             f"Stage: {store.stage(review_id)}"]
    if schedule.response_deadline is not None:
        progress = member_progress(backend, review_id)
        early = early_close(backend, review_id)
        ended = (f"closed early by {early.by} on {when(early.at)} (the deadline was {when(progress.deadline)})"
                 if early else f"deadline {when(progress.deadline)}")
        lines.append(f"Members: {progress.answered} of {progress.invited} answered; {ended}")
        for m in progress.members:
            lines.append(f"  {m.status:<14} {m.name} ({m.agency})")
    held = store.held_responses(review_id)
    if held:
        listed = ", ".join(f"{email} ({when(at)})" for email, at in held)
        lines.append(f"Answers held apart (not from members): {listed}")
    noted = sorted((e for kind in NOTED for e in store.events(review_id, kind)), key=lambda e: e.at)
    if noted:  # what the product kept apart or could not use, so the business manager can follow it up
        lines.append("Noted while reading answers and comments (kept in the store; nothing was lost):")
        lines += [f"  {when(e.at)}: {e.detail}" for e in noted]
    if schedule.reviewer_deadline is not None:
        reviewers = reviewer_progress(backend, review_id)
        lines.append(f"Lead reviewers (deadline {when(reviewers.deadline)}):")
        for r in reviewers.reviewers:
            done = f"complete {when(r.completed_at)}" if r.completed_at else "not yet complete"
            lines.append(f"  {r.name}: {r.comments} comment(s), {r.proposals} proposal(s), {done}")
    documents = written_documents(backend, review_id)
    if documents:  # as each backend wrote them: files here, or Google Docs
        lines.append("Documents:")
        lines += [f"  {ref}" for ref in documents]
    return "\n".join(lines)


def overview(runtime: Runtime) -> str:
    """`scr status --all`: one line for every review in the store, then its deadline and next step."""
    backend = backend_for(runtime)
    states = backend.store.review_states()
    if not states:
        return "No reviews in the store yet. Start one with `scr start CONFIG`."
    lines = [f"{len(states)} review(s) in the store:"]
    for s in standings(backend, states):  # read at once, however many there are
        lines.append(f"{s.brief()} ({s.pseudonym})")
        if s.next_deadline is not None:
            lines.append(f"    deadline {when(s.next_deadline)}"
                         + (f"; next reminder {when(s.next_reminder)}" if s.next_reminder else ""))
        if s.overdue:
            lines.append(f"    OVERDUE: {s.overdue}")
        lines.append(f"    next: {s.next_step}")
    return "\n".join(lines)


class ProgressLines:
    """For a foreground `scr start`: print one line whenever the review moves on; never answer text."""

    def __init__(self, backend: Backend, review_id: str, every: float = 2.0, say=print):
        self.backend, self.review_id, self.every, self.say = backend, review_id, every, say
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scr-progress", daemon=True)
        self._last = ""

    def __enter__(self) -> ProgressLines:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._report()  # the last word, once the flow has finished

    def _run(self) -> None:
        self._report()
        while not self._stop.wait(self.every):
            self._report()

    def _report(self) -> None:
        try:
            line = standing(self.backend, self.review_id).brief()
        except Exception:  # noqa: BLE001 - a progress line must never stop the review; the next try may work
            return
        if line != self._last:
            self._last = line
            self.say(f"{when(dt.datetime.now(dt.UTC))}  {line}", flush=True)
