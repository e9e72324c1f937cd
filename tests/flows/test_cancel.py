"""A review the business manager cancels ends Cancelled in Prefect, not Failed, and sends nothing more."""

from __future__ import annotations

from scr.services import steering


def test_a_review_cancelled_before_it_starts_invites_nobody_and_ends_cancelled(prefect_harness, local_review, tmp_path):
    from flows.commission_review import commission_review

    runtime, backend, review = local_review
    steering.cancel(backend, review.review_id, review.business_manager.email)
    state = commission_review(review.review_id, runtime, return_state=True)
    assert state.is_cancelled()
    assert "cancelled by the business manager" in state.message
    assert not (tmp_path / review.review_id / "outbox").exists(), "nobody is invited"
    assert not (tmp_path / review.review_id / "factor-summary.md").exists()


def test_the_advance_reviews_flow_takes_each_open_review_one_step_and_stops(prefect_harness, local_review, tmp_path):
    from flows.advance_reviews import advance_reviews

    runtime, backend, review = local_review
    assert advance_reviews(runtime) == {review.review_id: "collecting member input"}
    assert len(list((tmp_path / review.review_id / "outbox").glob("*.eml"))) == len(review.members)
    steering.close_member_input_early(backend, review.review_id, review.business_manager.email)
    assert advance_reviews(runtime) == {review.review_id: "with lead reviewers"}
    for reviewer in review.lead_reviewers:
        steering.go_ahead_without(backend, review.review_id, review.business_manager.email, reviewer.email)
    assert advance_reviews(runtime) == {review.review_id: "complete"}
    assert advance_reviews(runtime) == {}
    assert (tmp_path / review.review_id / "terms-of-reference.docx").exists()
    assert len(list((tmp_path / review.review_id / "outbox").glob("*.eml"))) == len(review.members) + 2 + 2
