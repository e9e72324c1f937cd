"""A round of invitations that stops part-way (a mailer that fails) is finished by the next run, each member
invited once: with a mailer that never sends a message twice the round is recorded after its last message;
with any other, each invitation is recorded after its own send, so none but the one in flight goes again."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from scr.errors import ScrError
from scr.services.members import invite_members


class Mailbox:
    """A mailer that keeps what it sends, and fails once, at its ``fail_at``-th message."""

    def __init__(self, deduplicates: bool, fail_at: int | None):
        self.deduplicates, self.fail_at = deduplicates, fail_at
        self.sent: list[str] = []

    def send(self, review_id: str, message) -> None:
        if len(self.sent) + 1 == self.fail_at:
            self.fail_at = None
            raise ScrError("the mail server went away")
        if self.deduplicates and message.to_email in self.sent:
            return
        self.sent.append(message.to_email)


@pytest.mark.parametrize("deduplicates, recorded_when_it_failed", [(True, 0), (False, 4)])
def test_a_round_that_failed_part_way_is_finished_once(started_review, deduplicates, recorded_when_it_failed):
    backend, review = started_review()
    mailbox = Mailbox(deduplicates, fail_at=5)
    backend = dataclasses.replace(backend, mailer=mailbox)
    with pytest.raises(ScrError, match="went away"):
        invite_members(backend, review.review_id)
    assert len(backend.store.events(review.review_id, "invited")) == recorded_when_it_failed
    assert invite_members(backend, review.review_id) == len(review.members) - recorded_when_it_failed
    assert Counter(mailbox.sent) == {m.email: 1 for m in review.members}  # each member's invitation went once
    invited = [e.person_email for e in backend.store.events(review.review_id, "invited")]
    assert sorted(invited) == sorted(m.email for m in review.members)
    assert invite_members(backend, review.review_id) == 0
