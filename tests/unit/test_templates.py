"""Every template renders from a hand-built sample context, says what it must, and asks for nothing more."""

from __future__ import annotations

import re

import pytest

from scr.errors import TemplateError
from scr.rendering import Renderer, default_templates_dir
from tests import render_samples as samples

CONTEXTS = samples.contexts()
EMAILS = [name for name in CONTEXTS if name.startswith("email/")]
TOR_SECTIONS = [
    "Title and case identifier",
    "Background",
    "Decision and criteria",
    "Purpose",
    "Rationale for a proportionate approach",
    "Scope and timeframe",
    "Agencies involved",
    "Key lines of enquiry",
    "Methodology",
    "Lead reviewer(s) and review team",
    "Governance and quality assurance",
    "Practitioner involvement",
    "Family involvement",
    "Parallel processes",
    "Information sharing, confidentiality and consent",
    "Timescales and milestones",
    "Report, publication and dissemination",
    "Media and communications",
    "Implementation and evaluation",
]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def render(renderer: Renderer, name: str, **overrides) -> str:
    return renderer.render(name, **{**CONTEXTS[name], **overrides})


def test_every_template_has_a_sample_context():
    templates_dir = default_templates_dir()
    on_disk = {
        str(path.relative_to(templates_dir))
        for pattern in ("*.md.j2", "email/*.txt.j2")
        for path in templates_dir.glob(pattern)
    }
    assert on_disk == set(CONTEXTS)


@pytest.mark.parametrize("name", list(CONTEXTS))
def test_every_template_renders_and_names_the_child_only_by_pseudonym(renderer, name):
    out = render(renderer, name)
    assert "Child T" in out
    assert "SCR-2026-014" in out


@pytest.mark.parametrize(("name", "missing"), [(name, key) for name, context in CONTEXTS.items() for key in context])
def test_a_template_missing_any_context_value_is_a_template_error(renderer, name, missing):
    context = {key: value for key, value in CONTEXTS[name].items() if key != missing}
    with pytest.raises(TemplateError, match=re.escape(name)):
        renderer.render(name, **context)


@pytest.mark.parametrize("name", list(CONTEXTS))
def test_every_template_header_lists_its_context(name):
    header = (default_templates_dir() / name).read_text().split("#}", 1)[0]
    assert header.startswith("{#")
    for key in CONTEXTS[name]:
        assert key in header, f"{name} header does not mention {key}"


def test_factor_summary_shows_who_answered_and_every_item(renderer):
    out = render(renderer, "factor-summary.md.j2")
    assert out.startswith("# Factor summary: SCR-2026-014, Child T\n")
    assert "5 of 7 board members invited answered" in out
    assert "| Northshire Police | 2 | 2 |" in out
    assert "- Gareth Hughes, Northshire Education Service (Head of inclusion)" in out
    assert "Answered after the deadline, so not included" in out and "Nadia Karim" in out
    for item_id in ["B1", "B2", "B3", "C1", "C2", "C3", "C4", "C5", "C6", "A1", "A2", "A3", "A4", "A5", "P1"]:
        assert f"### {item_id}: " in out
    assert "| Central: should shape the review | 2 | NHS Northshire Hospitals Trust, Northshire Police |" in out
    assert "**Weight:** not relevant" not in out and "**Weight:** central" in out
    assert "- Northshire Council CSC (Director of children's services): A hybrid with a learning event" in out
    assert "- Probation (Head of service): Father's history" in out
    assert "**Where members differ:** Members disagree" in out


def test_terms_of_reference_has_the_19_sections_in_order(renderer):
    out = render(renderer, "terms-of-reference.md.j2")
    headings = re.findall(r"^## (\d+)\. (.+)$", out, flags=re.MULTILINE)
    assert headings == [(str(n), title) for n, title in enumerate(TOR_SECTIONS, start=1)]


def test_terms_of_reference_is_prefilled_from_the_configuration(renderer):
    out = render(renderer, "terms-of-reference.md.j2")
    assert "# Terms of reference: Serious Case Review concerning Child T" in out
    assert "**Version:** 0.1, 4 December 2026, 17:00" in out
    assert "Draft version 0.1, 4 December 2026, 17:00, for the Local Safeguarding Children Board's meeting." in out
    assert "| 0.1 | 4 December 2026, 17:00 | Draft for the meeting |" in out
    assert "admitted to hospital with serious head injuries" in out
    assert "meets the statutory criteria for a Serious Case Review" in out
    assert "20 November 2026" in out and "by 20 May 2027" in out
    assert "not to apportion blame" in out
    assert "Lead reviewer(s): Jane Whitfield, Samuel Osei." in out
    assert '- "A criminal investigation is under way; charging decision due March." (Northshire Police (Child' in out
    assert "- Northshire Integrated Care Board\n" in out


def test_terms_of_reference_rationale_cites_case_and_context_factors_by_name(renderer):
    out = render(renderer, "terms-of-reference.md.j2")
    rationale = out.split("## 5. ")[1].split("## 6. ")[0]
    assert "NSPCC/SCIE (2016) *Serious case review quality markers*, marker 6" in rationale
    for item_id, label in samples.DECISIONS.items():
        assert f"### {item_id}: {label}" in rationale
    assert (
        f"- **B1** {samples.CASE['B1']}: weighed as central; 4 of 5 members who rated it said central or "
        "significant (NHS Northshire Hospitals Trust, Northshire Police), 1 minor or not relevant" in rationale
    )
    assert f"- **C4** {samples.CONTEXT['C4']}: weighed as central" in rationale
    assert "**Case factors:**" in rationale and "**Context factors:**" in rationale
    assert "no factor related to the case had members' input for this decision" in rationale
    assert "no factor related to the local context had members' input for this decision" in rationale
    assert ("- Jane Whitfield proposed (Proposed change to the scope (breadth, depth, period under review, who is "
            "in scope); a proposal, for the Local Safeguarding Children Board to decide)") in rationale
    assert "- Samuel Osei commented on section A3: Father's history" in rationale
    assert "- On B1: \"Father's history of violence" in rationale
    assert "Members are split on C4: 2 rated it central or significant" in rationale
    assert "changed" not in rationale  # a draft claims no change: nothing is decided yet
    assert "Other answers members gave:\n\n- \"A hybrid review\" (Northshire Council CSC" in rationale
    assert "**Proposed for the Local Safeguarding Children Board's decision:** Standard: a multi-agency" in rationale
    assert "- **C3** public interest: weighed as central; 0 of 5 members who rated it said" in rationale
    assert "### Other comments from the lead reviewers\n\n- Samuel Osei commented on the summary as a whole" in out
    assert "**What follows for proportionality:** Members' weights point to" in rationale


def test_agreed_terms_of_reference_give_the_boards_reasons_then_the_evidence(renderer):
    out = renderer.render("terms-of-reference.md.j2", **samples.terms(agreed=True))
    a1 = out.split("### A1: ")[1].split("### A2: ")[0]
    assert a1.index("**Decided by the Local Safeguarding Children Board on 18 December 2026:** Decided words for A1") \
        < a1.index("**The Local Safeguarding Children Board's reasons:** The board's reasons for A1.") \
        < a1.index("#### The evidence the Local Safeguarding Children Board considered") < a1.index("**Case factors:**")
    assert ("- Jane Whitfield's proposal (Proposed change to the scope (breadth, depth, period under review, who "
            "is in scope)) was adapted by the Local Safeguarding Children Board: Eighteen months and antenatal.") in a1
    assert "differs from what members' input pointed to because the Local Safeguarding Children Board took" in a1
    assert "| 1.0 | 18 December 2026 | Agreed (the board at its meeting); decision record version 2 |" in out
    assert "Version 1.0, agreed on 18 December 2026." in out
    assert "Question 4: Yes" in out


def test_terms_of_reference_marks_what_the_board_must_complete(renderer):
    out = render(renderer, "terms-of-reference.md.j2")
    assert out.count("==**To be completed by the board:**") >= 12  # == == marks a placeholder, highlighted in Word
    assert "**For the Local Safeguarding Children Board to decide:** no member chose an option." in out
    assert "**For the Local Safeguarding Children Board to decide:** to be agreed, drawing on" in out
    for section in ("12. Practitioner involvement", "18. Media and communications"):
        body = out.split(f"## {section}\n")[1].split("\n## ")[0]
        assert body.strip().startswith("==**To be completed by the board:**")


def test_terms_of_reference_prefill_what_the_input_holds(renderer):
    out = render(renderer, "terms-of-reference.md.j2")
    family = out.split("## 13. Family involvement\n")[1].split("\n## ")[0]
    assert '- "Please involve the family without prejudicing the criminal case." (Northshire Integrated' in family
    enquiry = out.split("## 8. Key lines of enquiry\n")[1].split("\n## ")[0]
    assert "Draft for the Local Safeguarding Children Board to agree" in enquiry
    assert '- "Why were two referrals closed?" (Northshire Police (Head of public protection); Northshire' in enquiry
    assert "- Jane Whitfield proposed (Proposed change to the scope" in enquiry
    scope = out.split("## 6. Scope and timeframe\n")[1].split("\n## ")[0]
    assert "Limit the period to the 18 months before." in scope
    governance = out.split("## 11. Governance and quality assurance\n")[1].split("\n## ")[0]
    assert "### Resources and capacity" in governance and "- **C6** " in governance
    assert "The parallel processes in section 14 may bear on this timetable" in out
    agencies = out.split("## 7. Agencies involved\n")[1].split("\n## ")[0]
    assert "No member from Northshire Education Service answered" in agencies


def test_terms_of_reference_uses_the_boards_vocabulary(renderer):
    review = samples.partnership_review()
    out = render(renderer, "terms-of-reference.md.j2", vocab=review.vocabulary, review=review)
    assert "Local Child Safeguarding Practice Review concerning Child T" in out
    assert "Serious Case Review" not in out.replace("*Serious case review quality markers*", "")
    assert "Local Safeguarding Children Board decided" not in out


def test_terms_of_reference_without_parallel_processes_says_so(renderer):
    content = samples.content()
    quiet = type(content)(**{**content.__dict__, "parallel": ()})
    out = render(renderer, "terms-of-reference.md.j2", content=quiet)
    assert "No member reported other reviews or investigations" in out


def test_evidence_report_answers_the_four_questions_with_tables(renderer):
    out = render(renderer, "qm6-evidence.md.j2")
    for number in range(1, 5):
        assert f"### Question {number}\n" in out
    assert "**Answer:** Partly" in out and "**Answer:** evidence ready for the decision" in out
    assert "What the record does not yet show:\n\n- member input on C3" in out
    assert ("| Jane Whitfield | proposal | Proposed change to the scope (breadth, depth, period under review, who is "
            "in scope) | section 5, A1; section 6 | awaiting the decision |") in out
    assert "## The Local Safeguarding Children Board's decision record\n\nNot yet recorded" in out
    agreed = render(renderer, "qm6-evidence.md.j2", evidence=samples.evidence(True))
    assert "| adapted: Eighteen months and antenatal. |" in agreed
    assert "Agreed on 18 December 2026 (The board at its meeting, chaired by the independent chair)" in agreed
    assert "- Evidence point for question 4." in out
    assert "| Name | Agency | Invited | Reminders | Answered | Versions | Late |" in out
    assert (
        "| Gareth Hughes | Northshire Education Service | 20 November 2026, 09:30 | 1 (27 November 2026, "
        "09:00) | no answer | 0 | no |" in out
    )
    assert "| Samuel Osei | 4 December 2026, 17:00 | 1 | none | not yet |" in out
    assert "## Factors without input\n\n- C3 public interest" in out
    assert "| 20 November 2026, Priya Shah | Extended the members' deadline by two working days |" in out


def test_evidence_report_with_no_steering_decisions_says_none_recorded(renderer):
    evidence = samples.evidence()
    none = type(evidence)(**{**evidence.__dict__, "decisions": (), "factors_without_input": ()})
    out = render(renderer, "qm6-evidence.md.j2", evidence=none)
    assert "## Steering decisions\n\nNone recorded." in out
    assert "Every factor related to the case and the context had input." in out


@pytest.mark.parametrize("name", EMAILS)
def test_emails_start_with_a_subject_then_a_blank_line(renderer, name):
    lines = render(renderer, name).split("\n")
    assert lines[0].startswith("Subject: Serious Case Review SCR-2026-014") or lines[0].startswith(
        "Subject: Reminder: your input to Serious Case Review SCR-2026-014"
    )
    assert lines[1] == ""
    assert lines[2].startswith("Dear ")


@pytest.mark.parametrize("name", EMAILS)
def test_emails_say_who_they_are_from_and_not_to_forward(renderer, name):
    out = render(renderer, name)
    assert "Priya Shah" in out
    assert "Northshire Local Safeguarding Children Board" in out
    assert "not forward" in out


@pytest.mark.parametrize("name", ["email/invitation.txt.j2", "email/reminder.txt.j2", "email/summary-ready.txt.j2"])
def test_emails_with_a_link_give_it_and_the_deadline(renderer, name):
    out = render(renderer, name)
    assert "https://scr.example.org/r/SCR-2026-014/t/personal-token" in out
    assert "by Friday 4 December 2026 at 17:00 (UK time)" in out
    assert "This link is personal to you: please do not forward it." in out


def test_emails_never_carry_answer_text(renderer):
    planted = samples.contexts(comment="PLANTED-ANSWER-TEXT")
    for name in EMAILS:
        assert "PLANTED-ANSWER-TEXT" not in renderer.render(name, **planted[name])


def test_deadline_passed_groups_the_missing_by_agency(renderer):
    out = render(renderer, "email/deadline-passed.txt.j2")
    assert "3 of 7 members invited did not answer" in out
    assert "Probation\n- Nadia Karim, Head of service" in out
    everyone = render(renderer, "email/deadline-passed.txt.j2", missing=[])
    assert "Every member invited answered." in everyone


def test_documents_ready_lists_the_documents(renderer):
    out = render(renderer, "email/documents-ready.txt.j2")
    assert "- OUT/SCR-2026-014/terms-of-reference.docx" in out
    assert "the agreed terms of reference (version 1.0)" in out


def test_the_business_manager_is_asked_for_the_boards_decisions(renderer):
    out = render(renderer, "email/board-decision.txt.j2")
    assert "https://scr.example.org/b/personal-token" in out and "scr decide CONFIG FILE.yaml" in out
    assert "- OUT/SCR-2026-014/terms-of-reference-draft.docx" in out
    assert "scr.example.org/b/" not in render(renderer, "email/board-decision.txt.j2", link="")


def test_members_hear_the_terms_of_reference_are_agreed(renderer):
    out = render(renderer, "email/terms-agreed.txt.j2")
    assert "agreed the terms of reference for the Serious Case Review (SCR-2026-014) concerning Child T on " \
           "18 December 2026" in out
    assert "- OUT/SCR-2026-014/terms-of-reference.docx" in out


@pytest.mark.parametrize("name", ["email/invitation.txt.j2", "email/reminder.txt.j2", "email/summary-ready.txt.j2"])
def test_messages_say_how_a_shared_google_link_works(renderer, name):
    context = samples.contexts()[name]
    personal = renderer.render(name, **context)
    shared = renderer.render(name, **{**context, "personal": False})
    assert "This link is personal to you" in personal and "This link is personal to you" not in shared
    assert ("sign in with your work Google account" in shared) or ("starts with the word COMPLETE" in shared)
