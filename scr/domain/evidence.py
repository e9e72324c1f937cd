"""Evidence that the board met quality marker 6's four self-assessment questions.

``assess`` builds them from the review, its events, the summary, the rationale and
the reviewers' input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scr.domain.accounting import ReviewerItem, account_for
from scr.domain.calendar import format_when
from scr.domain.decisions import DecisionRecord
from scr.domain.email import EmailAddress, same_address
from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.model import Event, LeadReviewer, Member, Response, Review, ReviewerInput
from scr.domain.rationale import Rationale
from scr.domain.summary import FactorSummary

QUESTIONS = (
    "Are LSCB members given the opportunity to input any information they think relevant to agreeing a "
    "proportionate approach for the review?",
    "Are the lead reviewers able to properly influence the scope, nature and approach of the SCR?",
    "Have the full range of factors related to both the case and context been considered in "
    "decision-making about what exactly is being commissioned?",
    "Does the scoping document or terms of reference for the SCR explain the rationale for decisions "
    "about proportionality that have been reached by referring to factors related both to the case and "
    "context?",
)


@dataclass(frozen=True)
class MemberRecord:
    """Who was asked, when, and whether and when they answered (no answer text)."""

    name: str
    agency: str
    role: str
    invited_at: dt.datetime | None
    reminded_at: tuple[dt.datetime, ...]
    answered_at: dt.datetime | None
    versions: int
    late: bool


@dataclass(frozen=True)
class ReviewerRecord:
    name: str
    sent_summary_at: dt.datetime | None
    comments: int
    proposals: tuple[str, ...]  # proposal labels
    completed_at: dt.datetime | None


@dataclass(frozen=True)
class QuestionEvidence:
    number: int
    question: str  # the marker's words
    verdict: str  # "Yes" | "Partly" | "No" | READY (until the board's decisions are recorded)
    points: tuple[str, ...]  # evidence sentences, no answer text
    missing: tuple[str, ...] = ()  # what the record does not yet show


@dataclass(frozen=True)
class Evidence:
    review_id: str
    questions: tuple[QuestionEvidence, ...]
    members: tuple[MemberRecord, ...]
    reviewers: tuple[ReviewerRecord, ...]
    factors_with_input: tuple[str, ...]  # "B1 types of strengths ..."
    factors_without_input: tuple[str, ...]
    decisions: tuple[tuple[str, str], ...]  # steering decisions: (when and who, what), in order
    reviewer_items: tuple[ReviewerItem, ...] = ()  # each lead reviewer's comment and proposal, and its fate
    record: DecisionRecord | None = None  # the board's decisions, when recorded


READY = "evidence ready for the decision"
NO_RECORD = "the board's recorded decisions on A1 to A5 (only they can make this answer Yes)"

def assess(
    review: Review,
    form: MemberForm,
    summary: FactorSummary,
    rationale: Rationale,
    events: Sequence[Event],
    responses: Sequence[Response],
    versions: Mapping[str, int],
    inputs: Sequence[ReviewerInput],
    reviewer_form: ReviewerForm,
    record: DecisionRecord | None = None,
) -> Evidence:
    """Evidence for each of the four questions, from what happened: names, agencies, counts, item ids,
    labels and dates only. No answer, comment or proposal text is ever copied in."""
    events = sorted(events, key=lambda e: e.at)
    by_person: dict[str, list[Event]] = defaultdict(list)  # one pass, not one per member: boards of hundreds
    for event in events:
        if event.person_email is not None:
            by_person[EmailAddress(event.person_email)].append(event)
    answers: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        answers[EmailAddress(response.member_email)].append(response)
    counts = {EmailAddress(email): n for email, n in versions.items()}
    members = tuple(member_record(m, by_person[m.address], answers[m.address], counts) for m in review.members)
    reviewers = tuple(reviewer_record(r, events, inputs, reviewer_form) for r in review.lead_reviewers)
    factors = [(f, summary.item(f.id).has_input) for f in form.factors()]
    questions = tuple(_decided_by_board(q, record) for q in (
        members_had_their_say(review, form, summary, members, events),
        reviewers_influenced(reviewers, rationale),
        factors_considered(summary, form, rationale),
        rationale_cites_case_and_context(rationale),
    ))
    return Evidence(
        review_id=review.review_id,
        questions=questions,
        members=members,
        reviewers=reviewers,
        factors_with_input=tuple(f"{f.id} {f.label}" for f, has in factors if has),
        factors_without_input=tuple(f"{f.id} {f.label}" for f, has in factors if not has),
        decisions=tuple(
            (f"{format_when(e.at)} by {_person(review, e.person_email)}", e.detail)
            for e in events
            if e.kind == "decision"
        ),
        reviewer_items=account_for(rationale, inputs, reviewer_form),
        record=record,
    )


def _decided_by_board(question: QuestionEvidence, record: DecisionRecord | None) -> QuestionEvidence:
    """Only the board's recorded decisions make an answer Yes: until then, what would be Yes or Partly is
    evidence ready for the decision."""
    if record is not None or question.verdict == "No":
        return question
    return dataclasses.replace(question, verdict=READY, missing=(*question.missing, NO_RECORD))


def member_record(
    member: Member, events: Sequence[Event], responses: Sequence[Response], versions: Mapping[str, int]
) -> MemberRecord:
    """When a member was invited and reminded, and whether and when they answered (from any events and
    responses: those of other people are ignored)."""
    theirs = [r for r in responses if same_address(r.member_email, member.email)]
    latest = max(theirs, key=lambda r: r.submitted_at, default=None)
    invited = _times(events, "invited", member.email)
    return MemberRecord(
        name=member.name,
        agency=member.agency,
        role=member.role,
        invited_at=invited[0] if invited else None,
        reminded_at=_times(events, "reminded", member.email),
        answered_at=latest.submitted_at if latest else None,
        versions=versions.get(member.address, 0),  # keyed by the address's normal form
        late=bool(latest and latest.late),
    )


def reviewer_record(
    reviewer: LeadReviewer, events: Sequence[Event], inputs: Sequence[ReviewerInput], form: ReviewerForm
) -> ReviewerRecord:
    """When a lead reviewer was sent the summary, how much they returned, and when they completed."""
    given = next((i for i in inputs if same_address(i.reviewer.email, reviewer.email)), None)
    sent = _times(events, "summary_sent", reviewer.email)
    completed = _times(events, "reviewer_complete", reviewer.email)
    return ReviewerRecord(
        name=reviewer.name,
        sent_summary_at=sent[0] if sent else None,
        comments=sum(1 for c in given.comments if c.text.strip()) if given else 0,
        proposals=tuple(p.label for p in form.proposals if given and given.proposals.get(p.id, "").strip()),
        completed_at=(given.completed_at if given else None) or (completed[0] if completed else None),
    )


def members_had_their_say(review, form, summary, members, events) -> QuestionEvidence:
    """Question 1: every member invited, with an open question to raise anything relevant."""
    invited = [m for m in members if m.invited_at]
    open_questions = [i for i in form.items if i.kind == "text" and i.group == "other"]
    points = _asked_and_answered(members, events)
    points += _names("Answered after the close and not included in the summary", summary.late_excluded)
    points += [f"Members were offered an open question: {i.id} {i.label}." for i in open_questions]
    if not invited:
        verdict = "No"
    elif len(invited) == len(members) and open_questions:
        verdict = "Yes"
    else:
        verdict = "Partly"
    missing = [f"an invitation for {m.name} ({m.agency})" for m in members if not m.invited_at]
    missing += [] if open_questions else ["an open question for anything else members think relevant"]
    return QuestionEvidence(1, QUESTIONS[0], verdict, tuple(points), tuple(missing))


def _asked_and_answered(members: Sequence[MemberRecord], events: Sequence[Event]) -> list[str]:
    invited = [m for m in members if m.invited_at]
    reminded = sum(1 for m in members if m.reminded_at)
    answered = [m for m in members if m.answered_at]
    late = sum(1 for m in answered if m.late)
    agencies = ", ".join(dict.fromkeys(m.agency for m in answered))
    closed = [e.at for e in events if e.kind == "deadline_passed"]
    points = [f"{len(invited)} of {len(members)} members were invited{_span([m.invited_at for m in invited])}."]
    points += _names("Not invited", [m for m in members if not m.invited_at])
    points.append(f"{_count(reminded, 'member')} {'was' if reminded == 1 else 'were'} sent at least one reminder.")
    points += [f"Member input closed on {format_when(closed[0])}."] if closed else []
    answered_in = f"{_count(len(answered), 'member')} answered" + (f" ({late} after the close)" if late else "")
    points.append(answered_in + (f", from {agencies}." if agencies else "."))
    points += _names("Did not answer", [m for m in members if not m.answered_at])
    return points


def reviewers_influenced(reviewers: Sequence[ReviewerRecord], rationale: Rationale) -> QuestionEvidence:
    """Question 2: every lead reviewer was sent the summary, returned input and completed."""
    points = [_reviewer_point(r) for r in reviewers]
    bearing = [f"{d.item_id} {d.label}" for d in rationale.decisions if any(d.taken)]
    changed = [f"{d.item_id} {d.label}" for d in rationale.decisions if d.changed_by_reviewers]
    points.append(f"The lead reviewers' proposals bear on: {'; '.join(bearing)}." if bearing
                  else "The lead reviewers made no proposal.")
    if rationale.agreed:
        points.append(f"The board's decision differs from members' input because of a proposal on: "
                      f"{'; '.join(changed)}." if changed else "No decision was changed by a lead reviewer's proposal.")
    sent = [r for r in reviewers if r.sent_summary_at]
    gave_input = any(r.comments or r.proposals for r in reviewers)
    if not sent:
        verdict = "No"
    elif len(sent) == len(reviewers) and all(r.completed_at for r in reviewers) and gave_input:
        verdict = "Yes"
    else:
        verdict = "Partly"
    missing = [f"{r.name}: {gap}" for r in reviewers for gap in (
        ["the factor summary was not sent"] if not r.sent_summary_at else []) + (
        ["review not completed"] if not r.completed_at else [])]
    missing += [] if gave_input else ["any comment or proposal from the lead reviewers"]
    return QuestionEvidence(2, QUESTIONS[1], verdict, tuple(points), tuple(missing))


def factors_considered(summary: FactorSummary, form: MemberForm, rationale: Rationale | None = None
                       ) -> QuestionEvidence:
    """Question 3: every case and context factor had member input, and the board named what weighed most."""
    factors = [summary.item(f.id) for f in form.factors()]
    points = [
        f"{f.item_id} {f.label}: {_count(f.answered, 'member')} gave a weight; weighed as "
        f"\u201c{form.scale_label(f.weight)}\u201d."  # the label members chose from, never the internal value
        if f.has_input
        else f"{f.item_id} {f.label}: no member input."
        for f in factors
    ]
    with_input = [f for f in factors if f.has_input]
    points.insert(0, f"{len(with_input)} of {len(factors)} case and context factors had member input.")
    verdict = _verdict(len(with_input), len(factors))
    missing = [f"member input on {f.item_id} {f.label}" for f in factors if not f.has_input]
    if rationale is not None and rationale.agreed:
        unweighed = [d.item_id for d in rationale.decisions if not (d.decided and d.decided.weighed_most)]
        missing += [f"{i}: the board did not record which factors weighed most" for i in unweighed]
        verdict = "Partly" if unweighed and verdict == "Yes" else verdict
    return QuestionEvidence(3, QUESTIONS[2], verdict, tuple(points), tuple(missing))


def rationale_cites_case_and_context(rationale: Rationale) -> QuestionEvidence:
    """Question 4: every decision's rationale cites both case and context factors by name."""
    points = []
    for d in rationale.decisions:
        case = ", ".join(c.item_id for c in d.case_factors) or "no case factor"
        context = ", ".join(c.item_id for c in d.context_factors) or "no context factor"
        points.append(f"{d.item_id} {d.label}: cites case {case}; context {context}.")
    citing = [d for d in rationale.decisions if d.cites_case_and_context]
    verdict = _verdict(len(citing), len(rationale.decisions))
    missing = [f"{d.item_id}: a factor related to the {'case' if not d.case_factors else 'context'}"
               for d in rationale.decisions if not d.cites_case_and_context]
    if rationale.agreed:
        record = rationale.record
        points.append(f"Reasons were recorded for every decision, agreed on {format_when(record.meeting_date)} "
                      f"({record.agreed_by}).")
    return QuestionEvidence(4, QUESTIONS[3], verdict, tuple(points), tuple(missing))


def _reviewer_point(r: ReviewerRecord) -> str:
    sent = f"sent the factor summary on {format_when(r.sent_summary_at)}" if r.sent_summary_at else "not sent"
    proposed = _count(len(r.proposals), "proposal") + (f" ({'; '.join(r.proposals)})" if r.proposals else "")
    done = f"completed on {format_when(r.completed_at)}" if r.completed_at else "not yet completed"
    return f"{r.name}: {sent}; {_count(r.comments, 'comment')}; {proposed}; {done}."


def _verdict(done: int, total: int) -> str:
    return "No" if done == 0 else "Yes" if done == total else "Partly"


def _span(moments: Sequence[dt.datetime]) -> str:
    if not moments:
        return ""
    first, last = min(moments), max(moments)
    if format_when(first) == format_when(last):  # within one minute: "on", never "between 06:12 and 06:12"
        return f" on {format_when(first)}"
    return f" between {format_when(first)} and {format_when(last)}"


def _names(heading: str, people: Sequence[MemberRecord | Member]) -> list[str]:
    return [f"{heading}: {', '.join(f'{p.name} ({p.agency})' for p in people)}."] if people else []


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _times(events: Sequence[Event], kind: str, email: str) -> tuple[dt.datetime, ...]:
    return tuple(e.at for e in events if e.kind == kind and same_address(e.person_email, email))


def _person(review: Review, email: str | None) -> str:
    if email is None:
        return "the system"
    people = [*review.members, *review.lead_reviewers, review.business_manager]
    return next((p.name for p in people if same_address(p.email, email)), email)
