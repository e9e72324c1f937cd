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


def test_an_address_recorded_in_other_letters_is_the_same_member_everywhere(started_review):
    """Google and a CSV may spell a member's address in capitals: it is one address, normalised once where it is
    read (scr.domain.email), so nobody is invited or counted twice."""
    from scr.domain.email import addresses
    from scr.domain.model import Event
    from scr.services import members

    backend, review = started_review()
    first, second = review.members[0], review.members[1]
    shouted = first.email.upper()
    backend.store.record_event(review.review_id, Event("invited", backend.clock.now(), shouted, "by hand"))
    assert addresses(backend.store.events(review.review_id, "invited")) == {first.email.lower()}
    assert members.invite_members(backend, review.review_id) == len(review.members) - 1, "not the first again"
    backend.store.save_response(review.review_id, second.email.title(), {}, backend.clock.now(), late=False)
    progress = members.member_progress(backend, review.review_id)
    assert progress.invited == len(review.members) and progress.answered == 1
    assert {m.email: m.status for m in progress.members}[second.email] == "answered"
