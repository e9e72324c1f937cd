"""build_rationale(): the rationale for a proportionate approach, decision by decision."""

from __future__ import annotations

import datetime as dt

import pytest

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
        == f"Of 3 members who gave a view, 2 favoured {LT} ({NHS}, {POLICE}); 1 favoured {SILP} ({POLICE})."
    )
    assert a3.settled and a3.proposed == f"{LT}, as favoured by 2 of 3 members."
    assert not a3.changed_by_reviewers
    assert [t.count for t in a3.member_tallies if t.value == "learning_together"] == [2]


def test_divided_choice_is_left_to_the_board(review, form, reviewer_form):
    answers = {0: {"A3": ItemAnswer(choice="silp")}, 2: {"A3": ItemAnswer(choice="learning_together")}}
    a3 = rationale_for(review, form, reviewer_form, answers).decision("A3")
    assert not a3.settled and a3.proposed.startswith("views were divided between ")
    assert LT in a3.proposed and SILP in a3.proposed


def test_other_option_and_its_words_are_carried(review, form, reviewer_form):
    answers = {0: {"A1": ItemAnswer(choice="other", other="Two phases")}}
    a1 = rationale_for(review, form, reviewer_form, answers).decision("A1")
    assert "another option members described (below)" in a1.member_view
    assert a1.settled
    assert a1.proposed.startswith("Another option members described (below), as favoured by 1 of 1 members")
    assert [o.text for o in a1.member_others] == ["Two phases"]


def test_no_view_on_a_decision(rationale):
    a1 = rationale.decision("A1")
    assert a1.member_view == "No member gave a view on this decision."
    assert not a1.settled and a1.proposed == "no member chose an option."


def test_multi_names_agencies_and_involves_those_named_by_half(review, form, reviewer_form):
    police, homes, probation = "northshire_police", "northshire_homes", "probation_service"
    answers = {
        0: {"A5": ItemAnswer(choices=(police, homes))},
        1: {"A5": ItemAnswer(choices=(police, probation))},
        2: {"A5": ItemAnswer(choices=(police,))},
        3: {"A5": ItemAnswer(choices=(homes,))},
    }
    a5 = rationale_for(review, form, reviewer_form, answers).decision("A5")
    assert a5.member_view == (
        f"Of 4 members who gave a view, 3 members named {POLICE}; 2 members named {HOMES}; "
        "1 member named Probation Service."
    )
    assert a5.settled and a5.proposed == f"Involve: {POLICE}, {HOMES}."


def test_text_decision_view_and_proposal(review, form, reviewer_form):
    answers = {i: {"A2": ItemAnswer(comment=f"Area {i}")} for i in (0, 4, 7)}
    a2 = rationale_for(review, form, reviewer_form, answers).decision("A2")
    assert a2.member_view.startswith("3 members suggested any specific areas of focus or questions")
    assert a2.member_view.endswith("; their comments follow.")
    assert not a2.settled and a2.proposed == TEXT_PROPOSAL
    assert [c.agency for c in a2.member_comments] == [NHS, COUNCIL, "Northshire Integrated Care Board"]


def test_reviewer_comments_and_proposals_bear_on_their_decisions(review, form, reviewer_form, rationale):
    inputs = samples.sample_reviewer_inputs(review)  # Jane: comment on A3, method proposal; Samuel: comment on A1
    answers = {0: {"A3": ItemAnswer(choice="silp")}}
    rat = rationale_for(review, form, reviewer_form, answers, inputs)
    a3 = rat.decision("A3")
    assert [(x.reviewer, x.kind) for x in a3.reviewer_remarks] == [
        ("Jane Whitfield", "comment"),
        ("Jane Whitfield", "proposal"),
    ]
    assert a3.reviewer_remarks[1].proposal == "Proposed change to the method or approach"
    assert a3.reviewer_remarks[1].text == inputs[0].proposals["method"]
    assert a3.changed_by_reviewers
    assert a3.settled and a3.proposed == f"{SILP}, as favoured by 1 of 1 members."
    a1 = rat.decision("A1")
    assert [(x.reviewer, x.kind) for x in a1.reviewer_remarks] == [("Samuel Osei", "comment")]
    assert not a1.changed_by_reviewers


def test_a_proposal_bears_on_every_decision_it_names(review, form, reviewer_form):
    jane = review.lead_reviewers[0]
    inputs = [ReviewerInput(jane, proposals={"scope": "Start from the pregnancy."})]
    rat = rationale_for(review, form, reviewer_form, {}, inputs)
    assert [d.item_id for d in rat.decisions if d.changed_by_reviewers] == ["A1", "A2"]
    assert rat.decision("A2").proposed == TEXT_PROPOSAL and not rat.decision("A2").settled
    assert rat.decision("A2").reviewer_remarks[0].proposal.startswith("Proposed change to the scope")


def test_empty_remarks_are_left_out_and_change_nothing(review, form, reviewer_form):
    jane = review.lead_reviewers[0]
    blank = ReviewerComment(jane.email, "A4", "   ", AT)
    inputs = [ReviewerInput(jane, comments=(blank,), proposals={"reviewer_skills": "", "unknown": "x"})]
    a4 = rationale_for(review, form, reviewer_form, {}, inputs).decision("A4")
    assert a4.reviewer_remarks == ()
    assert not a4.changed_by_reviewers
