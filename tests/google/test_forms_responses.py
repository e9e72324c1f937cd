"""Reading responses from Google Forms (emulator): request counts, polling, and mapping back to answers."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from scr.backends.google.form_layout import FieldRef, PublishedForm, RawResponse, to_answers
from scr.backends.google.forms import GoogleForms
from scr.domain.forms import OTHER, MemberForm
from scr.domain.model import ItemAnswer
from tests.google_emulator import GoogleEmulator
from tests.samples import member_form, sample_review

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
AGENCIES = ["Children's Social Care", "Police", "Health, Community and Mental Health"]


def _publish(emu: GoogleEmulator, agencies: list[str], **kwargs: int) -> tuple[GoogleForms, PublishedForm]:
    forms = GoogleForms(emu.build("forms"), **kwargs)
    published = forms.publish(member_form(), agencies, "SCR-2026-014", "Why we ask")
    emu.share(published.form_id, None, "reader", view="published")  # these tests read answers, whoever gives them
    return forms, published


def _qid(published: PublishedForm, item_id: str, field: str) -> str:
    return next(q for q, ref in published.questions.items() if ref == FieldRef(item_id, field))


def _ratings(form: MemberForm, published: PublishedForm, n: int) -> dict[str, str]:
    """Every required factor answered, the scale label chosen by `n`."""
    labels = [o.label for o in form.scale]
    return {_qid(published, f.id, "rating"): labels[(n + i) % len(labels)] for i, f in enumerate(form.factors())}


def test_thirteen_members_cost_one_request_and_a_second_poll_sees_only_new(emu: GoogleEmulator) -> None:
    form, review = member_form(), sample_review()
    forms, published = _publish(emu, review.agencies)
    members = list(review.members)
    assert len(members) == 13
    for n, member in enumerate(members):
        emu.add_response(published.form_id, member.email, _ratings(form, published, n), at=T0 + timedelta(minutes=n))
    emu.reset_counts()
    first = forms.responses_since(published.form_id)
    assert emu.counts() == {"forms.forms.responses.list": 1}
    assert [r.email for r in first] == [m.email for m in members]
    latest = max(r.last_submitted for r in first)
    for n, member in enumerate(members[:2]):
        emu.add_response(published.form_id, member.email, _ratings(form, published, n + 1),
                         at=T0 + timedelta(hours=1, minutes=n))
    emu.reset_counts()
    second = forms.responses_since(published.form_id, since=latest)
    assert emu.counts() == {"forms.forms.responses.list": 1}
    assert [r.email for r in second] == [m.email for m in members[:2]]
    assert all(r.last_submitted > latest for r in second)
    assert forms.responses_since(published.form_id, since=max(r.last_submitted for r in second)) == []


def test_paging_costs_one_request_per_page(emu: GoogleEmulator) -> None:
    form = member_form()
    forms, published = _publish(emu, AGENCIES, page_size=5)
    for n in range(13):
        emu.add_response(published.form_id, f"m{n}@example.org", _ratings(form, published, n),
                         at=T0 + timedelta(seconds=n))
    emu.reset_counts()
    found = forms.responses_since(published.form_id)
    assert len(found) == 13 and len({r.response_id for r in found}) == 13
    assert emu.counts()["forms.forms.responses.list"] == math.ceil(13 / 5)


def test_to_answers_round_trips_every_field_kind(emu: GoogleEmulator) -> None:
    form = member_form()
    forms, published = _publish(emu, AGENCIES)
    answers = _ratings(form, published, 0)
    answers |= {
        _qid(published, "B1", "comment"): "Mother's partner, \u201cK\u201d, was not known;\nsee chronology.",
        _qid(published, "A1", "choice"): form.item("A1").options[1].label,
        _qid(published, "A3", "choice"): "A hybrid with a practitioner event",  # typed into "Other"
        _qid(published, "A5", "choices"): ["Police", "Health, Community and Mental Health", "Youth offending"],
        _qid(published, "A2", "comment"): "Neglect; school attendance",
    }
    emu.add_response(published.form_id, "ann@example.org", answers, at=T0)
    (raw,) = forms.responses_since(published.form_id)
    mapped = to_answers(raw, published.questions, form, AGENCIES)
    assert mapped.unknown_questions == [] and mapped.problems == []
    got = mapped.answers
    assert set(got) == {i.id for i in form.items}
    assert got["B1"] == ItemAnswer(rating="central", comment="Mother's partner, \u201cK\u201d, was not known;\n"
                                                            "see chronology.")
    assert got["B2"].rating == "significant" and got["C6"].rating == form.scale[8 % 5].value
    assert got["A1"] == ItemAnswer(choice="standard")
    assert got["A3"] == ItemAnswer(choice=OTHER, other="A hybrid with a practitioner event")
    assert got["A5"] == ItemAnswer(choices=("police", "health_community_and_mental_health", OTHER),
                                   other="Youth offending")
    assert got["A2"] == ItemAnswer(comment="Neglect; school attendance")
    assert got["Q1"].is_empty and got["A4"].is_empty
    assert raw.email == "ann@example.org" and raw.submitted_at.startswith("2026-11-27T09:00:00")


def test_unknown_questions_and_values_are_reported_without_their_text() -> None:
    form = member_form()
    questions = {"q1": FieldRef("B1", "rating"), "q2": FieldRef("A1", "choice"), "q3": FieldRef("ZZ9", "rating")}
    raw = RawResponse("r1", "ann@example.org", "2026-11-27T09:00:00Z", "2026-11-27T09:00:00Z",
                      {"q1": ["Secret rating text"], "q2": [form.item("A1").options[0].label],
                       "q3": ["x"], "added-in-ui": ["Private detail about the child"]})
    mapped = to_answers(raw, questions, form, AGENCIES)
    assert mapped.unknown_questions == ["q3", "added-in-ui"]
    assert mapped.answers["B1"].rating is None and mapped.answers["A1"].choice == "focused"
    assert any(p.startswith("B1:") for p in mapped.problems)
    assert not any("Secret" in p or "Private" in p for p in mapped.problems)
    assert len(mapped.problems) == 2
