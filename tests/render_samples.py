"""Hand-built sample contexts for every template: a fictional board, fictional people, a fictional case.

``contexts()`` gives, for each template name, the full context it needs. Others may reuse the builders;
each takes ``comment`` so a test can plant a hostile or unusual comment where people's text appears.
"""

from __future__ import annotations

import datetime as dt

from scr.domain.accounting import ReviewerItem
from scr.domain.calendar import format_deadline
from scr.domain.decisions import BoardDecision, DecisionRecord, ProposalTaken, Taken
from scr.domain.evidence import QUESTIONS, Evidence, MemberRecord, QuestionEvidence, ReviewerRecord
from scr.domain.model import LeadReviewer, Member, Review, Vocabulary
from scr.domain.overview import factor_overview
from scr.domain.prefill import DraftContent
from scr.domain.rationale import DecisionRationale, FactorCitation, Rationale
from scr.domain.summary import SPLIT_RULE, AttributedText, FactorSummary, ItemSummary, SummarySection, Tally
from scr.domain.voices import Quote, ReviewerRemark

NOW = dt.datetime(2026, 12, 4, 17, 0)
DEADLINE = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)
DECISION = dt.date(2026, 11, 20)
TARGET = dt.date(2027, 5, 20)
DEFAULT_COMMENT = "Father's history of violence with previous partners was known to probation."

HOSPITAL, POLICE, COUNCIL = "NHS Northshire Hospitals Trust", "Northshire Police", "Northshire Council CSC"
ICB, EDUCATION, PROBATION = "Northshire Integrated Care Board", "Northshire Education Service", "Probation"

MEMBERS = (
    Member("Helen Okafor", "helen.okafor@nhs.example.org", HOSPITAL, "Named doctor for safeguarding", "Dr"),
    Member("Sarah Blake", "sarah.blake@police.example.org", POLICE, "Head of public protection", "DCI"),
    Member("Tom Reyes", "tom.reyes@police.example.org", POLICE, "Child abuse investigation unit", "DS"),
    Member("Angela Moss", "angela.moss@council.example.org", COUNCIL, "Director of children's services"),
    Member("Lucy Chen", "lucy.chen@icb.example.org", ICB, "Designated doctor", "Dr"),
    Member("Gareth Hughes", "gareth.hughes@edu.example.org", EDUCATION, "Head of inclusion"),
    Member("Nadia Karim", "nadia.karim@probation.example.org", PROBATION, "Head of service"),
)
REVIEWERS = (
    LeadReviewer("Jane Whitfield", "jane.whitfield@reviews.example.org"),
    LeadReviewer("Samuel Osei", "samuel.osei@reviews.example.org"),
)
MANAGER = LeadReviewer("Priya Shah", "priya.shah@lscb.example.org")
SCALE = (
    ("central", "Central: should shape the review"),
    ("significant", "Significant: should be taken into account"),
    ("minor", "Minor: worth noting only"),
    ("not_relevant", "Not relevant to this case"),
    ("dont_know", "Don't know"),
)
CASE = {
    "B1": "types of strengths and vulnerabilities of the family and carers, kinds of risks posed to the "
    "child(ren) or young person",
    "B2": "the gravity and/or complexity of apparent concerns about professional practice in the case",
    "B3": "any specific legal requirements (such as the Human Rights Act when a child or young person who "
    "was in state care has died)",
}
CONTEXT = {
    "C1": "previous local learning and areas or issues about which less is currently known",
    "C2": "availability of reviewers and their knowledge, skills and competence",
    "C3": "public interest",
    "C4": "local capacity relative to other ongoing learning and improvement activity",
    "C5": "strategic learning and improvement plans and priorities",
    "C6": "the capacity to carry out and learn from the review at that time",
}
DECISIONS = {
    "A1": "the breadth and depth of the investigation",
    "A2": "any specific areas of focus or questions",
    "A3": "the method or approach to be used to assemble the relevant information and deliver the required analysis",
    "A4": "the knowledge and skills needed from the reviewer(s) to lead the process",
    "A5": "the agencies that need to be involved",
}


def vocab() -> Vocabulary:
    return Vocabulary.named("lscb")


def review(vocabulary: Vocabulary | None = None) -> Review:
    return Review(
        review_id="SCR-2026-014",
        board_name="Northshire Local Safeguarding Children Board",
        vocabulary=vocabulary or vocab(),
        business_manager=MANAGER,
        members=MEMBERS,
        lead_reviewers=REVIEWERS,
        child_pseudonym="Child T",
        background="Child T, aged 2, was admitted to hospital with serious head injuries in October 2026.\n"
        "The family had been known to health visiting, children's social care and the police.",
        decision_date=DECISION,
        criteria="statutory",
    )


def partnership_review() -> Review:
    """The sample case commissioned by a safeguarding partnership, after its rapid review."""
    import dataclasses

    from scr.domain.regime import RapidReview, StatutoryPartners

    return dataclasses.replace(
        review(Vocabulary.named("partnership")),
        board_name="Northshire Safeguarding Children Partnership",
        business_manager=LeadReviewer("Priya Shah", "priya.shah@northshire-scp.example.org", "Ms"),
        partners=StatutoryPartners(COUNCIL, ICB, POLICE),
        rapid_review=RapidReview(
            incident_known_on=dt.date(2026, 10, 12), panel_notified_on=dt.date(2026, 10, 14),
            notified_by=COUNCIL, completed_on=dt.date(2026, 10, 30), sent_to_panel_on=dt.date(2026, 11, 2),
            outcome="Agencies did not share what they knew of domestic abuse.",
            criteria_met=("improvements", "working_together"),
        ),
    )


def _factor(item_id: str, label: str, group: str, weight: str, comment: str) -> ItemSummary:
    counts = {"central": 2, "significant": 2, "minor": 1, "not_relevant": 0, "dont_know": 0}
    agencies = {"central": (HOSPITAL, POLICE), "significant": (COUNCIL,), "minor": (EDUCATION,)}
    return ItemSummary(
        item_id=item_id,
        group=group,
        kind="factor",
        label=label,
        tallies=tuple(Tally(v, lbl, counts[v], agencies.get(v, ())) for v, lbl in SCALE),
        others=(),
        comments=(AttributedText(PROBATION, "Head of service", comment),) if item_id == "B1" else (),
        answered=5,
        weight=weight,
        disagreement=(
            f"Members disagree: 2 ({HOSPITAL}, {POLICE}) rate it central, 1 ({EDUCATION}) minor."
            if item_id == "B2"
            else None
        ),
    )


def _decision(item_id: str, label: str, comment: str) -> ItemSummary:
    kinds = {"A1": "choice", "A3": "choice", "A5": "multi"}
    tallies = {
        "A1": (Tally("focused", "Focused", 1, (EDUCATION,)), Tally("standard", "Standard", 4, (POLICE, ICB))),
        "A3": (Tally("learning_together", "SCIE Learning Together (systems model)", 5, (HOSPITAL, COUNCIL)),),
        "A5": (Tally(POLICE, POLICE, 6, (POLICE, HOSPITAL)), Tally(PROBATION, PROBATION, 5, (PROBATION,))),
    }
    others = (AttributedText(COUNCIL, "Director of children's services", "A hybrid with a learning event"),)
    return ItemSummary(
        item_id=item_id,
        group="decision",
        kind=kinds.get(item_id, "text"),
        label=label,
        tallies=tallies.get(item_id, ()),
        others=others if item_id == "A1" else (),
        comments=(AttributedText(POLICE, "Head of public protection", comment),),
        answered=5,
        weight="",
        disagreement=None,
    )


def summary(comment: str = DEFAULT_COMMENT) -> FactorSummary:
    further = (
        ItemSummary(
            "P1",
            "other",
            "text",
            "parallel processes (criminal proceedings, inquest, domestic homicide review, disciplinary processes)",
            (),
            (),
            (
                AttributedText(
                    POLICE,
                    "Child abuse investigation unit",
                    "A criminal investigation is under way; charging decision due March.",
                ),
            ),
            1,
            "",
            None,
        ),
        ItemSummary(
            "Q1",
            "other",
            "text",
            "any information you think relevant to agreeing a proportionate approach for the review",
            (),
            (),
            (),
            0,
            "",
            None,
        ),
    )
    return FactorSummary(
        review_id="SCR-2026-014",
        child_pseudonym="Child T",
        generated_at=NOW,
        invited=len(MEMBERS),
        respondents=MEMBERS[:5],
        non_respondents=MEMBERS[5:6],
        late_excluded=MEMBERS[6:],
        sections=(
            SummarySection(
                "case",
                "Factors related to the case",
                tuple(_factor(i, lbl, "case", "central", comment) for i, lbl in CASE.items()),
            ),
            SummarySection(
                "context",
                "Contextual factors",
                tuple(_factor(i, lbl, "context", "significant", comment) for i, lbl in CONTEXT.items()),
            ),
            SummarySection(
                "decisions",
                "What the commissioning decision must specify",
                tuple(_decision(i, lbl, comment) for i, lbl in DECISIONS.items()),
            ),
            SummarySection("further", "Anything else", further),
        ),
    )


PROPOSED = {
    "A2": "to be agreed, drawing on the areas members and the lead reviewers raised (below).",
    "A4": "no member chose an option.",
}
SCOPE = "Proposed change to the scope (breadth, depth, period under review, who is in scope)"
SCOPE_PROPOSAL = ReviewerRemark("Jane Whitfield", "proposal", "Limit the period to the 18 months before.", SCOPE,
                                "scope", REVIEWERS[0].email)


def _cite(item_id: str, weighty: int = 4, comment: str = "") -> FactorCitation:
    group = "case" if item_id.startswith("B") else "context"
    label = {**CASE, **CONTEXT}[item_id]
    reasons = (Quote(comment, (f"{PROBATION} (Head of service)",)),) if comment else ()
    return FactorCitation(item_id, label, group, "central", weighty, 5, (HOSPITAL, POLICE) if weighty else (),
                          slight=5 - weighty, slight_agencies=(EDUCATION,) if weighty < 5 else (), reasons=reasons)


def record() -> DecisionRecord:
    """The board's decisions on every item, as recorded after its meeting."""
    decisions = tuple(
        BoardDecision(item_id, ("standard",) if item_id == "A1" else (), "" if item_id == "A1" else f"{item_id} words",
                      f"The board's reasons for {item_id}.", ("B1", "C4"),
                      (ProposalTaken(REVIEWERS[0].email, "scope", Taken.ADAPTED, "Eighteen months and antenatal."),)
                      if item_id == "A1" else ())
        for item_id in DECISIONS
    )
    return DecisionRecord("SCR-2026-014", decisions, "The board at its meeting, chaired by the independent chair",
                          dt.date(2026, 12, 18), MANAGER.email, NOW, 2)


def rationale(comment: str = DEFAULT_COMMENT, agreed: bool = False) -> Rationale:
    remarks = {
        "A1": (SCOPE_PROPOSAL,),
        "A3": (ReviewerRemark("Samuel Osei", "comment", comment, section_id="A3", reviewer_email=REVIEWERS[1].email),),
    }
    board = record() if agreed else None
    decisions = []
    for item_id, label in DECISIONS.items():
        case = () if item_id == "A4" else (_cite("B1", comment=comment), _cite("B2", 3))
        context = () if item_id == "A2" else (_cite("C4", 2),)
        decided = board.decision(item_id) if board else None
        decisions.append(
            DecisionRationale(
                item_id=item_id, label=label, case_factors=case, context_factors=context,
                member_view=f"4 of 5 members ({POLICE}, {ICB}) favour a standard review.",
                member_tallies=(Tally("standard", "Standard", 4, (POLICE, ICB)),),
                member_comments=(Quote(comment, (f"{POLICE} (Head of public protection)",)),),
                reviewer_remarks=remarks.get(item_id, ()), settled=item_id not in PROPOSED,
                proposed=PROPOSED.get(item_id, "Standard: a multi-agency review of the main period."),
                changed_by_reviewers=agreed and item_id == "A1",
                member_others=(Quote("A hybrid review", (f"{COUNCIL} (Director of children's services)",)),)
                if item_id == "A1" else (),
                kind="choice", follows="Members' weights point to a review that gives most of its attention to B1.",
                decided=decided, decided_words=f"Decided words for {item_id}" if decided else "",
                taken=((SCOPE_PROPOSAL, decided.proposals[0]),) if decided and item_id == "A1" else
                ((SCOPE_PROPOSAL, None),) if item_id == "A1" else (),
                silent_agencies=(EDUCATION,) if item_id == "A5" else (),
            )  # fmt: skip
        )
    apart = (ReviewerRemark("Samuel Osei", "comment", "Focus on the last 18 months.", section_id="general",
                            reviewer_email=REVIEWERS[1].email),)
    return Rationale(tuple(decisions), (_cite("C3", 0),), apart, board)


def content(comment: str = DEFAULT_COMMENT) -> DraftContent:
    family = Quote("Please involve the family without prejudicing the criminal case.", (f"{ICB} (Designated doctor)",))
    return DraftContent(
        enquiry_from_members=(Quote("Why were two referrals closed?", (f"{POLICE} (Head of public protection)",
                                                                        f"{ICB} (Designated doctor)")),),
        enquiry_from_reviewers=(SCOPE_PROPOSAL,), scope_proposals=(SCOPE_PROPOSAL,), method_proposals=(),
        family=(family,), anything_else=(family, Quote(comment, (f"{PROBATION} (Head of service)",))),
        parallel=(Quote("A criminal investigation is under way; charging decision due March.",
                        (f"{POLICE} (Child abuse investigation unit)",)),),
        capacity=(_cite("C4", 2, comment), _cite("C6", 3)),
    )  # fmt: skip


def versions(agreed: bool = False) -> list:
    draft = [("0.1", NOW, "Draft for the meeting")]
    return draft + [("1.0", dt.date(2026, 12, 18), "Agreed (the board at its meeting); decision record version 2")
                    ] if agreed else draft


def terms(comment: str = DEFAULT_COMMENT, agreed: bool = False, the_review: Review | None = None) -> dict:
    """The terms of reference's context: the draft (0.1), or with ``agreed`` the agreed version (1.0)."""
    the_review = the_review or review()
    return {"review": the_review, "vocab": the_review.vocabulary, "summary": summary(comment),
            "rationale": rationale(comment, agreed),
            "content": content(comment), "evidence": evidence(agreed), "drafted_at": NOW, "target_date": TARGET,
            "version": "1.0" if agreed else "0.1", "versions": versions(agreed), "split_rule": SPLIT_RULE}


def evidence(agreed: bool = False) -> Evidence:
    invited = dt.datetime(2026, 11, 20, 9, 30)
    members = tuple(
        MemberRecord(
            m.name,
            m.agency,
            m.role,
            invited,
            (dt.datetime(2026, 11, 27, 9, 0),) if i > 3 else (),
            None if i == 5 else dt.datetime(2026, 11, 25, 14, i),
            0 if i == 5 else 1 + i % 2,
            i == 6,
        )
        for i, m in enumerate(MEMBERS)
    )
    return Evidence(
        review_id="SCR-2026-014",
        questions=tuple(
            QuestionEvidence(n, q, ("Yes" if agreed else "evidence ready for the decision") if n != 3 else "Partly",
                             (f"Evidence point for question {n}.",), () if n != 3 else ("member input on C3",))
            for n, q in enumerate(QUESTIONS, start=1)
        ),
        members=members,
        reviewers=(
            ReviewerRecord("Jane Whitfield", NOW, 3, ("Proposed change to the scope",), NOW),
            ReviewerRecord("Samuel Osei", NOW, 1, (), None),
        ),
        factors_with_input=tuple(f"{i} {lbl}" for i, lbl in {**CASE, **CONTEXT}.items() if i != "C3"),
        factors_without_input=(f"C3 {CONTEXT['C3']}",),
        decisions=(("20 November 2026, Priya Shah", "Extended the members' deadline by two working days"),),
        reviewer_items=(
            ReviewerItem("Jane Whitfield", "proposal", SCOPE, ("section 5, A1", "section 6"),
                         "adapted" if agreed else "awaiting the decision",
                         "Eighteen months and antenatal." if agreed else ""),
            ReviewerItem("Samuel Osei", "comment", "section A3", ("section 5, A3",), "cited"),
        ),
        record=record() if agreed else None,
    )


def contexts(comment: str = DEFAULT_COMMENT, the_review: Review | None = None) -> dict[str, dict]:
    """Every template's full sample context, by template name (for ``the_review``, by default an LSCB's)."""
    the_review = the_review or review()
    base = {"review": the_review, "vocab": the_review.vocabulary}
    member = MEMBERS[0]
    link = "https://scr.example.org/r/SCR-2026-014/t/personal-token"
    due = format_deadline(DEADLINE)
    return {
        "factor-summary.md.j2": {**base, "summary": summary(comment), "deadline": DEADLINE,
                                 "overview": factor_overview(summary(comment), the_review)},
        "terms-of-reference.md.j2": terms(comment, the_review=the_review),
        "qm6-evidence.md.j2": {**base, "evidence": evidence(), "generated_at": NOW},
        "email/invitation.txt.j2": {**base, "member": member, "link": link, "due": due,
                                    "personal": True},
        "email/reminder.txt.j2": {**base, "member": member, "link": link, "due": due,
                                  "personal": True},
        "email/summary-ready.txt.j2": {
            **base, "reviewer": REVIEWERS[0], "link": link, "due": due, "personal": True,
        },
        "email/deadline-passed.txt.j2": {**base, "manager": the_review.business_manager, "missing": list(MEMBERS[4:]),
                                         "closed_early": None},
        "email/held-apart.txt.j2": {**base, "manager": the_review.business_manager,
                                    "held": [("someone@elsewhere.example.org", DEADLINE)]},
        "email/no-google-account.txt.j2": {**base, "manager": the_review.business_manager,
                                           "members": list(MEMBERS[1:3])},
        "email/board-decision.txt.j2": {
            **base, "manager": the_review.business_manager, "link": "https://scr.example.org/b/personal-token",
            "documents": ["OUT/SCR-2026-014/terms-of-reference-draft.docx"],
        },
        "email/terms-agreed.txt.j2": {
            **base, "person": MEMBERS[0], "record": record(),
            "documents": ["OUT/SCR-2026-014/terms-of-reference.docx"],
        },
        "email/documents-ready.txt.j2": {
            **base,
            "manager": the_review.business_manager,
            "documents": ["OUT/SCR-2026-014/terms-of-reference.docx", "OUT/SCR-2026-014/qm6-evidence.docx"],
        },
        "email/advance-failing.txt.j2": {
            **base, "manager": the_review.business_manager, "failures": 2, "since": DEADLINE,
            "error_type": "StoreError",
            "error_message": "The store at scr-data/scr.sqlite3 could not read events for review SCR-2026-014: "
                             "database is locked", "transient": True,
        },
    }
