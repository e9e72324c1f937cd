"""On Google, a scheduled look gives a review waiting for people no run: it asks the Google Form (or the lead
reviewers' Docs) with one read whether anything came in, and gives the review a run only when something did.
Before, every look at a Google review collecting input was a run: 96 a day at 15 minutes."""

from __future__ import annotations

from scr.services import advancing
from tests.flows.google_people import GooglePeople, GooglePlan
from tests.flows.test_google_workflow import google_review
from tests.google_emulator import GoogleEmulator


def test_a_google_review_gets_a_run_only_when_an_answer_or_a_comment_came_in(tmp_path):
    with GoogleEmulator(seed=4) as emu:
        _runtime, backend, review = google_review(tmp_path, emu)  # the review's days are real days here
        rid, store = review.review_id, backend.store
        people = GooglePeople(emu, store, review, backend.member_form, backend.clock, GooglePlan())  # not started
        emails = [m.email.lower() for m in review.members]
        assert advancing.due_reviews(backend) == [rid], "a new review: invitations are due"
        advancing.advance(backend, rid)

        emu.reset_counts()
        assert advancing.due_reviews(backend) == [], "nobody has answered: no run"
        assert emu.counts() == {"forms.forms.responses.list": 1}, "one read to know it"
        people.answer(emails[0])
        assert advancing.due_reviews(backend) == [rid], "an answer came in"
        assert store.response_versions(rid) == {}, "looking kept nothing: the review's run does"
        advancing.advance(backend, rid)
        assert store.response_versions(rid) == {emails[0]: 1}
        assert advancing.due_reviews(backend) == []

        for email in emails[1:]:
            people.answer(email)
        advancing.advance(backend, rid)  # the last answer: closed, summarised, circulated to the lead reviewers
        assert store.stage(rid).value == "with lead reviewers"
        emu.reset_counts()
        assert advancing.due_reviews(backend) == [], "no comment yet: no run"
        assert set(emu.counts()) == {"drive.comments.list"}, "the reviewers' copies read, nothing else"
        people.comment_on_summary(1, review.lead_reviewers[1])  # a comment, and a reply marking it complete
        assert advancing.due_reviews(backend) == [rid]
        advancing.advance(backend, rid)
        assert store.reviewer_inputs(rid)[1].completed_at is not None
        assert advancing.due_reviews(backend) == [], "read: nothing new until the other reviewer comments"
