"""A step reads its review once: one members' poll and one reviewers' poll read the review and its schedule once
each, through a unit of work, and still see what the poll itself brought in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

import pytest
import yaml

from scr.bootstrap import backend_for
from scr.config import parse_config, review_from_config
from scr.domain.model import ItemAnswer
from scr.errors import ReviewCancelled
from scr.services import members, reviewers, steering, waiting
from scr.services.unit_of_work import ReviewWork, work_on
from scr.settings import Runtime
from tests.store_support import ROOT

READS = ("get_review", "schedule", "stage")
BM = "priya.shah@northshire-scp.example.org"


class CountingStore:
    """The store, counting each call by method name (the test's own wrapper; everything else passes through)."""

    def __init__(self, store: Any):
        self.inner, self.calls = store, Counter()

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.inner, name)
        if not callable(found):
            return found

        def counted(*args, **kwargs):
            self.calls[name] += 1
            return found(*args, **kwargs)

        return counted

    def reads(self) -> dict[str, int]:
        return {name: self.calls[name] for name in READS}


@pytest.fixture
def board(tmp_path):
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT")}
    config = parse_config(raw)
    backend = backend_for(Runtime.from_config(config))
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    members.invite_members(backend, review.review_id)
    counting = CountingStore(backend.store)
    return dataclasses.replace(backend, store=counting), counting, review


def _a_reminder_is_due_and_one_member_answered(backend, review) -> None:
    now = backend.clock.now()
    backend.store.update_schedule(review.review_id, reminders=(now - dt.timedelta(hours=1),))
    backend.store.save_response(review.review_id, review.members[0].email, {"B1": ItemAnswer(rating="central")},
                                now, late=False)


def test_one_members_poll_reads_the_review_and_its_schedule_once(board) -> None:
    backend, counting, review = board
    _a_reminder_is_due_and_one_member_answered(backend, review)
    counting.calls.clear()
    progress = waiting.check_members(backend, review.review_id)
    assert counting.reads() == {"get_review": 1, "schedule": 1, "stage": 0}
    # the poll did all three of its parts: answers read, reminders sent, progress told
    reminded = [e for e in backend.store.events(review.review_id, "reminded")]
    assert counting.calls["latest_responses"] >= 2 and len(reminded) == len(review.members) - 1
    assert (progress.invited, progress.answered) == (len(review.members), 1)
    assert {m.status for m in progress.members} == {"answered", "reminded"}


def test_the_done_check_of_a_poll_reads_nothing_more_given_the_polls_unit_and_the_decisions_now_given_an_id(board):
    backend, counting, review = board
    work = ReviewWork(backend, review.review_id)
    progress = waiting.check_members(backend, work)
    counting.calls.clear()
    assert not waiting.members_done(backend, work, progress)
    assert counting.reads() == {"get_review": 0, "schedule": 0, "stage": 0}
    steering.close_member_input_early(backend, review.review_id, BM)
    assert not waiting.members_done(backend, work, progress), "the poll's unit keeps what the poll read"
    counting.calls.clear()
    assert waiting.members_done(backend, review.review_id, progress), "a new step reads the decision"
    assert counting.reads() == {"get_review": 0, "schedule": 1, "stage": 0}


def test_one_reviewers_poll_reads_the_review_and_its_schedule_once(board) -> None:
    backend, counting, review = board
    waiting.close_member_input(backend, review.review_id)
    reviewers.circulate_summary(backend, review.review_id)
    counting.calls.clear()
    progress = waiting.check_reviewers(backend, review.review_id)
    assert counting.reads() == {"get_review": 1, "schedule": 1, "stage": 0}
    assert [r.name for r in progress.reviewers] == [r.name for r in review.lead_reviewers]
    assert progress.deadline is not None and not progress.complete


def test_closing_member_input_reads_the_review_and_its_schedule_once_and_keeps_the_close(board) -> None:
    backend, counting, review = board
    counting.calls.clear()
    waiting.close_member_input(backend, review.review_id)
    reads = counting.reads()
    # the second schedule read, if any, is steering.early_close's, which tells whether the close was early
    assert reads["get_review"] == 1 and reads["schedule"] <= 2 and reads["stage"] == 0
    assert counting.calls["update_schedule"] == 1 and backend.store.schedule(review.review_id).closed
    [told] = backend.store.events(review.review_id, "deadline_passed")
    assert told.detail == f"{len(review.members)} member(s) missing"


def test_a_unit_keeps_what_it_changes_and_a_cancelled_review_stops_the_step(board) -> None:
    backend, counting, review = board
    work = work_on(backend, review.review_id)
    assert work_on(backend, work) is work
    later = work.schedule.response_deadline + dt.timedelta(days=2)
    work.update_schedule(response_deadline=later)
    assert work.schedule.response_deadline == later == backend.store.schedule(review.review_id).response_deadline
    steering.cancel(backend, review.review_id, BM)
    with pytest.raises(ReviewCancelled):
        ReviewWork(backend, review.review_id).current()
