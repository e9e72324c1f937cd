"""`scr status`: where a review stands, in names, agencies, counts and dates; never answer text."""

from __future__ import annotations

from scr.bootstrap import backend_for
from scr.rendering.environment import when
from scr.services.advancing import documents as written_documents
from scr.services.members import member_progress
from scr.services.reviewers import reviewer_progress
from scr.services.steering import early_close
from scr.settings import Runtime

NOTED = ("form_problem", "comment_not_counted")  # events whose details name ids and counts, never answer text


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
