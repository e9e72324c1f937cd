"""A review the business manager cancels ends Cancelled in Prefect, not Failed, and sends nothing more."""

from __future__ import annotations

from scr.bootstrap import backend_for
from scr.config import review_from_config
from scr.demo.run import example_config
from scr.services import steering
from scr.settings import Runtime


def test_a_review_cancelled_before_it_starts_invites_nobody_and_ends_cancelled(prefect_harness, tmp_path):
    from flows.commission_review import commission_review

    config = example_config()
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}", out_dir=str(tmp_path),
                                  base_url="http://127.0.0.1:9", poll_seconds=0.01)
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.model_dump(mode="json"))
    steering.cancel(backend, review.review_id, review.business_manager.email)
    state = commission_review(review.review_id, runtime, return_state=True)
    assert state.is_cancelled()
    assert "cancelled by the business manager" in state.message
    assert not (tmp_path / review.review_id / "outbox").exists(), "nobody is invited"
    assert not (tmp_path / review.review_id / "factor-summary.md").exists()


def test_the_advance_reviews_flow_takes_each_open_review_one_step_and_stops(prefect_harness, tmp_path):
    from flows.advance_reviews import advance_reviews

    config = example_config()
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}", out_dir=str(tmp_path),
                                  base_url="http://127.0.0.1:9")
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.model_dump(mode="json"))
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
