"""build_rationale(): the rationale for a proportionate approach, decision by decision."""

from __future__ import annotations

import datetime as dt

import pytest

from scr.domain.decisions import BoardDecision, DecisionRecord, ProposalTaken, Taken
from scr.domain.model import ItemAnswer, ReviewerComment, ReviewerInput
from scr.domain.rationale import TEXT_PROPOSAL, build_rationale
from scr.domain.summary import consolidate
from tests import samples

AT = dt.datetime(2026, 12, 8, 9, 0)
POLICE, HOMES, NHS = "Northshire Police", "Northshire Homes", "NHS Northshire Hospitals Trust"
COUNCIL = "Northshire Council Children's Social Care"
LT = "SCIE Learning Together (systems model)"
SILP = "SILP (Significant Incident Learning Process)"


def rationale_for(review, form, reviewer_form, answers: dict[int, dict[str, ItemAnswer]], inputs=()):
    responses = [samples.response(review.members[i].email, **a) for i, a in answers.items()]
    summary = consolidate(review, form, responses, AT)
    return build_rationale(summary, form, reviewer_form, list(inputs))


def r(rating: str) -> ItemAnswer:
    return ItemAnswer(rating=rating)


@pytest.fixture
def rationale(review, form, reviewer_form):
    answers = {
        0: {"B2": r("central"), "B3": r("dont_know"), "A3": ItemAnswer(choice="learning_together")},
        2: {"B1": r("central"), "C4": r("minor"), "A3": ItemAnswer(choice="learning_together")},
        3: {"B1": r("significant"), "C3": r("central"), "A3": ItemAnswer(choice="silp")},
        4: {"B1": r("minor"), "C3": r("significant"), "C2": r("significant")},
        10: {"B2": r("minor")},
    }
    return rationale_for(review, form, reviewer_form, answers)


def test_one_rationale_per_decision_in_form_order(rationale, form):
    assert [d.item_id for d in rationale.decisions] == ["A1", "A2", "A3", "A4", "A5"]
    assert rationale.decision("A3").label == form.item("A3").label


def test_decision_cites_case_and_context_factors_with_input(rationale):
    a1 = rationale.decision("A1")  # weighed with B1, B2, B3, C3, C4, C6
    assert [c.item_id for c in a1.case_factors] == ["B1", "B2"]  # B3 had only "don't know"
    assert [c.item_id for c in a1.context_factors] == ["C3", "C4"]  # C6 had no input
    assert a1.cites_case_and_context
    assert {c.group for c in a1.case_factors} == {"case"}


def test_citations_are_weightiest_first_then_by_id(review, form, reviewer_form):
    answers = {
        0: {"B1": r("significant"), "B2": r("central"), "B3": r("minor")},
        1: {"B2": r("central"), "B3": r("central")},
        2: {"B1": r("central")},
    }
    a1 = rationale_for(review, form, reviewer_form, answers).decision("A1")
    assert [(c.item_id, c.weighty) for c in a1.case_factors] == [("B1", 2), ("B2", 2), ("B3", 1)]


def test_citation_names_the_agencies_rating_it_weighty(rationale, form):
    b1 = rationale.decision("A1").case_factors[0]
    assert (b1.item_id, b1.label, b1.weighty, b1.answered) == ("B1", form.item("B1").label, 2, 3)
    assert b1.agencies == (POLICE,)
    assert b1.weight == "significant"


def test_decision_without_context_input_does_not_cite_both(rationale):
    a2 = rationale.decision("A2")  # weighed with B1, B2, C1, C5; no one rated C1 or C5
    assert a2.context_factors == ()
    assert not a2.cites_case_and_context


def test_factors_without_weight_lists_every_factor_no_one_rated_weighty(rationale):
    ids = [c.item_id for c in rationale.factors_without_weight]
    assert ids == ["B3", "C1", "C4", "C5", "C6"]
    assert {c.weighty for c in rationale.factors_without_weight} == {0}


def test_choice_view_and_a_majority_proposal(rationale):
    a3 = rationale.decision("A3")
    assert (
        a3.member_view
        == f"Of 3 members who chose an option, 2 chose {LT} ({NHS}, {POLICE}); 1 chose {SILP} ({POLICE})."
    )
    assert a3.settled and a3.proposed == f"{LT}, the option most members who chose one preferred."
    assert not a3.changed_by_reviewers
    assert [t.count for t in a3.member_tallies if t.value == "learning_together"] == [2]


def test_divided_choice_is_left_to_the_board(review, form, reviewer_form):
    answers = {0: {"A3": ItemAnswer(choice="silp")}, 2: {"A3": ItemAnswer(choice="learning_together")}}
    a3 = rationale_for(review, form, reviewer_form, answers).decision("A3")
    assert not a3.settled and a3.proposed.startswith("members were divided between ")
    assert LT in a3.proposed and SILP in a3.proposed


def test_other_option_and_its_words_are_carried(review, form, reviewer_form):
    answers = {0: {"A1": ItemAnswer(choice="other", other="Two phases")}}
    a1 = rationale_for(review, form, reviewer_form, answers).decision("A1")
    assert "another option members described (below)" in a1.member_view
    assert a1.settled
    assert a1.proposed.startswith("another option members described (below), the option most members")
    assert [o.text for o in a1.member_others] == ["Two phases"]


def test_no_view_on_a_decision(rationale):
    a1 = rationale.decision("A1")
    assert a1.member_view == "No member gave a view on this decision."
    assert not a1.settled and a1.proposed == "no member chose an option."


def test_multi_lists_every_agency_named_with_its_count_and_flags_the_silent(review, form, reviewer_form):
    police, homes, probation = "northshire_police", "northshire_homes", "probation_service"
    answers = {
        0: {"A5": ItemAnswer(choices=(police, homes))},
        1: {"A5": ItemAnswer(choices=(police, probation))},
        2: {"A5": ItemAnswer(choices=(police,))},
        3: {"A5": ItemAnswer(choices=(homes,))},
    }
    a5 = rationale_for(review, form, reviewer_form, answers).decision("A5")
    assert a5.member_view == (
        f"Of 4 members who gave a view, every agency named, with how many named it: {POLICE}: 3; {HOMES}: 2; "
        "Probation Service: 1."
    )
    assert a5.settled and a5.proposed == f"involve every agency members named: {POLICE}, {HOMES}, Probation Service."
    assert a5.silent_agencies == (COUNCIL, "Northshire Integrated Care Board", "Northshire Education Service",
                                  "Probation Service", HOMES, "Northshire Mental Health Trust",
                                  "Family Support Northshire (voluntary sector)")  # no member of theirs answered


def test_text_decision_view_and_proposal(review, form, reviewer_form):
    answers = {i: {"A2": ItemAnswer(comment=f"Area {i}")} for i in (0, 4, 7)}
    a2 = rationale_for(review, form, reviewer_form, answers).decision("A2")
    assert a2.member_view.startswith("3 members answered; their words follow")
    assert not a2.settled and a2.proposed == TEXT_PROPOSAL
    assert [c.said_by[0].partition(" (")[0] for c in a2.member_comments] == [NHS, COUNCIL,
                                                                             "Northshire Integrated Care Board"]


def test_identical_comments_are_shown_once_with_every_agency(review, form, reviewer_form):
    answers = {i: {"P1": ItemAnswer(comment="An inquest is expected. ")} for i in (0, 2)}
    answers[4] = {"P1": ItemAnswer(comment="an inquest is expected.")}
    summary = consolidate(review, form, [samples.response(review.members[i].email, **a) for i, a in answers.items()],
                          AT)
    from scr.domain.voices import quotes

    (quote,) = quotes(summary.item("P1").comments)
    assert quote.said_by == (f"{NHS} (Named doctor for safeguarding)", f"{POLICE} (Head of public protection)",
                             f"{COUNCIL} (Director of children's services)")


def test_reviewer_comments_and_proposals_bear_on_their_decisions(review, form, reviewer_form, rationale):
    inputs = samples.sample_reviewer_inputs(review)  # Jane: comment on A3, method proposal; Samuel: comment on A1
    answers = {0: {"A3": ItemAnswer(choice="silp")}}
    rat = rationale_for(review, form, reviewer_form, answers, inputs)
    a3 = rat.decision("A3")
    assert [(x.reviewer, x.kind, x.section_id) for x in a3.reviewer_remarks] == [
        ("Jane Whitfield", "comment", "A3"),
        ("Jane Whitfield", "proposal", "method"),
    ]
    assert a3.reviewer_remarks[1].proposal == "Proposed change to the method or approach"
    assert a3.reviewer_remarks[1].text == inputs[0].proposals["method"]
    assert not a3.changed_by_reviewers  # a proposal is a proposal: nothing changed until the board decides
    assert a3.settled and a3.proposed == f"{SILP}, the option most members who chose one preferred."
    a1 = rat.decision("A1")
    assert [(x.reviewer, x.kind) for x in a1.reviewer_remarks] == [("Samuel Osei", "comment")]
    assert not a1.changed_by_reviewers


def test_a_proposal_bears_on_every_decision_it_names(review, form, reviewer_form):
    jane = review.lead_reviewers[0]
    inputs = [ReviewerInput(jane, proposals={"scope": "Start from the pregnancy."})]
    rat = rationale_for(review, form, reviewer_form, {}, inputs)
    assert [d.item_id for d in rat.decisions if any(r.kind == "proposal" for r in d.reviewer_remarks)] == ["A1", "A2"]
    assert not any(d.changed_by_reviewers for d in rat.decisions)
    assert rat.decision("A2").proposed == TEXT_PROPOSAL and not rat.decision("A2").settled
    assert rat.decision("A2").reviewer_remarks[0].proposal.startswith("Proposed change to the scope")


def test_empty_remarks_are_left_out_and_change_nothing(review, form, reviewer_form):
    jane = review.lead_reviewers[0]
    blank = ReviewerComment(jane.email, "A4", "   ", AT)
    inputs = [ReviewerInput(jane, comments=(blank,), proposals={"reviewer_skills": "", "unknown": "x"})]
    a4 = rationale_for(review, form, reviewer_form, {}, inputs).decision("A4")
    assert a4.reviewer_remarks == ()
    assert not a4.changed_by_reviewers


def test_a_comment_on_a_factor_reaches_every_decision_it_weighs_on(review, form, reviewer_form):
    jane = review.lead_reviewers[0]
    inputs = [ReviewerInput(jane, comments=(ReviewerComment(jane.email, "C1", "Start from the 2024 review.", AT),
                                            ReviewerComment(jane.email, "general", "Broad input.", AT)))]
    rat = rationale_for(review, form, reviewer_form, {}, inputs)
    assert [d.item_id for d in rat.decisions if d.reviewer_remarks] == ["A2", "A5"]  # C1 weighs on A2 and A5
    assert [r.text for r in rat.remarks_apart] == ["Broad input."]


def _record(review, item_id: str, chosen: tuple[str, ...], taken: Taken):
    jane = review.lead_reviewers[0]
    decisions = [BoardDecision(i, reasons="r") for i in ("A1", "A2", "A4", "A5") if i != item_id]
    decisions.append(BoardDecision(item_id, chosen, reasons="r",
                                   proposals=(ProposalTaken(jane.email, "method", taken, "why"),)))
    return DecisionRecord(review.review_id, tuple(decisions), "the board", dt.date(2026, 12, 18), "pm", AT)


@pytest.mark.parametrize(("chosen", "taken", "changed"), [
    (("hybrid",), Taken.ADOPTED, True),  # members leaned to SILP; the board took the proposal: changed
    (("silp",), Taken.ADOPTED, False),  # the same option members chose: no change, however it was taken
    (("hybrid",), Taken.NOT_ADOPTED, False),  # a different option, but not because of the proposal
])
def test_a_decision_changed_only_when_the_board_took_a_proposal_and_decided_otherwise(
        review, form, reviewer_form, chosen, taken, changed):
    jane = review.lead_reviewers[0]
    inputs = [ReviewerInput(jane, proposals={"method": "A hybrid review."})]
    responses = [samples.response(review.members[0].email, A3=ItemAnswer(choice="silp"))]
    summary = consolidate(review, form, responses, AT)
    rat = build_rationale(summary, form, reviewer_form, inputs, _record(review, "A3", chosen, taken))
    a3 = rat.decision("A3")
    assert a3.changed_by_reviewers is changed
    assert [(r.section_id, t.taken if t else None) for r, t in a3.taken] == [("method", taken)]
