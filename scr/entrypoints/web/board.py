"""The business manager's page for the board's decisions: ``GET /b/{token}`` shows each decision A1-A5 with
its evidence, pre-filled from members' and the lead reviewers' input (or the latest record); ``POST`` records
a new version of the board's decisions. A refused record re-shows the page with everything typed kept and
each problem named; a forged post saves nothing (403)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from scr.domain.decision_input import parse_record
from scr.domain.decisions import DecisionRecord, DecisionRecordRefused, OpenProposal, open_proposals
from scr.domain.email import EmailAddress
from scr.domain.forms import clean_text
from scr.domain.model import Role
from scr.domain.rationale import Rationale, leading_options
from scr.entrypoints.web.context import LinkNotFound, WebContext
from scr.entrypoints.web.guard import REFUSED
from scr.errors import ReviewNotFound
from scr.ports import Grant

log = logging.getLogger("scr.web")


@dataclass(frozen=True)
class BoardPages:
    """What the page needs beyond the web context: the rationale as drafted, and the recording service."""

    rationale_for: Callable[[str], Rationale]
    record: Callable[[str, DecisionRecord], int]


def routes(context: WebContext, pages: BoardPages) -> APIRouter:
    router = APIRouter()

    @router.get("/b/{token}", response_class=HTMLResponse)
    def show(token: str, request: Request) -> HTMLResponse:
        grant = context.grant(token, Role.MANAGER)
        saved = request.query_params.get("saved", "")
        return _page(context, pages, grant, token, None, [], saved=saved)

    @router.post("/b/{token}", response_model=None)
    async def record(token: str, request: Request) -> HTMLResponse | RedirectResponse:
        grant = context.grant(token, Role.MANAGER)
        posted = await request.form()
        fields = {name: [clean_text(v) for v in posted.getlist(name) if isinstance(v, str)] for name in posted.keys()}
        if not context.guard.accepts(request, token, posted):
            return _page(context, pages, grant, token, fields, [], refused=REFUSED, status_code=403)
        try:
            data = fields_to_data(fields, _proposals(context, grant.review_id))
            record = parse_record(grant.review_id, data, grant.email, context.clock.now())
            version = pages.record(grant.review_id, record)
        except DecisionRecordRefused as refused:
            log.info("review %s: a decision record was refused (%d problem(s))", grant.review_id, len(refused.problems))
            return _page(context, pages, grant, token, fields, refused.problems, status_code=422)
        log.info("review %s: the board's decisions were recorded (version %d)", grant.review_id, version)
        return RedirectResponse(f"/b/{token}?saved={version}", status_code=303)

    return router


def fields_to_data(fields: Mapping[str, list[str]], proposals: list[OpenProposal]) -> dict:
    """The page's flat fields as the nested shape ``parse_record`` reads (the same as a `scr decide` file)."""
    def one(name: str) -> str:
        return "\n\n".join(v for v in fields.get(name, []) if v)

    decisions: dict[str, dict] = {}
    for item_id in sorted({name.partition(".")[0] for name in fields if name[:1] == "A"}):
        decisions[item_id] = {
            "option": [v for v in fields.get(f"{item_id}.option", []) if v],
            "text": one(f"{item_id}.text"), "reasons": one(f"{item_id}.reasons"),
            "weighed_most": [v for v in fields.get(f"{item_id}.weighed", []) if v],
            "proposals": [
                {"reviewer": p.reviewer_email, "proposal": p.proposal_id, "taken": one(f"{item_id}.taken.{p.key}"),
                 "reason": one(f"{item_id}.reason.{p.key}")}
                for p in proposals if p.item_id == item_id and one(f"{item_id}.taken.{p.key}")
            ],
        }  # fmt: skip
    return {"meeting_date": one("meeting_date"), "agreed_by": one("agreed_by"), "decisions": decisions}


def _proposals(context: WebContext, review_id: str) -> list[OpenProposal]:
    inputs = context.store.reviewer_inputs(review_id)
    return [p for item in context.member_form.decisions()
            for p in open_proposals(context.reviewer_form, inputs, item.id)]


def _page(context: WebContext, pages: BoardPages, grant: Grant, token: str, typed: Mapping[str, list[str]] | None,
          problems: list, *, saved: str = "", refused: str = "", status_code: int = 200) -> HTMLResponse:
    try:
        review = context.store.get_review(grant.review_id)
        rationale = pages.rationale_for(grant.review_id)
        latest = context.store.decision_record(grant.review_id)
    except ReviewNotFound:
        raise LinkNotFound from None
    values = typed if typed is not None else prefill(rationale, latest, _proposals(context, grant.review_id))
    return context.page(
        "board.html.j2", status_code, review=review, rationale=rationale, form=context.member_form,
        options={i.id: context.member_form.options_for(i, review.agencies) for i in context.member_form.decisions()},
        proposals=_proposals(context, grant.review_id), values=values, problems=problems, latest=latest,
        saved=saved, refused=refused, csrf=context.guard.field_for(token), token=token,
    )  # fmt: skip


def prefill(rationale: Rationale, latest: DecisionRecord | None, proposals: list[OpenProposal]) -> dict:
    """The page's starting values: the latest record if there is one, else the evidence (members' leading
    options, the factors that weigh most, members' words for A2 and A4). Reasons are left for the board."""
    values: dict[str, list[str]] = {}
    if latest is not None:
        values = {"meeting_date": [latest.meeting_date.isoformat()], "agreed_by": [latest.agreed_by]}
        for d in latest.decisions:
            values |= {f"{d.item_id}.option": list(d.chosen), f"{d.item_id}.text": [d.text],
                       f"{d.item_id}.reasons": [d.reasons], f"{d.item_id}.weighed": list(d.weighed_most)}
            for p in d.proposals:
                key = f"{p.proposal_id}.{EmailAddress(p.reviewer_email)}"
                values |= {f"{d.item_id}.taken.{key}": [p.taken.value], f"{d.item_id}.reason.{key}": [p.reason]}
        return values
    for d in rationale.decisions:
        values[f"{d.item_id}.weighed"] = [f.item_id for f in d.weighing_most]
        if d.kind == "text":
            values[f"{d.item_id}.text"] = ["\n".join(q.text for q in d.member_comments)]
        else:  # "other" is never pre-selected: only the board can say what it means
            values[f"{d.item_id}.option"] = leading_options(d)
    return values
