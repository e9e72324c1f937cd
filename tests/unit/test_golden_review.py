"""A golden review: fixed answers and lead reviewer input, a board decision record, and the terms of reference
(draft 0.1 and agreed 1.0) and QM6 evidence checked point by point: every reviewer comment present, no change
claimed where none was made, "Yes" only with a decision record, identical comments once, splits defined,
every agency named counted, and what the input holds pre-filled."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from scr.domain.decisions import BoardDecision, DecisionRecord, ProposalTaken, Taken
from scr.domain.model import ItemAnswer, ReviewerComment, ReviewerInput
from scr.domain.summary import consolidate
from scr.rendering import Renderer
from scr.services.drafting import assembly, render_terms, version_table
from tests import samples

AT = dt.datetime(2026, 12, 7, 17, 0, tzinfo=dt.UTC)
DRAFTED = dt.datetime(2026, 12, 16, 9, 0, tzinfo=dt.UTC)
INQUEST = "A coroner's inquest has been opened and adjourned."
QUESTION = "Why were the two referrals closed without a home visit?"
FAMILY = "The grandmother wants to take part; the family should be seen before the trial."
GP = "The GP practice and health visiting saw the child most."
B3_SPLIT = ["central"] * 3 + ["significant"] * 3 + ["minor"] * 3 + ["not_relevant"] * 3  # 6 to 6: a split
C3_ONE_OFF = ["central"] * 6 + ["significant"] * 5 + ["minor"]  # 11 to 1: not a split
A3_CHOICES = ["learning_together"] * 7 + ["silp"] * 5


def answers(i: int, agencies: list[str]) -> dict[str, ItemAnswer]:
    given = {f: ItemAnswer(rating="significant") for f in ("B1", "B2", "C1", "C2", "C4", "C5", "C6")}
    given |= {"B3": ItemAnswer(rating=B3_SPLIT[i]), "C3": ItemAnswer(rating=C3_ONE_OFF[i]),
              "A1": ItemAnswer(choice="standard"), "A3": ItemAnswer(choice=A3_CHOICES[i]),
              "A5": ItemAnswer(choices=tuple(agencies[: 2 + i % 3]) + (("other",) if i == 0 else ()),
                               other=GP if i == 0 else "")}
    if i < 3:
        given |= {"A2": ItemAnswer(comment=QUESTION), "P1": ItemAnswer(comment=INQUEST)}
    if i == 5:
        given |= {"Q1": ItemAnswer(comment=FAMILY), "A4": ItemAnswer(comment="Knowledge of infant injury.")}
    return given


REVIEWER_TEXTS = {
    "B2": "The screening of referrals is the heart of this case.",
    "A3": "Learning Together suits this case.",
    "C1": "Start from the 2024 review rather than repeat it.",
    "general": "The summary is thorough; focus on the last 18 months.",
    "reply": "On reflection, a hybrid method would be quicker.",
}
PROPOSALS = {"method": "A hybrid review: agency reports now, a learning event after the trial.",
             "scope": "Period under review: 18 months before the admission, plus the antenatal period."}


@pytest.fixture(scope="module")
def golden():
    review, form, reviewer_form = samples.sample_review(), samples.member_form(), samples.reviewer_form()
    agencies = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != "other"]
    responses = [samples.response(m.email, AT - dt.timedelta(days=3), **answers(i, agencies))
                 for i, m in enumerate(review.members[:12])]
    jane, samuel = review.lead_reviewers

    def said(who, section, key):
        return ReviewerComment(who.email, section, REVIEWER_TEXTS[key], AT)

    inputs = [
        ReviewerInput(jane, (said(jane, "B2", "B2"), said(jane, "A3", "A3"), said(jane, "A3", "reply")),
                      {"method": PROPOSALS["method"]}, AT),
        ReviewerInput(samuel, (said(samuel, "C1", "C1"), said(samuel, "general", "general")),
                      {"scope": PROPOSALS["scope"]}, AT),
    ]
    summary = consolidate(review, form, responses, AT)
    record = DecisionRecord(review.review_id, (
        BoardDecision("A1", ("standard",), reasons="Standard, as members proposed, for the 18 months.",
                      weighed_most=("B2", "C4"),
                      proposals=(ProposalTaken(samuel.email, "scope", Taken.ADOPTED),)),
        BoardDecision("A2", text=QUESTION, reasons="The question most members asked.", weighed_most=("B2", "C1")),
        BoardDecision("A3", ("hybrid",), reasons="A hybrid lets the review start before the trial.",
                      weighed_most=("B3", "C4"),
                      proposals=(ProposalTaken(jane.email, "method", Taken.ADOPTED),)),
        BoardDecision("A4", text="Infant injury and systems reviews.", reasons="As members said.",
                      weighed_most=("B2", "C2")),
        BoardDecision("A5", tuple(agencies), reasons="Every agency members named.", weighed_most=("B1", "C1")),
    ), "The board at its meeting of 15 December 2026", dt.date(2026, 12, 15), review.business_manager.email,
        DRAFTED + dt.timedelta(days=1), 1)

    def documents(decided):
        a = assembly(review, form, reviewer_form, summary, inputs, decided, samples.sample_events(review),
                     responses, {r.member_email: 1 for r in responses})
        renderer = Renderer()
        version = "1.0" if decided else "0.1"
        tor = render_terms(renderer, a, version, DRAFTED, version_table(DRAFTED, decided)).markdown
        evidence = renderer.render("qm6-evidence.md.j2", review=review, vocab=review.vocabulary,
                                   evidence=a.evidence, generated_at=DRAFTED)
        return tor, evidence

    return documents(None), documents(record)


def rationale_of(tor: str, item_id: str) -> str:
    after = tor.split(f"### {item_id}: ", 1)[1]
    return re.split(r"\n### |\n## ", after, maxsplit=1)[0]


@pytest.mark.parametrize("version", [0, 1], ids=["draft 0.1", "agreed 1.0"])
def test_every_reviewer_comment_and_proposal_is_in_the_terms_of_reference(golden, version):
    tor, _ = golden[version]
    for text in [*REVIEWER_TEXTS.values(), *PROPOSALS.values()]:
        assert text in tor
    assert REVIEWER_TEXTS["C1"] in rationale_of(tor, "A2") and REVIEWER_TEXTS["C1"] in rationale_of(tor, "A5")
    assert REVIEWER_TEXTS["reply"] in rationale_of(tor, "A3")
    assert REVIEWER_TEXTS["general"] in tor.split("### Other comments from the lead reviewers")[1]
    assert PROPOSALS["scope"] in tor.split("## 6. Scope")[1].split("## 7.")[0]
    assert PROPOSALS["method"] in tor.split("## 9. Methodology")[1].split("## 10.")[0]


def test_the_evidence_accounts_for_each_reviewer_item_and_what_the_board_did(golden):
    (_, before), (_, after) = golden
    rows = [line for line in after.splitlines() if line.startswith(("| Jane Whitfield | ", "| Samuel Osei | "))
            and ("| comment |" in line or "| proposal |" in line)]
    assert len(rows) == len(REVIEWER_TEXTS) + len(PROPOSALS)
    assert "| Jane Whitfield | proposal | Proposed change to the method or approach | section 5, A3; section 9 " \
           "| adopted |" in after
    assert before.count("awaiting the decision |") == 2
    for text in [*REVIEWER_TEXTS.values(), *PROPOSALS.values()]:
        assert text not in after, "the evidence names items, never copies their text"


def test_no_change_is_claimed_where_none_was_made(golden):
    (draft, _), (agreed, _) = golden
    assert "changed" not in draft and "differs from" not in draft
    assert "Decided by" not in draft
    assert "differs from what members' input pointed to" in rationale_of(agreed, "A3")  # hybrid, not LT
    assert agreed.count("differs from what members' input pointed to") == 1  # A1 adopted, same option
    assert "was adopted by the safeguarding partnership" in rationale_of(agreed, "A1")


def test_yes_only_with_a_decision_record(golden):
    (draft, draft_evidence), (agreed, agreed_evidence) = golden
    assert "**Answer:** Yes" not in draft_evidence and "Question 4: Yes" not in draft
    assert draft_evidence.count("**Answer:** evidence ready for the decision") == 4
    assert "- Question 4: evidence ready for the decision" in draft
    assert agreed_evidence.count("**Answer:** Yes") == 4 and "- Question 4: Yes" in agreed
    assert "Agreed on 15 December 2026 (The board at its meeting of 15 December 2026)" in agreed_evidence


def test_the_agreed_version_gives_the_boards_reasons_then_the_evidence(golden):
    _, (agreed, _) = golden
    a3 = rationale_of(agreed, "A3")
    assert a3.index("**The safeguarding partnership's reasons:** A hybrid lets the review start") < \
        a3.index("#### The evidence")
    assert "| 1.0 | 15 December 2026 | Agreed (The board at its meeting of 15 December 2026)" in agreed
    assert "| 0.1 | 16 December 2026, 09:00 | Draft for the meeting |" in agreed


def test_splits_are_defined_and_stated_only_where_members_split(golden):
    (draft, _), _ = golden
    assert "at least a third of those who rated it chose central or significant" in draft
    a1 = rationale_of(draft, "A1")
    assert "Members are split on B3: 6 rated it central or significant, 6 minor or not relevant" in a1
    assert "split on C3" not in draft, "11 to 1 is not a split"


def test_identical_comments_once_with_every_agency(golden):
    (draft, _), _ = golden
    parallel = draft.split("## 14. Parallel processes")[1].split("## 15.")[0]
    assert parallel.count(INQUEST) == 1
    assert "(NHS Northshire Hospitals Trust (Named doctor for safeguarding); NHS Northshire Hospitals Trust " \
           "(Named nurse for safeguarding); Northshire Police (Head of public protection))" in parallel
    enquiry = draft.split("## 8. Key lines of enquiry")[1].split("## 9.")[0]
    assert enquiry.count(QUESTION) == 1 and "Draft for the safeguarding partnership to agree" in enquiry


def test_every_agency_named_is_counted_and_the_silent_flagged(golden):
    (draft, _), _ = golden
    agencies = draft.split("## 7. Agencies involved")[1].split("## 8.")[0]
    assert "- NHS Northshire Hospitals Trust: 12" in agencies and "- Northshire Police: 12" in agencies
    assert "- Northshire Council Children's Social Care: 8" in agencies  # named by 8 of 12, still listed
    assert f'- Also named ("other"): "{GP}"' in agencies
    assert "No member from Family Support Northshire (voluntary sector) answered" in agencies


def test_what_the_input_holds_is_prefilled(golden):
    (draft, _), _ = golden
    assert FAMILY in draft.split("## 13. Family involvement")[1].split("## 14.")[0]
    assert "### Resources and capacity" in draft and "- **C4** local capacity" in draft
    assert "The parallel processes in section 14 may bear on this timetable" in draft
