"""The board's decision records in the store: typed tables, every version kept, the latest counts."""

from __future__ import annotations

import dataclasses
import datetime as dt

from scr.domain.decisions import Taken
from tests import samples

AT = dt.datetime(2026, 12, 18, 16, 30, tzinfo=dt.UTC)


def test_no_record_before_the_board_decides(store, review):
    assert store.decision_record(review.review_id) is None
    assert store.decision_versions(review.review_id) == 0


def test_a_record_round_trips_whole(store, review):
    inputs = samples.sample_reviewer_inputs(review)
    record = samples.board_record(review, samples.member_form(), samples.reviewer_form(), inputs, AT, Taken.ADAPTED)
    assert store.save_decision_record(record) == 1
    back = store.decision_record(review.review_id)
    assert back == dataclasses.replace(record, version=1)
    a3 = back.decision("A3")
    assert [(p.reviewer_email, p.proposal_id, p.taken, p.reason) for p in a3.proposals] == [
        (review.lead_reviewers[0].email, "method", Taken.ADAPTED, "Why, on method.")]


def test_a_second_record_is_a_new_version_and_the_first_is_kept(store, review):
    form, reviewer_form = samples.member_form(), samples.reviewer_form()
    first = samples.board_record(review, form, reviewer_form, [], AT)
    second = dataclasses.replace(first, agreed_by="The board, after a second meeting",
                                 recorded_at=AT + dt.timedelta(days=2))
    store.save_decision_record(first)
    assert store.save_decision_record(second) == 2
    assert store.decision_versions(review.review_id) == 2
    assert store.decision_record(review.review_id).agreed_by == "The board, after a second meeting"
    assert store.decision_record(review.review_id, version=1).agreed_by == "The board at its meeting"
