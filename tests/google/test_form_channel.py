"""The Google Form as members meet it (emulator): made unpublished and published only when complete, its id kept
at once, open only to members through responder permissions, an address without a Google account named, and an
edited answer read whichever time the responses filter compares."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scr.backends.google.channels import GoogleFormChannel
from scr.backends.google.errors import GoogleError
from scr.backends.google.form_layout import FieldRef
from scr.backends.google.forms import GoogleForms
from scr.domain.schedule import Schedule
from scr.store.store import SqlStore
from tests.google_emulator import Behaviours, GoogleEmulator
from tests.samples import member_form, sample_review

T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def _channel(emu: GoogleEmulator, tmp_path: Path) -> tuple[GoogleFormChannel, SqlStore]:
    store = SqlStore.for_data_dir(tmp_path / "data")
    review = sample_review()
    store.create_review(review, Schedule(response_deadline=T0 + dt.timedelta(days=10)))
    forms = GoogleForms(emu.build("forms"), drive_service=emu.build("drive"))
    return GoogleFormChannel(store, forms, member_form()), store


def test_the_form_is_made_unpublished_its_id_kept_at_once_and_published_when_complete(emu, tmp_path) -> None:
    channel, store = _channel(emu, tmp_path)
    review = sample_review()
    seen: list[tuple[bool, int]] = []
    emu.faults.fail("forms.forms.batchUpdate", status=400)  # the run stops after forms.create
    with pytest.raises(GoogleError, match="HTTP 400"):
        channel.open(review)
    kept = store.google_form(review.review_id)
    made = kept.created_id
    assert made and kept.form_id is None, "the id is kept before anything else is asked"
    form = emu.state.forms[made]
    seen.append((form["publishSettings"]["publishState"]["isPublished"], len(form.get("items", []))))
    channel.open(review)  # the next run finishes that form: no second one
    assert list(emu.state.forms) == [made] and emu.counts()["forms.forms.create"] == 1
    form = emu.state.forms[made]
    seen.append((form["publishSettings"]["publishState"]["isPublished"], len(form.get("items", []))))
    assert seen[0] == (False, 0) and seen[1][0] is True and seen[1][1] > 0


def test_each_member_gets_a_responder_permission_and_an_address_without_an_account_is_named(emu, tmp_path) -> None:
    channel, store = _channel(emu, tmp_path)
    review = sample_review()
    with_account, without = review.members[0], review.members[1]
    emu.add_accounts({with_account.email: with_account.name})
    channel.open(review)
    uri = channel.link_for(review, with_account)
    assert channel.link_for(review, without) == uri
    channel.link_for(review, with_account)  # a reminder: nothing is shared again
    calls = emu.permission_calls()
    assert [(c["emailAddress"], c["view"], c["role"], c["sendNotificationEmail"]) for c in calls] == [
        (with_account.email, "published", "reader", False), (without.email, "published", "reader", True)]
    assert "Google account" in calls[1]["emailMessage"] and all(c["type"] == "user" for c in calls)
    (noted,) = store.events(review.review_id, "no_google_account")
    assert noted.person_email == without.email and without.name in noted.detail
    form_id = store.google_form(review.review_id).form_id
    emu.add_response(form_id, with_account.email, _ratings(store, review.review_id), at=T0)
    with pytest.raises(ValueError, match="cannot open form"):
        emu.add_response(form_id, review.members[2].email, _ratings(store, review.review_id), at=T0)


@pytest.mark.parametrize("filter_time", ["lastSubmittedTime", "createTime"])
def test_an_edited_answer_is_read_whichever_time_the_filter_compares(tmp_path, filter_time) -> None:
    with GoogleEmulator(behaviours=Behaviours(filter_time=filter_time)) as emu:
        channel, store = _channel(emu, tmp_path)
        review = sample_review()
        member, other = review.members[0], review.members[1]
        channel.open(review)
        channel.link_for(review, member)
        channel.link_for(review, other)
        form_id = store.google_form(review.review_id).form_id
        schedule = store.schedule(review.review_id)
        first = emu.add_response(form_id, member.email, _ratings(store, review.review_id), at=T0)
        emu.add_response(form_id, other.email, _ratings(store, review.review_id), at=T0 + dt.timedelta(days=1))
        assert channel.collect(review, schedule) == 2
        later = _ratings(store, review.review_id, comment="changed my view")
        emu.edit_response(form_id, first["responseId"], later, at=T0 + dt.timedelta(days=2))
        assert channel.collect(review, schedule) == (1 if filter_time == "lastSubmittedTime" else 0)
        assert channel.collect(review, schedule) == 0, "a re-read over the overlap keeps nothing twice"
        channel.collect(review, schedule, full=True)  # at the close
        assert channel.collect(review, schedule, full=True) == 0
        latest = {r.member_email: r for r in store.latest_responses(review.review_id)}
        assert latest[member.email].answers["B1"].comment == "changed my view"
        assert store.response_versions(review.review_id) == {member.email: 2, other.email: 1}


def _ratings(store: SqlStore, review_id: str, comment: str = "") -> dict[str, object]:
    form = member_form()
    questions = {FieldRef(*ref): q for q, ref in store.google_form(review_id).questions.items()}
    given: dict[str, object] = {questions[FieldRef(f.id, "rating")]: form.scale[1].label for f in form.factors()}
    if comment:
        given[questions[FieldRef("B1", "comment")]] = comment
    return given


def test_a_failed_share_is_looked_for_before_it_is_tried_again(emu, tmp_path) -> None:
    channel, store = _channel(emu, tmp_path)
    review = sample_review()
    channel.open(review)
    emu.faults.fail("drive.permissions.create", status=503)
    emu.reset_counts()
    channel.link_for(review, review.members[0])  # no account: the quiet share is refused, the invitation made
    counts = emu.counts()
    assert counts["drive.permissions.create"] == 3 and counts["drive.permissions.list"] == 1
    assert [c["sendNotificationEmail"] for c in emu.permission_calls()] == [True], "one invitation email"
