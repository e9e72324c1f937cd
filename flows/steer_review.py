"""The steer-review flow: the business manager's decisions from the Prefect UI.

Run it for a review (Deployments, steer-review, Run): it pauses with a form whose description shows
where the review stands (who has answered, by agency; never what they said). Choose a decision and
resume: it is applied and recorded with who decided and when, as `scr close`, `scr extend`, ... do.
"""

from pathlib import Path
from typing import Literal

from prefect import flow
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput

from scr.bootstrap import backend_for
from scr.domain.calendar import format_when
from scr.domain.model import Stage
from scr.services import deciding, steering
from scr.services.decision_file import read_decision_file
from scr.services.members import member_progress
from scr.services.reviewers import reviewer_progress
from scr.settings import Runtime

Decision = Literal[
    "no change", "close member input early", "extend the members' deadline", "extend the reviewers' deadline",
    "include late answers", "leave late answers out", "go ahead without a lead reviewer",
    "mark a lead reviewer's review complete", "record the board's decisions from a file", "cancel the review",
]


class SteeringDecision(RunInput):
    decision: Decision = "no change"
    working_days: int = 0  # for an extension
    lead_reviewer_email: str = ""  # for going ahead without one, or marking their review complete
    decisions_file: str = ""  # the board's decisions, a `scr decide` file on this machine (see its --template)
    decided_by: str  # the person deciding (their email), recorded in the QM6 evidence


@flow(name="steer-review", log_prints=False)
def steer_review(review_id: str, runtime: Runtime, form_timeout_seconds: int = 3600) -> str:
    """Show where a review stands and apply the business manager's decision."""
    backend = backend_for(runtime)
    review = backend.store.get_review(review_id)
    form = SteeringDecision.with_initial_data(description=status_markdown(backend, review_id),
                                              decided_by=review.business_manager.email)
    choice = pause_flow_run(wait_for_input=form, timeout=form_timeout_seconds, poll_interval=2)
    return apply(backend, review_id, choice)


def apply(backend, review_id: str, choice: SteeringDecision) -> str:
    by = choice.decided_by
    actions = {
        "no change": lambda: "No change.",
        "close member input early": lambda: steering.close_member_input_early(backend, review_id, by),
        "extend the members' deadline":
            lambda: steering.extend(backend, review_id, by, "members", choice.working_days),
        "extend the reviewers' deadline":
            lambda: steering.extend(backend, review_id, by, "reviewers", choice.working_days),
        "include late answers": lambda: steering.include_late_answers(backend, review_id, by, True),
        "leave late answers out": lambda: steering.include_late_answers(backend, review_id, by, False),
        "go ahead without a lead reviewer":
            lambda: steering.go_ahead_without(backend, review_id, by, choice.lead_reviewer_email),
        "mark a lead reviewer's review complete":
            lambda: steering.mark_reviewer_complete(backend, review_id, by, choice.lead_reviewer_email),
        "record the board's decisions from a file": lambda: _record_board_decisions(backend, review_id, choice),
        "cancel the review": lambda: steering.cancel(backend, review_id, by),
    }
    return actions[choice.decision]()


def _record_board_decisions(backend, review_id: str, choice: SteeringDecision) -> str:
    """As `scr decide`: a refused file says what to fix, by field, and records nothing."""
    record = read_decision_file(backend, review_id, Path(choice.decisions_file), choice.decided_by)
    version = deciding.record_decisions(backend, review_id, record)
    return f"The board's decisions are recorded (version {version}); the agreed terms of reference follow."


def status_markdown(backend, review_id: str) -> str:
    """Where the review stands, for the decision form: names, agencies, counts and dates, no answer text."""
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
    lines += ["", "Choose a decision below; it is recorded with who decided and when, in the QM6 evidence."]
    return "\n".join(lines)
