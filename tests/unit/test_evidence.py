"""assess(): evidence for the four self-assessment questions of quality marker 6."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from scr.domain.evidence import QUESTIONS, assess, format_when
from scr.domain.model import Event, ItemAnswer, ReviewerComment, ReviewerInput
from scr.domain.rationale import build_rationale
from scr.domain.summary import consolidate
from tests import samples

AT = dt.datetime(2026, 12, 8, 9, 0)
OPENED = samples.OPENED


def evidence_for(review, form, reviewer_form, responses, events, inputs, versions=None, decided=True):
    """The evidence, by default once the board's decisions are recorded (``decided=False``: before)."""
    record = samples.board_record(review, form, reviewer_form, inputs) if decided else None
    summary = consolidate(review, form, responses, AT)
    rationale = build_rationale(summary, form, reviewer_form, inputs, record)
    versions = {r.member_email: 1 for r in responses} if versions is None else versions
    return assess(review, form, summary, rationale, events, responses, versions, inputs, reviewer_form, record)


@pytest.fixture
def full(review, form, reviewer_form):
    """Everyone invited and answered; both reviewers sent the summary, commented and completed."""
    responses = samples.sample_responses(review, form, seed=14)
    return evidence_for(
        review,
        form,
        reviewer_form,
        responses,
        samples.sample_events(review),
        samples.sample_reviewer_inputs(review),
    )


def verdicts(evidence) -> list[str]:
    return [q.verdict for q in evidence.questions]


def test_format_when():
    assert format_when(dt.datetime(2026, 11, 26, 14, 5)) == "26 November 2026, 14:05"
    assert format_when(dt.datetime(2026, 12, 3, 9, 0)) == "3 December 2026, 09:00"


def test_four_questions_in_the_markers_words(full):
    assert [q.number for q in full.questions] == [1, 2, 3, 4]
    assert tuple(q.question for q in full.questions) == QUESTIONS
    assert full.review_id == "SCR-2026-014"


def test_everything_done_is_yes_to_every_question(full):
    assert verdicts(full) == ["Yes", "Yes", "Yes", "Yes"]
    assert all(q.missing == () for q in full.questions)


def test_only_the_boards_recorded_decisions_make_an_answer_yes(review, form, reviewer_form):
    undecided = evidence_for(review, form, reviewer_form, samples.sample_responses(review, form, seed=14),
                             samples.sample_events(review), samples.sample_reviewer_inputs(review), decided=False)
    assert verdicts(undecided) == ["evidence ready for the decision"] * 4
    assert all(q.missing[-1].startswith("the board's recorded decisions on A1 to A5") for q in undecided.questions)
    assert undecided.record is None


def test_no_stays_no_without_a_record(review, form, reviewer_form):
    nothing = evidence_for(review, form, reviewer_form, [], [], [], decided=False)
    assert verdicts(nothing) == ["No", "No", "No", "No"]


def test_each_reviewer_item_is_accounted_for_with_what_the_board_did(review, form, reviewer_form):
    inputs = samples.sample_reviewer_inputs(review)
    before = evidence_for(review, form, reviewer_form, [], samples.sample_events(review), inputs, decided=False)
    after = evidence_for(review, form, reviewer_form, [], samples.sample_events(review), inputs)
    rows = [(i.reviewer, i.kind, i.made_on, i.cited_in) for i in after.reviewer_items]
    assert rows == [
        ("Jane Whitfield", "comment", "section A3", ("section 5, A3",)),
        ("Jane Whitfield", "proposal", "Proposed change to the method or approach", ("section 5, A3", "section 9")),
        ("Samuel Osei", "comment", "section A1", ("section 5, A1",)),
    ]
    assert [i.taken for i in before.reviewer_items] == ["cited", "awaiting the decision", "cited"]
    assert [(i.taken, i.reason) for i in after.reviewer_items][1] == ("adopted", "Why, on method.")


def test_member_records(review, form, reviewer_form):
    first, second, third = review.members[:3]
    responses = [
        samples.response(first.email, OPENED + dt.timedelta(days=1)),
        samples.response(first.email, OPENED + dt.timedelta(days=3)),
        samples.response(second.email, OPENED + dt.timedelta(days=12), late=True),
    ]
    events = [
        Event("invited", OPENED + dt.timedelta(hours=2), first.email),
        Event("invited", OPENED, first.email),
        Event("reminded", OPENED + dt.timedelta(days=7), first.email),
        Event("reminded", OPENED + dt.timedelta(days=5), first.email.upper()),
    ]
    versions = {first.email: 2, second.email: 1}
    evidence = evidence_for(review, form, reviewer_form, responses, events, [], versions)
    one, two, three = evidence.members[:3]
    assert (one.name, one.agency, one.role) == (first.name, first.agency, first.role)
    assert one.invited_at == OPENED
    assert one.reminded_at == (OPENED + dt.timedelta(days=5), OPENED + dt.timedelta(days=7))
    assert one.answered_at == OPENED + dt.timedelta(days=3)
    assert (one.versions, one.late) == (2, False)
    assert (two.versions, two.late, two.invited_at) == (1, True, None)
    assert (three.answered_at, three.versions, three.reminded_at) == (None, 0, ())
    assert [m.name for m in evidence.members] == [m.name for m in review.members]


def test_q1_points_say_who_was_asked_and_who_answered(review, form, reviewer_form):
    responses = [samples.response(m.email) for m in review.members[:11]]
    responses.append(samples.response(review.members[11].email, late=True))
    events = samples.sample_events(review, reminded=4)
    q1 = evidence_for(review, form, reviewer_form, responses, events, []).questions[0]
    assert q1.verdict == "Yes"
    text = "\n".join(q1.points)
    assert f"13 of 13 members were invited on {format_when(OPENED)}." in q1.points
    assert "4 members were sent at least one reminder." in q1.points
    assert "12 members answered (1 after the close), from NHS Northshire Hospitals Trust, Northshire Police" in text
    assert "Did not answer: Claire Dunn (Family Support Northshire (voluntary sector))." in q1.points
    assert "not included in the summary: Ruth Adeyemi (Northshire Mental Health Trust)." in text
    assert "open question: Q1 any information you think relevant" in text
    assert f"Member input closed on {format_when(samples.CLOSED)}." in q1.points


def test_q1_partly_when_some_members_were_not_invited(review, form, reviewer_form):
    events = [Event("invited", OPENED, m.email) for m in review.members[:-1]]
    q1 = evidence_for(review, form, reviewer_form, [], events, []).questions[0]
    assert q1.verdict == "Partly"
    assert "Not invited: Claire Dunn (Family Support Northshire (voluntary sector))." in q1.points


def test_q1_partly_without_an_open_question(review, form, reviewer_form):
    further = [s for s in form.sections if s.id != "further"]
    closed_form = form.model_copy(update={"sections": further})
    events = samples.sample_events(review)
    q1 = evidence_for(review, closed_form, reviewer_form, [], events, []).questions[0]
    assert q1.verdict == "Partly"
    assert not any("open question" in p for p in q1.points)


def test_q1_no_when_no_one_was_invited(review, form, reviewer_form):
    q1 = evidence_for(review, form, reviewer_form, [], [], []).questions[0]
    assert q1.verdict == "No"
    assert "0 of 13 members were invited." in q1.points


def test_reviewer_records(full, review):
    jane, samuel = full.reviewers
    assert jane.name == "Jane Whitfield" and samuel.name == "Samuel Osei"
    assert jane.sent_summary_at == samples.CLOSED + dt.timedelta(hours=1)
    assert (jane.comments, samuel.comments) == (1, 1)
    assert jane.proposals == ("Proposed change to the method or approach",)
    assert samuel.proposals == ()
    assert jane.completed_at == samples.CLOSED + dt.timedelta(days=5)


def test_blank_reviewer_comments_and_proposals_are_not_counted(review, form, reviewer_form):
    jane = review.lead_reviewers[0]
    blank = ReviewerComment(jane.email, "A1", "  ", AT)
    inputs = [ReviewerInput(jane, comments=(blank,), proposals={"scope": " ", "method": ""}, completed_at=AT)]
    evidence = evidence_for(review, form, reviewer_form, [], samples.sample_events(review), inputs)
    assert (evidence.reviewers[0].comments, evidence.reviewers[0].proposals) == (0, ())
    assert evidence.questions[1].verdict == "Partly"


def test_reviewer_completion_can_come_from_the_event(review, form, reviewer_form):
    done = samples.CLOSED + dt.timedelta(days=3)
    events = [
        *samples.sample_events(review),
        *(Event("reviewer_complete", done, r.email) for r in review.lead_reviewers),
    ]
    inputs = samples.sample_reviewer_inputs(review, complete=False)
    evidence = evidence_for(review, form, reviewer_form, [], events, inputs)
    assert [r.completed_at for r in evidence.reviewers] == [done, done]
    assert evidence.questions[1].verdict == "Yes"


def test_q2_points_per_reviewer_and_changed_decisions(full):
    q2 = full.questions[1]
    sent = format_when(samples.CLOSED + dt.timedelta(hours=1))
    done = format_when(samples.CLOSED + dt.timedelta(days=5))
    assert q2.points[0] == (
        f"Jane Whitfield: sent the factor summary on {sent}; 1 comment; "
        f"1 proposal (Proposed change to the method or approach); completed on {done}."
    )
    assert q2.points[1].startswith("Samuel Osei: sent the factor summary on ")
    assert "; 0 proposals; " in q2.points[1]
    assert q2.points[-2].startswith("The lead reviewers' proposals bear on: A3 the method or approach")
    assert q2.points[-1] == "No decision was changed by a lead reviewer's proposal."  # adopted, same option


def test_q2_partly_when_a_reviewer_has_not_completed(review, form, reviewer_form):
    inputs = samples.sample_reviewer_inputs(review)
    inputs[1] = dataclasses.replace(inputs[1], completed_at=None)
    q2 = evidence_for(review, form, reviewer_form, [], samples.sample_events(review), inputs).questions[1]
    assert q2.verdict == "Partly"
    assert "not yet completed" in q2.points[1]


def test_q2_partly_when_reviewers_gave_no_input(review, form, reviewer_form):
    inputs = [ReviewerInput(r, completed_at=AT) for r in review.lead_reviewers]
    q2 = evidence_for(review, form, reviewer_form, [], samples.sample_events(review), inputs).questions[1]
    assert q2.verdict == "Partly"
    assert "No decision was changed by a lead reviewer's proposal." in q2.points


def test_q2_partly_when_the_summary_reached_only_some_reviewers(review, form, reviewer_form):
    events = [Event("summary_sent", AT, review.lead_reviewers[0].email)]
    q2 = evidence_for(review, form, reviewer_form, [], events, samples.sample_reviewer_inputs(review)).questions[1]
    assert q2.verdict == "Partly"
    assert "Samuel Osei: not sent;" in q2.points[1]


def test_a_factor_weighed_not_relevant_is_told_by_its_label_with_no_markdown_escape(review, form, reviewer_form):
    responses = [samples.response(review.members[0].email, B1=ItemAnswer(rating="not_relevant"))]
    q3 = evidence_for(review, form, reviewer_form, responses, [], []).questions[2]
    point = next(p for p in q3.points if p.startswith("B1 "))
    assert point.endswith("weighed as \u201cNot relevant to this case\u201d.") and "not_relevant" not in point


def test_invitations_sent_within_one_minute_are_told_as_on_not_between(review, form, reviewer_form):
    events = [Event("invited", OPENED + dt.timedelta(seconds=n), m.email) for n, m in enumerate(review.members)]
    q1 = evidence_for(review, form, reviewer_form, [], events, []).questions[0]
    assert f"13 of 13 members were invited on {format_when(OPENED)}." in q1.points
    assert not any("between" in point for point in q1.points)


def test_q2_no_when_the_summary_was_not_sent(review, form, reviewer_form):
    events = samples.sample_events(review, sent=False)
    q2 = evidence_for(review, form, reviewer_form, [], events, samples.sample_reviewer_inputs(review)).questions[1]
    assert q2.verdict == "No"


def test_q3_partly_names_factors_with_and_without_input(review, form, reviewer_form):
    responses = [
        samples.response(review.members[0].email, B1=ItemAnswer(rating="central"), C3=ItemAnswer(rating="minor"))
    ]
    evidence = evidence_for(review, form, reviewer_form, responses, [], [])
    q3 = evidence.questions[2]
    assert q3.verdict == "Partly"
    assert q3.points[0] == "2 of 9 case and context factors had member input."
    assert (f"B1 {form.item('B1').label}: 1 member gave a weight; weighed as \u201cCentral: should shape the "
            "review\u201d.") in q3.points
    assert f"B2 {form.item('B2').label}: no member input." in q3.points
    assert evidence.factors_with_input == (f"B1 {form.item('B1').label}", f"C3 {form.item('C3').label}")
    assert len(evidence.factors_without_input) == 7
    assert evidence.factors_without_input[0] == f"B2 {form.item('B2').label}"


def test_q3_no_when_no_factor_had_input(review, form, reviewer_form):
    responses = [samples.response(review.members[0].email, B1=ItemAnswer(rating="dont_know"))]
    evidence = evidence_for(review, form, reviewer_form, responses, [], [])
    assert evidence.questions[2].verdict == "No"
    assert evidence.factors_with_input == ()


def test_q3_yes_lists_every_factor_with_input(full, form):
    assert full.factors_with_input == tuple(f"{f.id} {f.label}" for f in form.factors())
    assert full.factors_without_input == ()


def test_q4_partly_names_decisions_lacking_case_or_context(review, form, reviewer_form):
    # B1 bears on A1, A2, A4, A5; C2 on A3, A4: only A4 cites both
    responses = [
        samples.response(review.members[0].email, B1=ItemAnswer(rating="central"), C2=ItemAnswer(rating="minor"))
    ]
    q4 = evidence_for(review, form, reviewer_form, responses, [], []).questions[3]
    assert q4.verdict == "Partly"
    points = dict(p.split(" ", 1) for p in q4.points)
    assert points["A4"].endswith(": cites case B1; context C2.")
    assert points["A1"].endswith(": cites case B1; context no context factor.")
    assert points["A3"].endswith(": cites case no case factor; context C2.")


def test_q4_no_when_no_decision_cites_both(review, form, reviewer_form):
    q4 = evidence_for(review, form, reviewer_form, [], [], []).questions[3]
    assert q4.verdict == "No"
    assert len(q4.points) == 6 and q4.points[-1].startswith("Reasons were recorded for every decision, agreed on")
    assert q4.missing[0] == "A1: a factor related to the case"


def test_steering_decisions_say_when_and_who(review, form, reviewer_form):
    manager = review.business_manager
    events = [
        Event("decision", AT + dt.timedelta(hours=1), "chair@elsewhere.example.org", "extended the deadline"),
        Event("decision", AT, manager.email, "closed member input early"),
        Event("documents_written", AT + dt.timedelta(hours=2)),
    ]
    evidence = evidence_for(review, form, reviewer_form, [], events, [])
    assert evidence.decisions == (
        (f"{format_when(AT)} by Priya Shah", "closed member input early"),
        (
            f"{format_when(AT + dt.timedelta(hours=1))} by chair@elsewhere.example.org",
            "extended the deadline",
        ),
    )


def test_no_answer_or_comment_text_reaches_the_evidence(review, form, reviewer_form):
    canaries = [f"CANARY{i}xq" for i in range(8)]
    police, other = review.members[2].email, review.members[5].email
    responses = [
        samples.response(
            police,
            B1=ItemAnswer(rating="central", comment=canaries[0]),
            A1=ItemAnswer(choice="other", other=canaries[1], comment=canaries[2]),
            A2=ItemAnswer(comment=canaries[3]),
            Q1=ItemAnswer(comment=canaries[4]),
        ),
        samples.response(other, late=True, P1=ItemAnswer(comment=canaries[5])),
    ]
    jane, samuel = review.lead_reviewers
    inputs = [
        ReviewerInput(jane, comments=(ReviewerComment(jane.email, "A1", canaries[6], AT),), completed_at=AT),
        ReviewerInput(samuel, proposals={"scope": canaries[7], "method": canaries[7]}, completed_at=AT),
    ]
    evidence = evidence_for(review, form, reviewer_form, responses, samples.sample_events(review), inputs)
    assert evidence.reviewers[1].proposals  # the proposals were seen, by label
    everything = repr(evidence)
    assert [c for c in canaries if c.lower() in everything.lower()] == []
