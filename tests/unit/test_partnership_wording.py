"""In a safeguarding partnership's review no document or email speaks of a board, an LSCB or a Serious Case
Review; the marker's own words stay, verbatim and attributed."""

from __future__ import annotations

import pytest

from scr.rendering import Renderer
from scr.services.messages import compose
from tests import render_samples as samples
from tests.wording import MARKER_QUOTATIONS, find_board_wording, quotations_are_attributed

PARTNERSHIP = samples.partnership_review()
CONTEXTS = samples.contexts(the_review=PARTNERSHIP)
NAMES = [PARTNERSHIP.board_name, *PARTNERSHIP.agencies]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("name", list(CONTEXTS))
def test_no_board_wording_is_left_in_a_partnerships_documents_and_emails(renderer, name):
    out = renderer.render(name, **CONTEXTS[name])
    assert find_board_wording(out, NAMES) == []
    assert quotations_are_attributed(out) == []


@pytest.mark.parametrize("name", list(CONTEXTS))
def test_the_same_check_finds_board_wording_in_an_lscbs_documents(renderer, name):
    lscb = samples.contexts()[name]
    out = renderer.render(name, **lscb)
    if name.endswith(".md.j2") or "email/documents-ready" in name or "email/invitation" in name:
        assert find_board_wording(out, [lscb["review"].board_name]), "an LSCB's text still says board"


def test_the_marker_is_quoted_verbatim_in_the_partnerships_documents(renderer):
    tor = renderer.render("terms-of-reference.md.j2", **CONTEXTS["terms-of-reference.md.j2"])
    evidence = renderer.render("qm6-evidence.md.j2", **CONTEXTS["qm6-evidence.md.j2"])
    assert MARKER_QUOTATIONS[-1] in tor and "NSPCC/SCIE (2016)" in tor
    assert all(question in evidence for question in MARKER_QUOTATIONS[:4])
    assert "Under Working Together 2023 its questions apply to the safeguarding partners" in evidence


def test_the_terms_of_reference_record_the_rapid_review_and_the_notification(renderer):
    out = renderer.render("terms-of-reference.md.j2", **CONTEXTS["terms-of-reference.md.j2"])
    background = out.split("## 2. Background")[1].split("\n## ")[0]
    assert "completed the rapid review on 30 October 2026" in background
    assert "Agencies did not share what they knew of domestic abuse." in background
    decision = out.split("## 3. Decision and criteria")[1].split("\n## ")[0]
    assert "notified the Child Safeguarding Practice Review Panel on 14 October 2026, within the 5 working days" \
        in decision
    assert "completed on 30 October 2026, within the 15 working days allowed (by 2 November 2026)" in decision
    assert "is a serious child safeguarding case" in decision and "regulation 11" in decision
    assert "- highlights or may highlight concerns regarding two or more agencies working together" in decision
    assert "recurrent themes" not in decision  # a criterion the partners did not find stays out
    assert "- Northshire Police (the chief officer of police)" in decision


def test_the_terms_of_reference_set_the_statutory_partners_apart_from_relevant_agencies(renderer):
    out = renderer.render("terms-of-reference.md.j2", **CONTEXTS["terms-of-reference.md.j2"])
    agencies = out.split("## 7. Agencies involved")[1].split("\n## ")[0]
    partners, relevant = agencies.split("Relevant agencies asked for input:")
    assert "- Northshire Council CSC (the local authority)" in partners
    assert "- Northshire Education Service" in relevant and "Northshire Police" not in relevant


def test_a_missing_rapid_review_is_a_highlighted_placeholder(renderer):
    import dataclasses

    review = dataclasses.replace(PARTNERSHIP, rapid_review=None)
    out = renderer.render("terms-of-reference.md.j2", **{**CONTEXTS["terms-of-reference.md.j2"], "review": review})
    assert "==**To be completed by the safeguarding partners:** the date and the outcome of the rapid review" in out
    assert "when it notified the Child Safeguarding Practice Review Panel (within 5 working days)" in out


def test_the_factor_summary_opens_with_the_case_and_the_factors_at_a_glance(renderer):
    out = renderer.render("factor-summary.md.j2", **CONTEXTS["factor-summary.md.j2"])
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## The case", "## The factors at a glance", "## Who answered"]
    assert "completed the rapid review on 30 October 2026" in out
    assert ("| B1 types of strengths and vulnerabilities of the family and carers, kinds of risks posed to the "
            "child(ren) or young person | central | 4 central or significant, 1 minor or not relevant | "
            "local authority and police | 1 of 3 |") in out
    assert "| Northshire Police | the chief officer of police | 2 | 2 |" in out
    assert "| Northshire Education Service | no (relevant agency) | 1 | 0 |" in out


def test_every_email_is_marked_greets_by_title_and_surname_and_asks_for_no_case_details(renderer):
    for name in (n for n in CONTEXTS if n.startswith("email/")):
        kind = name.removeprefix("email/").removesuffix(".txt.j2")
        context = {k: v for k, v in CONTEXTS[name].items() if k not in ("review", "vocab")}
        message = compose(renderer, PARTNERSHIP, kind, "Dr Helen Okafor", "helen.okafor@nhs.example.org", **context)
        assert message.subject.startswith("OFFICIAL-SENSITIVE: ")
        assert "Local Child Safeguarding Practice Review SCR-2026-014" in message.subject
        assert "Please do not reply to this email with details of the case" in message.body
        greeting = message.body.splitlines()[0]
        assert greeting in ("Dear Dr Okafor,", "Dear Ms Shah,", "Dear Jane Whitfield,"), greeting
