"""Steering from the Prefect UI: the steer-review run pauses with a form showing who has answered, and the
decision given on resume is applied and recorded."""

from __future__ import annotations

import threading

from scr.services import members
from tests.flows.processes import wait_for


def test_the_paused_form_shows_who_has_answered_and_the_decision_is_applied(prefect_harness, local_review):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.flow_runs import resume_flow_run

    from flows.steer_review import steer_review

    runtime, backend, review = local_review
    members.invite_members(backend, review.review_id)
    backend.store.save_response(review.review_id, review.members[0].email, {}, backend.clock.now(), late=False)

    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(result=steer_review(review.review_id, runtime, 300)))
    thread.start()
    with get_client(sync_client=True) as client:
        def runs():
            return client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["steer-review"])))

        paused = wait_for(lambda: next((r for r in runs() if r.state and r.state.is_paused()), None),
                          "the run to wait for the business manager's decision",
                          seen=lambda: str([r.state.type if r.state else None for r in runs()]))
    resume_flow_run(paused.id, run_input={"decision": "extend the members' deadline", "working_days": 2,
                                          "decided_by": "chair@northshire-lscb.example.org",
                                          "lead_reviewer_email": ""})
    thread.join(600)  # a generous limit on a busy machine: the run ends as soon as it applies the decision
    assert not thread.is_alive() and "result" in outcome, "the resumed run applies the decision and returns"
    assert "deadline is now" in outcome["result"]
    [decision] = backend.store.events(review.review_id, "decision")
    assert decision.person_email == "chair@northshire-lscb.example.org"
    assert "extended the members' deadline by 2" in decision.detail


def test_the_form_description_shows_status_by_member_without_answers(local_review):
    from flows.steer_review import status_markdown

    _, backend, review = local_review
    members.invite_members(backend, review.review_id)
    from scr.domain.model import ItemAnswer

    canary = "CANARY-never-in-the-form"
    backend.store.save_response(review.review_id, review.members[0].email, {"B1": ItemAnswer(comment=canary)},
                                backend.clock.now(), late=False)
    text = status_markdown(backend, review.review_id)
    first = review.members[0]
    assert "1 of 13 answered" in text and f"| {first.name} | answered | {first.agency} |" in text
    assert canary not in text
