"""The board overview reads every open review at once, and says what reading them one by one would say;
invitations go out in one round whose store writes are two transactions, each member invited once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter

import pytest
from sqlalchemy import event

from scr.backends.local.outbox import read_outbox
from scr.domain.model import Stage
from scr.services import advancing
from scr.services.members import invite_members, member_progress
from scr.services.overview import open_reviews_at_once, standing, standings
from tests.samples import random_answers

REVIEWS = 6


@pytest.fixture
def board(started_review):
    """Six reviews of the example board: each invited, some answered (one late), one complete, one not started."""
    backend, base = started_review()
    rng, schedule = random.Random(3), backend.store.schedule(base.review_id)
    for n in range(REVIEWS):
        review = dataclasses.replace(base, review_id=f"SCR-2026-{n + 100}", child_pseudonym=f"Child {n}")
        backend.store.create_review(review, schedule)
        if n == REVIEWS - 1:
            continue  # created, not yet invited
        invite_members(backend, review.review_id)
        for i, member in enumerate(review.members[: n * 2]):
            at = backend.clock.now() + dt.timedelta(minutes=i)
            answers = random_answers(backend.member_form, review.agencies, rng)
            backend.store.save_response(review.review_id, member.email.upper() if i == 1 else member.email,
                                        answers, at, late=(i == 2))
    for done in (base.review_id, "SCR-2026-101"):
        backend.store.set_stage(done, Stage.COMPLETE)
    return backend


def test_the_overview_read_at_once_says_what_reading_each_review_says(board):
    open_ids = advancing.open_reviews(board)
    assert open_ids == [f"SCR-2026-{n + 100}" for n in range(REVIEWS) if n != 1]
    at_once = standings(board)
    assert [s.review_id for s in at_once] == open_ids
    assert at_once == [standing(board, review_id) for review_id in open_ids]
    for s in at_once:
        progress = member_progress(board, s.review_id)
        invited = progress.invited if board.store.schedule(s.review_id).response_deadline else 0
        assert (s.answered, s.invited) == (progress.answered if invited else 0, invited)
        asked = Counter(m.agency for m in progress.members)
        done = Counter(m.agency for m in progress.members if m.answered_at is not None)
        assert s.by_agency == ({a: (done[a], asked[a]) for a in asked} if invited else {})
    assert [s.answered for s in at_once] == [0, 4, 6, 8, 0]  # the one not invited shows none
    assert standing(board, "SCR-2026-101").stage == str(Stage.COMPLETE)  # one review, whatever its stage


def test_the_open_reviews_are_read_in_four_reads_however_many(board):
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(board.store._engine, "before_cursor_execute", listener)
    try:
        read = open_reviews_at_once(board)
    finally:
        event.remove(board.store._engine, "before_cursor_execute", listener)
    assert len(read) == REVIEWS - 1
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 4
    assert all("answers" not in s.split("FROM")[0] for s in statements)  # no answer text is read


def test_invitations_are_one_round_of_two_transactions_and_go_out_once(started_review, tmp_path):
    backend, review = started_review(40)
    backend.store.issue_token(review.review_id, review.members[0].email, "member")  # from a run that died
    writes: list[int] = []
    listener = lambda conn: writes.append(1) if conn.get_execution_options().get("scr_write") else None  # noqa: E731
    event.listen(backend.store._engine, "begin", listener)
    try:
        assert invite_members(backend, review.review_id) == 40
        assert len(writes) == 2 + 2  # the response window (schedule, stage); then tokens, then the events
        assert invite_members(backend, review.review_id) == 0
    finally:
        event.remove(backend.store._engine, "begin", listener)
    outbox = read_outbox(tmp_path / review.review_id / "outbox")
    assert Counter(m["To"].addresses[0].addr_spec.lower() for m in outbox) == {
        m.email.lower(): 1 for m in review.members}
    invited = backend.store.events(review.review_id, "invited")
    assert [e.person_email for e in invited] == [m.email for m in review.members]
    links = {m["To"].addresses[0].addr_spec.lower(): m.get_content() for m in outbox}
    for member in review.members:  # each member's own link, kept in the store
        token = backend.store.issue_token(review.review_id, member.email, "member")
        assert f"/f/{token}" in links[member.email.lower()]


def test_every_stage_says_what_happens_next():
    from scr.domain.model import Stage
    from scr.services.overview import NEXT_STEP

    assert set(NEXT_STEP) == set(Stage)
    assert "decisions on A1 to A5" in NEXT_STEP[Stage.DRAFTED]
