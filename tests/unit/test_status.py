"""`scr status` shows where a review stands, including what was held apart or could not be used."""

from __future__ import annotations

import datetime as dt

from scr.bootstrap import backend_for
from scr.config import review_from_config
from scr.demo.run import example_config
from scr.domain.model import Event
from scr.entrypoints.status import describe
from scr.services.members import invite_members
from scr.settings import Runtime

AT = dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.UTC)


def test_status_lists_answers_held_apart_and_what_could_not_be_used(tmp_path):
    config = example_config()
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}", out_dir=str(tmp_path))
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    invite_members(backend, review.review_id)
    backend.store.hold_response(review.review_id, "r1@t", "stranger@elsewhere.example", {}, AT)
    backend.store.record_event(review.review_id, Event(
        "form_problem", AT, None, "2 answer(s) to questions this review did not create were ignored"))
    backend.store.record_event(review.review_id, Event(
        "comment_not_counted", AT, None,
        "comment c9/c9 on Jane Whitfield's copy of the factor summary is by 'Pat Stranger', not the lead "
        "reviewer; not counted"))
    backend.store.record_event(review.review_id, Event(
        "no_google_account", AT, review.members[1].email,
        f"{review.members[1].name} ({review.members[1].agency}): the address has no Google account; Drive sent "
        "them an invitation to create one, and they cannot answer the form until they do"))

    text = describe(runtime, review.review_id)

    assert "Answers held apart (not from members): stranger@elsewhere.example" in text
    noted = text.split("Noted while reading answers and comments", 1)[1].splitlines()
    assert "questions this review did not create were ignored" in noted[1]
    assert "comment c9/c9 on Jane Whitfield's copy of the factor summary is by 'Pat Stranger'" in noted[2]
    assert f"{review.members[1].name} ({review.members[1].agency}): the address has no Google account" in noted[3]
    assert "0 of 13 answered" in text
