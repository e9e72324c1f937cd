"""A board member's form: ``GET /f/{token}`` shows it (prefilled), ``POST /f/{token}`` saves a version.

A post without the form's hidden ``csrf`` field (or from another site) saves nothing and gets the form
back, status 403, with everything typed still in it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from scr.domain.calendar import board_time
from scr.domain.email import same_address
from scr.domain.forms import Item, Option, parse_submission
from scr.domain.model import ItemAnswer, Response, Role
from scr.entrypoints.web.context import LinkNotFound, WebContext
from scr.entrypoints.web.guard import REFUSED
from scr.errors import ReviewNotFound
from scr.intake import Arrival, Route, receive_answer

log = logging.getLogger("scr.web")

_FIRST_CONTROL = {"rating": "-rating-0", "choice": "-choice-0", "other": "-other", "comment": "-comment"}


@dataclass(frozen=True)
class ItemView:
    """One item as the form shows it: its options, what the member gave, and problems by field part."""

    item: Item
    options: list[Option]
    answer: ItemAnswer
    errors: dict[str, str] = field(default_factory=dict)

    def error(self, part: str) -> str:
        return self.errors.get(part, "")

    @property
    def chosen(self) -> set[str]:
        return {self.answer.choice} if self.answer.choice else set(self.answer.choices)


def routes(context: WebContext) -> APIRouter:
    router = APIRouter()

    @router.get("/f/{token}", response_class=HTMLResponse)
    def show_form(token: str) -> HTMLResponse:
        grant = context.grant(token, Role.MEMBER)
        latest = _latest(context, grant.review_id, grant.email)
        return _form_page(context, token, grant.review_id, latest.answers if latest else {}, {}, latest)

    @router.post("/f/{token}", response_class=HTMLResponse)
    async def submit_form(token: str, request: Request) -> HTMLResponse:
        grant = context.grant(token, Role.MEMBER)
        review = _review(context, grant.review_id)
        posted = await request.form()
        fields = {name: [v for v in posted.getlist(name) if isinstance(v, str)] for name in posted.keys()}
        submission = parse_submission(context.member_form, fields, review.agencies)
        if not context.guard.accepts(request, token, posted):  # nothing saved; what was typed is shown again
            return _form_page(context, token, grant.review_id, submission.answers, {}, None, 403, refused=True)
        if not submission.ok:
            latest = _latest(context, grant.review_id, grant.email)
            return _form_page(context, token, grant.review_id, submission.answers, submission.errors, latest, 422)
        schedule = _schedule(context, grant.review_id)
        now = context.clock.now()
        outcome = receive_answer(context.store, review, schedule,
                                 Arrival(grant.email, submission.answers, now, Route.WEB_FORM))
        if not outcome.kept:  # a link whose holder is no longer a member: what was typed is shown again
            log.warning("review %s: a member's response was not kept (%s)", grant.review_id, outcome.received.value)
            problem = {"answers": f"Your answers were not added to this review ({outcome.received.value}"
                                  f"{': ' + outcome.reason if outcome.reason else ''}); "
                                  "please contact the business manager."}
            return _form_page(context, token, grant.review_id, submission.answers, problem, None, 409)
        log.info("review %s: a member's response was saved (version %s%s)", grant.review_id, outcome.version,
                 ", after the deadline" if outcome.late else "")
        return context.page(
            "member_done.html.j2", review=review, version=outcome.version, late=outcome.late,
            submitted_at=board_time(now), deadline=board_time(schedule.response_deadline), token=token,
        )  # fmt: skip

    return router


def _form_page(
    context: WebContext,
    token: str,
    review_id: str,
    answers: dict[str, ItemAnswer],
    errors: dict[str, str],
    latest: Response | None,
    status_code: int = 200,
    refused: bool = False,
) -> HTMLResponse:
    review = _review(context, review_id)
    form = context.member_form
    sections = [
        (section, [_item_view(context, item, review.agencies, answers, errors) for item in section.items])
        for section in form.sections
    ]
    summary = [(_anchor(name), message) for name, message in errors.items()]
    return context.page(
        "member_form.html.j2", status_code, review=review, form=form, sections=sections,
        error_summary=summary, latest=latest, answered_at=board_time(latest.submitted_at) if latest else None,
        deadline=board_time(context.response_deadline(review_id)), csrf=context.guard.field_for(token),
        refused=REFUSED if refused else "",
    )  # fmt: skip


def _item_view(context: WebContext, item: Item, agencies, answers, errors) -> ItemView:
    prefix = f"{item.id}."
    return ItemView(
        item=item,
        options=context.member_form.options_for(item, agencies),
        answer=answers.get(item.id, ItemAnswer()),
        errors={name[len(prefix) :]: message for name, message in errors.items() if name.startswith(prefix)},
    )


def _anchor(field_name: str) -> str:
    item_id, _, part = field_name.partition(".")
    return item_id + _FIRST_CONTROL.get(part, "")


def _review(context: WebContext, review_id: str):
    try:
        return context.store.get_review(review_id)
    except ReviewNotFound:
        raise LinkNotFound from None


def _schedule(context: WebContext, review_id: str):
    try:
        return context.store.schedule(review_id)
    except ReviewNotFound:
        raise LinkNotFound from None


def _latest(context: WebContext, review_id: str, email: str) -> Response | None:
    mine = [r for r in context.store.latest_responses(review_id) if same_address(r.member_email, email)]
    return mine[0] if mine else None
