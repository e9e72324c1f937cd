"""Email addresses normalised once: where they come in (configuration, the store's rows), then compared plainly."""

from __future__ import annotations

import dataclasses
import pickle

import pydantic
import pytest

from scr.domain.email import EmailAddress, email_or_none, same_address
from scr.ports import Message
from tests.store_support import AT, example_review


def test_an_address_is_stripped_and_lower_cased_and_keeps_how_it_was_written():
    address = EmailAddress("  Ann.Okafor@Example.ORG \n")
    assert address == "ann.okafor@example.org" and address.written == "Ann.Okafor@Example.ORG"
    assert {address} == {EmailAddress("ann.okafor@example.org")} and EmailAddress(address) is address
    assert pickle.loads(pickle.dumps(address)).written == "Ann.Okafor@Example.ORG"
    assert email_or_none(None) is None and email_or_none("A@B.org") == "a@b.org"
    assert same_address("A@b.org ", "a@B.org") and not same_address("a@b.org", None)
    with pytest.raises(TypeError, match="an email address is text"):
        EmailAddress(42)


def test_a_pydantic_field_of_addresses_is_normalised():
    class Person(pydantic.BaseModel):
        email: EmailAddress

    assert Person(email=" ANN@example.org").email == "ann@example.org"
    with pytest.raises(pydantic.ValidationError):
        Person(email=None)


def test_a_review_finds_its_people_by_address_however_it_is_spelt():
    review = example_review()
    member, reviewer = review.members[0], review.lead_reviewers[0]
    assert review.member(f" {member.email.upper()} ") == member and review.member("nobody@example.org") is None
    assert review.reviewer(reviewer.email.title()) == reviewer
    shouting = dataclasses.replace(member, email=member.email.upper())
    assert shouting.email == member.email.upper(), "the configured spelling is kept, to write to"
    assert shouting.address == member.address == member.email.lower()


def test_the_store_gives_addresses_in_their_normal_form(store, review):
    member = review.members[0]
    store.save_response(review.review_id, f" {member.email.upper()}", {}, AT, late=False)
    (response,) = store.latest_responses(review.review_id)
    assert response.member_email == member.address and response.member_email.written == member.email.upper()
    assert store.response_versions(review.review_id) == {member.address: 1}
    store.set_google_responder(review.review_id, member.email.upper(), True)
    assert store.google_responders(review.review_id) == {member.address: True}


def test_a_resent_email_has_the_same_id_whatever_the_spelling_of_its_address():
    one = Message("Ann", "ANN@example.org", "Your input", "body", "invitation")
    other = dataclasses.replace(one, to_email=" ann@example.org")
    assert one.message_id("SCR-1", "bm@example.org") == other.message_id("SCR-1", "bm@example.org")
