"""The steer-review flow: the business manager's decisions from the Prefect UI, for any open review.

Run it (Deployments, steer-review, Run): it pauses with a form whose description shows where every open
review stands (stage, who has answered by agency, deadlines; never what anyone said). Choose the review
and a decision and resume: it is applied and recorded with who decided and when, by the same dispatch as
`scr close`, `scr extend`, ... (``scr.services.steering.apply``).
"""

from __future__ import annotations

from typing import Any, Literal

import pydantic
from prefect import flow, get_run_logger
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput

from scr.bootstrap import backend_for
from scr.domain.calendar import format_when
from scr.domain.model import Stage
from scr.errors import ScrError
from scr.services import steering
from scr.services.advancing import open_reviews
from scr.services.members import member_progress
from scr.services.overview import board_overview, standing
from scr.services.reviewers import reviewer_progress
from scr.settings import Runtime


def _at(position: int) -> dict[str, Any]:
    return {"position": position}  # the form's order (Prefect UI), rather than defaults first


class SteeringDecision(RunInput):
    """The decision form; ``decision_form`` adds the choice of review, among those open when the run pauses."""

    decision: steering.Decision = pydantic.Field("no change", json_schema_extra=_at(1))
    working_days: int = pydantic.Field(0, description="for an extension", json_schema_extra=_at(2))
    lead_reviewer_email: str = pydantic.Field(
        "", description="for going ahead without one, or marking their review complete", json_schema_extra=_at(3))
    decisions_file: str = pydantic.Field(
        "", description="the board's decisions: a `scr decide` file on this machine (see its --template)",
        json_schema_extra=_at(4))
    decided_by: str = pydantic.Field(description="the person deciding (their email), recorded in the QM6 evidence",
                                     json_schema_extra=_at(5))
    review_id: str = pydantic.Field(title="Review", json_schema_extra=_at(0))

    def choice(self) -> steering.Choice:
        return steering.Choice(self.decision, self.decided_by, self.working_days, self.lead_reviewer_email,
                               self.decisions_file)


def decision_form(reviews: list[str], preselected: str | None, decided_by: str = "") -> type[SteeringDecision]:
    """The form with ``review_id`` a choice among ``reviews`` (a select in the Prefect UI), ``preselected`` chosen,
    and ``decided_by`` filled in (set here rather than by ``with_initial_data``, which would lose its place)."""
    ids = tuple(reviews)

    def as_select(schema: dict[str, Any]) -> None:  # one review is still a select, not a constant
        schema.pop("const", None)
        schema.update(enum=list(ids), type="string", position=0)

    default = preselected if preselected is not None else (ids[0] if len(ids) == 1 else ...)
    field = pydantic.Field(default, title="Review", description="the open review this decision is about",
                           json_schema_extra=as_select)
    by = SteeringDecision.model_fields["decided_by"]
    return pydantic.create_model(
        "SteeringDecision", __base__=SteeringDecision, review_id=(Literal[ids], field),  # type: ignore[valid-type]
        decided_by=(str, pydantic.Field(decided_by or ..., description=by.description,
                                        json_schema_extra=by.json_schema_extra)))


@flow(name="steer-review", log_prints=False)
def steer_review(review_id: str | None = None, *, runtime: Runtime, form_timeout_seconds: int = 3600) -> str:
    """Show where every open review stands and apply the business manager's decision to the one they choose.

    ``review_id`` (optional) preselects that review in the form; without it, the form asks which."""
    backend = backend_for(runtime)
    reviews = open_reviews(backend)
    if not reviews:
        raise ScrError("No open reviews to steer: every review is complete or cancelled. Start one with "
                       "`scr start CONFIG`.")
    if review_id is not None and review_id not in reviews:
        raise ScrError(f"Review '{review_id}' is not open ({_stage_or_unknown(backend, review_id)}); leave "
                       f"review_id empty to choose in the form, or give one of: {', '.join(reviews)}.")
    manager = backend.store.get_review(review_id or reviews[0]).business_manager
    form = decision_form(reviews, review_id, manager.email).with_initial_data(
        description=form_description(backend, reviews, review_id))
    get_run_logger().info("Waiting for a decision on one of %d open review(s).", len(reviews))
    answer = pause_flow_run(wait_for_input=form, timeout=form_timeout_seconds, poll_interval=2)
    outcome = steering.apply(backend, answer.review_id, answer.choice())
    get_run_logger().info("Review %s: applied '%s'.", answer.review_id, answer.decision)
    return outcome


@flow(name="steer-review", log_prints=False)
def steer_board_review(board_config: str, review_id: str | None = None, form_timeout_seconds: int = 3600) -> str:
    """The same form, for a deployment on a work pool (prefect.yaml): the board is named by the path of its
    configuration file on the worker's machine, and read there."""
    return steer_review.fn(review_id, runtime=Runtime.from_board_config(board_config),
                           form_timeout_seconds=form_timeout_seconds)


def _stage_or_unknown(backend, review_id: str) -> str:
    return str(backend.store.stage(review_id)) if review_id in backend.store.review_ids() else "not in the store"


def form_description(backend, reviews: list[str], preselected: str | None) -> str:
    """Markdown for the form: the preselected review by member, then every open review's standing."""
    lines = [status_markdown(backend, preselected), ""] if preselected else []
    lines += [board_overview([standing(backend, r) for r in reviews]), "",
              "Choose the review and a decision below; it is recorded with who decided and when, in the QM6 "
              "evidence."]
    return "\n".join(lines)


def status_markdown(backend, review_id: str) -> str:
    """Where one review stands, for the decision form: names, agencies, counts and dates, no answer text."""
    review = backend.store.get_review(review_id)
    schedule = backend.store.schedule(review_id)
    lines = [f"## {review.review_id} ({review.child_pseudonym}): {backend.store.stage(review_id)}", ""]
    if schedule.response_deadline is not None:
        progress = member_progress(backend, review_id)
        lines += [f"**Members:** {progress.answered} of {progress.invited} answered; deadline "
                  f"{format_when(progress.deadline)}.", "", "| member | status | agency |", "|---|---|---|"]
        lines += [f"| {m.name} | {m.status} | {m.agency} |" for m in progress.members]  # status fits the form
    if schedule.reviewer_deadline is not None:
        reviewers = reviewer_progress(backend, review_id)
        lines += ["", f"**Lead reviewers** (deadline {format_when(reviewers.deadline)}):"]
        lines += [f"- {r.name}: {'complete' if r.completed_at else 'not yet complete'}" for r in reviewers.reviewers]
    if backend.store.stage(review_id) is Stage.DRAFTED:
        lines += ["", "**Waiting for the board's decisions** on A1 to A5: write them with `scr decide CONFIG "
                  "FILE.yaml --template`, then choose \"record the board's decisions from a file\" and give the "
                  "file's path, or use the business manager's page."]
    return "\n".join(lines)
