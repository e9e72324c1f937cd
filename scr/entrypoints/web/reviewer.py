"""A lead reviewer's page: the factor summary, with their comments, proposals and "complete" button."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from scr.domain.calendar import board_time
from scr.domain.email import EmailAddress
from scr.domain.forms import MAX_TEXT, clean_text
from scr.domain.model import Event, ReviewerComment, ReviewerInput, Role
from scr.entrypoints.web.context import LinkNotFound, WebContext
from scr.entrypoints.web.guard import REFUSED
from scr.errors import ReviewNotFound
from scr.ports import Grant

log = logging.getLogger("scr.web")

GENERAL = "general"
COMPLETE = "complete"  # the name of the "my review is complete" button, in the same form as every box
MESSAGES = {
    "saved": "Saved. Your comments and proposals are kept; you can add more until you mark your review complete.",
    "completed": "Thank you: everything you typed is saved, and your review of the factor summary is marked complete.",
}


def routes(context: WebContext) -> APIRouter:
    router = APIRouter()

    @router.get("/r/{token}", response_class=HTMLResponse)
    def show_summary(token: str, request: Request) -> HTMLResponse:
        grant = context.grant(token, Role.REVIEWER)
        message = next((text for key, text in MESSAGES.items() if key in request.query_params), "")
        return _page(context, grant, token, message=message)

    @router.post("/r/{token}", response_model=None)
    async def save(token: str, request: Request) -> HTMLResponse | RedirectResponse:
        posted = await request.form()
        return _submit(context, token, request, posted, complete=posted.get(COMPLETE) == "1")

    @router.post("/r/{token}/complete", response_model=None)
    async def complete(token: str, request: Request) -> HTMLResponse | RedirectResponse:
        return _submit(context, token, request, await request.form(), complete=True)

    return router


def _submit(
    context: WebContext, token: str, request: Request, posted, *, complete: bool
) -> HTMLResponse | RedirectResponse:
    """Save whatever is typed on the page, then (when asked) mark the review complete: never one without the
    other, so a reviewer who types and presses "complete" loses nothing."""
    grant = context.grant(token, Role.REVIEWER)
    typed = _typed(context, posted)
    if not context.guard.accepts(request, token, posted):  # nothing saved; what was typed is shown again
        return _page(context, grant, token, typed=typed, refused=REFUSED, status_code=403)
    errors = {
        name: f"{_field_title(context, name)}: please shorten this to {MAX_TEXT} characters (now {len(text)})."
        for name, text in typed.items()
        if len(text) > MAX_TEXT
    }
    if errors:
        return _page(context, grant, token, typed=typed, errors=errors, status_code=422)
    now = context.clock.now()
    saved = _save_typed(context, grant, typed, now)
    if saved.comments or saved.proposals or not complete:
        detail = f"{saved.comments} comment(s), {saved.proposals} proposal(s) changed"
        context.store.record_event(grant.review_id, Event("reviewer_input_saved", now, grant.email, detail))
        log.info("review %s: a lead reviewer saved input (%s)", grant.review_id, detail)
    if not complete:
        return RedirectResponse(f"/r/{token}?saved=1", status_code=303)
    context.store.mark_reviewer_complete(grant.review_id, grant.email, now)
    context.store.record_event(grant.review_id, Event("reviewer_complete", now, grant.email))
    log.info("review %s: a lead reviewer marked their review complete", grant.review_id)
    return RedirectResponse(f"/r/{token}?completed=1", status_code=303)


class _Saved(NamedTuple):
    comments: int
    proposals: int


def _save_typed(context: WebContext, grant: Grant, typed: dict[str, str], now) -> _Saved:
    """Store each comment typed and each proposal changed; how many of each."""
    comments = [(name.partition(".")[2], text) for name, text in typed.items() if name.startswith("comment.")]
    for section_id, text in comments:
        if text:
            context.store.add_reviewer_comment(grant.review_id, ReviewerComment(grant.email, section_id, text, now))
    current = _mine(context, grant).proposals
    changed = 0
    for proposal in context.reviewer_form.proposals:
        text = typed.get(f"proposal.{proposal.id}")
        if text is not None and text != current.get(proposal.id, ""):
            context.store.set_proposal(grant.review_id, grant.email, proposal.id, text, now)
            changed += 1
    return _Saved(sum(1 for _, t in comments if t), changed)



def _page(
    context: WebContext,
    grant: Grant,
    token: str,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    refused: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    try:
        review = context.store.get_review(grant.review_id)
        schedule = context.store.schedule(grant.review_id)
    except ReviewNotFound:
        raise LinkNotFound from None
    mine = _mine(context, grant)
    earlier: dict[str, list[ReviewerComment]] = defaultdict(list)
    for comment in mine.comments:
        earlier[comment.section_id].append(comment)
    typed = typed or {}
    errors = errors or {}
    proposals = [
        (p, typed.get(f"proposal.{p.id}", mine.proposals.get(p.id, ""))) for p in context.reviewer_form.proposals
    ]
    return context.page(
        "reviewer.html.j2", status_code, review=review, form=context.reviewer_form, member_form=context.member_form,
        summary=context.summary_for(grant.review_id), token=token, earlier=earlier, typed=typed, errors=errors,
        error_summary=[(name.replace(".", "-"), text) for name, text in errors.items()], proposals=proposals,
        completed_at=board_time(mine.completed_at), message=message, refused=refused,
        csrf=context.guard.field_for(token),
        deadline=board_time(schedule.reviewer_deadline),
    )  # fmt: skip


def _typed(context: WebContext, posted) -> dict[str, str]:
    """The posted textareas this page knows, cleaned; unknown field names are ignored. A field sent more
    than once keeps every distinct text, joined by a blank line, never only one of them."""
    comment_ids = {item.id for item in context.member_form.items} | {GENERAL}
    proposal_ids = {p.id for p in context.reviewer_form.proposals}
    typed = {}
    for name in posted.keys():
        kind, _, key = name.partition(".")
        values = [clean_text(v) for v in posted.getlist(name) if isinstance(v, str)]
        known = (kind == "comment" and key in comment_ids) or (kind == "proposal" and key in proposal_ids)
        if known and values:
            typed[name] = "\n\n".join(dict.fromkeys(v for v in values if v))
    return typed


def _field_title(context: WebContext, name: str) -> str:
    kind, _, key = name.partition(".")
    if kind == "proposal":
        return next(p.label for p in context.reviewer_form.proposals if p.id == key)
    return "Your general comment" if key == GENERAL else f"Your comment on {key}"


def _mine(context: WebContext, grant: Grant) -> ReviewerInput:
    try:
        inputs = context.store.reviewer_inputs(grant.review_id)
    except ReviewNotFound:
        raise LinkNotFound from None
    email = EmailAddress(grant.email)
    found = next((i for i in inputs if i.reviewer.address == email), None)
    if found is None:  # a link for someone no longer among the review's lead reviewers
        raise LinkNotFound
    return found
