"""Steering from the Prefect UI: the steer-review run pauses with a form that offers every open review as a
choice and shows where each stands (who has answered, by agency; never what they said), and the decision
given on resume is applied to the chosen review and recorded."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from scr.domain.model import ItemAnswer, Stage
from scr.errors import ScrError
from scr.services import members, steering
from tests.flows.processes import wait_for

SECOND = "SCR-2026-015"


def second_review(backend, review):
    """Another open review on the same board, so the form has a real choice to offer."""
    from scr.demo.run import example_config

    backend.store.create_review(dataclasses.replace(review, review_id=SECOND), example_config().deadlines.schedule())
    members.invite_members(backend, SECOND)


def test_the_paused_form_offers_every_open_review_and_applies_the_decision_to_the_one_chosen(prefect_harness,
                                                                                           local_review):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.flow_runs import resume_flow_run
    from prefect.input.run_input import keyset_from_paused_state

    from flows.steer_review import steer_review

    runtime, backend, review = local_review
    members.invite_members(backend, review.review_id)
    second_review(backend, review)
    backend.store.save_response(SECOND, review.members[0].email, {}, backend.clock.now(), late=False)

    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(result=steer_review(runtime=runtime,
                                                                                form_timeout_seconds=300)))
    thread.start()
    with get_client(sync_client=True) as client:
        def runs():
            return client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["steer-review"])))

        paused = wait_for(lambda: next((r for r in runs() if r.state and r.state.is_paused()), None),
                          "the run to wait for the business manager's decision",
                          seen=lambda: str([r.state.type if r.state else None for r in runs()]))
        keys = keyset_from_paused_state(paused.state)
        schema = client.read_flow_run_input(paused.id, keys["schema"])
        description = client.read_flow_run_input(paused.id, keys["description"])
    choice = json_loads(schema)["properties"]["review_id"]
    assert choice["enum"] == [review.review_id, SECOND] and "default" not in choice, "two open: the person chooses"
    assert "Open reviews (2)" in description and "1 of 13 answered" in description and "0 of 13" in description
    resume_flow_run(paused.id, run_input={"review_id": SECOND, "decision": "extend the members' deadline",
                                          "working_days": 2, "decided_by": "chair@northshire-lscb.example.org"})
    thread.join(600)  # a generous limit on a busy machine: the run ends as soon as it applies the decision
    assert not thread.is_alive() and "result" in outcome, "the resumed run applies the decision and returns"
    assert "deadline is now" in outcome["result"]
    [decision] = backend.store.events(SECOND, "decision")
    assert decision.person_email == "chair@northshire-lscb.example.org"
    assert "extended the members' deadline by 2" in decision.detail
    assert backend.store.events(review.review_id, "decision") == [], "the other review is untouched"


def json_loads(value):
    import json

    return json.loads(value) if isinstance(value, str) else value


def test_one_open_review_is_still_a_select_and_is_preselected():
    from flows.steer_review import decision_form

    one = decision_form(["SCR-2026-014"], None).model_json_schema()["properties"]["review_id"]
    assert one["enum"] == ["SCR-2026-014"] and one["default"] == "SCR-2026-014" and "const" not in one
    chosen = decision_form(["SCR-2026-014", SECOND], SECOND).model_json_schema()["properties"]["review_id"]
    assert chosen["default"] == SECOND and chosen["title"] == "Review"
    fields = decision_form(["SCR-2026-014"], None, "bm@example.org").with_initial_data(description="d")
    order = sorted(fields.model_json_schema()["properties"].items(), key=lambda item: item[1]["position"])
    assert [name for name, _ in order] == ["review_id", "decision", "working_days", "lead_reviewer_email",
                                           "decisions_file", "decided_by"], "the form reads top to bottom"
    assert dict(order)["decided_by"]["default"] == "bm@example.org"
    with pytest.raises(ValueError, match="SCR-2026-014"):  # a review not offered is refused by the form itself
        decision_form(["SCR-2026-014"], None)(review_id="SCR-2026-099", decided_by="a@example.org")


def test_a_preselected_review_that_is_not_open_is_refused_with_the_open_ones(local_review):
    from flows.steer_review import steer_review

    runtime, backend, review = local_review
    with pytest.raises(ScrError, match=f"'SCR-2026-099' is not open \\(not in the store\\).*{review.review_id}"):
        steer_review.fn("SCR-2026-099", runtime=runtime)
    steering.cancel(backend, review.review_id, "a@example.org")
    with pytest.raises(ScrError, match="No open reviews to steer"):
        steer_review.fn(runtime=runtime)
    assert backend.store.stage(review.review_id) is Stage.CANCELLED


def test_the_form_description_shows_status_by_member_without_answers(local_review):
    from flows.steer_review import form_description

    _, backend, review = local_review
    members.invite_members(backend, review.review_id)
    second_review(backend, review)
    canary = "CANARY-never-in-the-form"
    backend.store.save_response(review.review_id, review.members[0].email, {"B1": ItemAnswer(comment=canary)},
                                backend.clock.now(), late=False)
    text = form_description(backend, [review.review_id, SECOND], review.review_id)
    first = review.members[0]
    assert "1 of 13 answered" in text and f"| {first.name} | answered | {first.agency} |" in text
    assert f"## {SECOND} (Child T): collecting member input" in text, "every open review's standing"
    assert f"| {first.agency} | 1 of " in text, "answered of invited, by agency"
    assert canary not in text
