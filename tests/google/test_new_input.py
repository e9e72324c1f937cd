"""Whether a Google review needs a run: `has_new` asks the Google Form and the reviewers' Docs whether input
came in that the store does not have yet, with the same one read `collect` makes, and writes nothing. A
scheduled look gives a review waiting on Google a run only when this says so (scr.services.advancing)."""

from __future__ import annotations

import datetime as dt

import pytest

from scr.domain.schedule import Schedule
from tests.corpus.test_odd_google_answers import NAMES, REVIEWER, T0, google  # noqa: F401 (the fixture)
from tests.google.test_form_channel import _channel, _ratings
from tests.google_emulator import Behaviours, GoogleEmulator
from tests.samples import sample_review


@pytest.mark.parametrize("filter_time", ["lastSubmittedTime", "createTime"])
def test_the_form_says_whether_collect_would_keep_a_response_and_keeps_none_itself(tmp_path, filter_time) -> None:
    with GoogleEmulator(behaviours=Behaviours(filter_time=filter_time)) as emu:
        channel, store = _channel(emu, tmp_path)
        review = sample_review()
        member, other = review.members[0], review.members[1]
        assert channel.has_new(review) is False, "no form yet: nothing to look for"
        channel.open(review)
        channel.link_for(review, member)
        channel.link_for(review, other)
        form_id = store.google_form(review.review_id).form_id
        schedule: Schedule = store.schedule(review.review_id)
        assert channel.has_new(review) is False
        first = emu.add_response(form_id, member.email, _ratings(store, review.review_id), at=T0)
        assert channel.has_new(review) is True
        assert channel.has_new(review) is True, "looking keeps nothing: it still waits"
        assert store.response_versions(review.review_id) == {}
        assert store.google_responses_seen(review.review_id) == set()
        emu.add_response(form_id, other.email, _ratings(store, review.review_id), at=T0 + dt.timedelta(days=1))
        assert channel.collect(review, schedule) == 2
        assert channel.has_new(review) is False, "a re-read over the overlap finds nothing unseen"
        emu.edit_response(form_id, first["responseId"], _ratings(store, review.review_id, comment="on reflection"),
                          at=T0 + dt.timedelta(days=2))
        # As collect: an edit is found at once where the filter compares the last submission; where it compares
        # the creation time, an edit of a response older than the latest is found at the close (a full read).
        expected = filter_time == "lastSubmittedTime"
        assert channel.has_new(review) is expected
        assert channel.collect(review, schedule) == int(expected), "collect finds what has_new said"
        assert channel.has_new(review) is False


def test_the_reviewers_docs_say_whether_a_comment_or_reply_came_in_since_they_were_read(google) -> None:  # noqa: F811
    g = google
    assert g.reviewers.has_new(g.review) is False, "no copy yet"
    doc = g.summary_doc()
    assert g.reviewers.has_new(g.review) is False, "a copy nobody has commented on"
    comment = g.comment(REVIEWER, "More on housing, please.", None, minutes=5)
    assert g.reviewers.has_new(g.review) is True
    [jane] = [i for i in g.store.reviewer_inputs(g.review.review_id) if i.reviewer.email == REVIEWER]
    assert jane.comments == (), "looking keeps nothing"
    assert g.reviewers.collect(g.review) == 1
    assert g.reviewers.has_new(g.review) is False, "read to that comment: nothing newer"
    g.emu.add_reply(doc, comment["id"], REVIEWER, NAMES[REVIEWER], "And schooling.", at=T0 + dt.timedelta(minutes=9))
    assert g.reviewers.has_new(g.review) is True, "a reply makes its comment newer (Drive: modifiedTime)"
    g.reviewers.collect(g.review)
    assert g.reviewers.has_new(g.review) is False
