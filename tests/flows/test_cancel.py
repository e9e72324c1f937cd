"""A review the business manager cancels ends Cancelled in Prefect, not Failed, and sends nothing more."""

from __future__ import annotations

import pytest

from scr.domain.decisions import DecisionRecordRefused
from scr.services import deciding, steering
from tests import samples


def test_a_review_cancelled_before_it_starts_invites_nobody_and_ends_cancelled(prefect_harness, local_review, tmp_path):
    from flows.advance_review import run_review

    runtime, backend, review = local_review
    steering.cancel(backend, review.review_id, review.business_manager.email)
    state = run_review(review.review_id, runtime, return_state=True)
    assert state.is_cancelled()
    assert "cancelled by the business manager" in state.message
    assert not (tmp_path / review.review_id / "outbox").exists(), "nobody is invited"
    assert not (tmp_path / review.review_id / "factor-summary.md").exists()


def test_advance_reviews_runs_each_review_with_a_step_due_as_far_as_it_goes(prefect_harness, local_review, tmp_path):
    from flows.advance_reviews import advance_reviews

    runtime, backend, review = local_review
    assert advance_reviews(runtime) == {review.review_id: "collecting member input"}
    assert len(list((tmp_path / review.review_id / "outbox").glob("*.eml"))) == len(review.members)
    steering.close_member_input_early(backend, review.review_id, review.business_manager.email)
    assert advance_reviews(runtime) == {review.review_id: "with lead reviewers"}
    for reviewer in review.lead_reviewers:
        steering.go_ahead_without(backend, review.review_id, review.business_manager.email, reviewer.email)
    assert advance_reviews(runtime) == {review.review_id: "terms of reference drafted"}
    assert advance_reviews(runtime) == {}, "nothing is due while it waits for the board: no run"
    assert (tmp_path / review.review_id / "terms-of-reference-draft.docx").exists()
    record = samples.board_record(review, backend.member_form, backend.reviewer_form, [])
    deciding.record_decisions(backend, review.review_id, record)
    assert advance_reviews(runtime) == {review.review_id: "complete"}
    assert advance_reviews(runtime) == {}
    assert (tmp_path / review.review_id / "terms-of-reference.docx").exists()
    people = len(review.members) + len(review.lead_reviewers)
    # invitations, deadline-passed, summary-ready to 2 reviewers, documents-ready, board-decision, terms-agreed
    assert len(list((tmp_path / review.review_id / "outbox").glob("*.eml"))) == len(review.members) + 2 + 2 + 1 + people


def test_a_decision_record_for_a_cancelled_review_is_refused_and_names_why(local_review):
    runtime, backend, review = local_review
    steering.cancel(backend, review.review_id, review.business_manager.email)
    record = samples.board_record(review, backend.member_form, backend.reviewer_form, [])
    with pytest.raises(DecisionRecordRefused, match=r"\(review\): the review was cancelled"):
        deciding.record_decisions(backend, review.review_id, record)
    assert backend.store.decision_versions(review.review_id) == 0
