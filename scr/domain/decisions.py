"""The board's decision record: what the board decided on A1-A5, why, and how it took the lead reviewers'
proposals. The tool consolidates and cites; only this record says what the board decided.

``check_record`` refuses a record the board could not have meant (a decision missing, an option the form
does not offer, a proposal left unanswered), naming each thing to fix. Every record is kept: a second one
is a new version, and the latest counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from scr.domain.email import EmailAddress
from scr.domain.forms import OTHER, MemberForm, ReviewerForm
from scr.domain.model import ReviewerInput
from scr.errors import Problems


class Taken(StrEnum):
    """How the board took a lead reviewer's proposal."""

    ADOPTED = "adopted"
    ADAPTED = "adapted"
    NOT_ADOPTED = "not adopted"


@dataclass(frozen=True)
class ProposalTaken:
    """What the board did with one lead reviewer's proposal, and why (a reason is needed unless adopted)."""

    reviewer_email: str
    proposal_id: str  # the reviewer form's proposal id: "scope", "method", ...
    taken: Taken
    reason: str = ""


@dataclass(frozen=True)
class BoardDecision:
    """The board's decision on one item A1-A5, in its own words."""

    item_id: str
    chosen: tuple[str, ...] = ()  # option values: one for a choice (A1, A3), one or more for A5
    text: str = ""  # the decision in words: required for A2 and A4, and to say what "other" means
    reasons: str = ""
    weighed_most: tuple[str, ...] = ()  # factor ids B1-C6
    proposals: tuple[ProposalTaken, ...] = ()


@dataclass(frozen=True)
class DecisionRecord:
    """One version of the board's decisions, with who agreed them, at which meeting, and who recorded them."""

    review_id: str
    decisions: tuple[BoardDecision, ...]
    agreed_by: str  # who agreed it: "the board at its meeting, chaired by ..."
    meeting_date: dt.date
    recorded_by: str  # email of the chair or business manager who recorded it
    recorded_at: dt.datetime
    version: int = 0  # given by the store

    def decision(self, item_id: str) -> BoardDecision | None:
        return next((d for d in self.decisions if d.item_id == item_id), None)


class DecisionRecordRefused(Problems):
    """A decision record the board must correct; ``problems`` are (field, what to fix), never typed text."""

    def __init__(self, review_id: str, problems: list[tuple[str, str]]):
        self.review_id = review_id
        super().__init__(f"The decision record for {review_id} was not recorded", problems)


@dataclass(frozen=True)
class OpenProposal:
    """A lead reviewer's proposal the board must say how it took, on one decision."""

    reviewer_email: str
    reviewer_name: str
    proposal_id: str
    label: str
    item_id: str

    @property
    def key(self) -> str:
        return f"{self.proposal_id}.{EmailAddress(self.reviewer_email)}"


def open_proposals(reviewer_form: ReviewerForm, inputs: Sequence[ReviewerInput], item_id: str) -> list[OpenProposal]:
    """The proposals bearing on ``item_id``: the first decision a proposal bears on is where the board answers it."""
    found = []
    for given in inputs:
        for proposal in reviewer_form.proposals:
            if proposal.bears_on[:1] == [item_id] and given.proposals.get(proposal.id, "").strip():
                found.append(OpenProposal(given.reviewer.email, given.reviewer.name, proposal.id, proposal.label,
                                          item_id))
    return found


def check_record(
    record: DecisionRecord,
    form: MemberForm,
    reviewer_form: ReviewerForm,
    inputs: Sequence[ReviewerInput],
    agencies: Sequence[str],
    cancelled: bool = False,
) -> None:
    """Refuse (``DecisionRecordRefused``) a record that misses a decision, names an option the form does not
    offer, leaves a reviewer's proposal unanswered, or comes after the review was cancelled."""
    if cancelled:
        raise DecisionRecordRefused(record.review_id, [(
            "(review)", "the review was cancelled, so no decision can be recorded for it; start a new review "
            "with `scr start` if the board still means to commission one")])
    problems: list[tuple[str, str]] = []
    if not record.agreed_by.strip():
        problems.append(("agreed_by", "say who agreed these decisions (for example the board at its meeting, "
                                      "and who chaired it)"))
    factor_ids = [f.id for f in form.factors()]
    for item in form.decisions():
        decision = record.decision(item.id)
        if decision is None:
            problems.append((item.id, f"no decision recorded for {item.id} ({item.label}); add it"))
            continue
        offered = [o.value for o in form.options_for(item, agencies)]
        problems += _decision_problems(item, decision, offered, factor_ids)
        problems += _proposal_problems(item.id, decision, open_proposals(reviewer_form, inputs, item.id))
    unknown = [d.item_id for d in record.decisions if d.item_id not in {i.id for i in form.decisions()}]
    problems += [(i, f"{i} is not a decision the terms of reference make; use A1 to A5") for i in unknown]
    if problems:
        raise DecisionRecordRefused(record.review_id, problems)


def _decision_problems(item, decision: BoardDecision, offered: list[str], factor_ids: list[str]):
    problems = []
    where = item.id
    strange = [v for v in decision.chosen if v not in offered]
    if item.kind == "text" and decision.chosen:
        problems.append((f"{where}.option", f"{where} is decided in words: put the decision under text"))
    elif strange:
        problems.append((f"{where}.option", f"{', '.join(strange)} is not an option of {where}; choose from "
                                            f"{', '.join(offered)}"))
    if item.kind == "choice" and len(decision.chosen) != 1:
        problems.append((f"{where}.option", f"choose exactly one option for {where}"))
    if item.kind == "multi" and not decision.chosen:
        problems.append((f"{where}.option", f"choose at least one of the options for {where}"))
    if (item.kind == "text" or OTHER in decision.chosen) and not decision.text.strip():
        what = "the decision in the board's words" if item.kind == "text" else "what \u201cother\u201d means"
        problems.append((f"{where}.text", f"write {what}"))
    if not decision.reasons.strip():
        problems.append((f"{where}.reasons", f"give the board's reasons for {where}, in its own words"))
    stray = [f for f in decision.weighed_most if f not in factor_ids]
    if stray:
        problems.append((f"{where}.weighed_most", f"{', '.join(stray)} is not a factor; use B1-B3 or C1-C6"))
    return problems


def _proposal_problems(item_id: str, decision: BoardDecision, expected: list[OpenProposal]):
    problems = []
    given = {f"{p.proposal_id}.{EmailAddress(p.reviewer_email)}": p for p in decision.proposals}
    for proposal in expected:
        taken = given.get(proposal.key)
        where = f"{item_id}.proposals.{proposal.proposal_id} ({proposal.reviewer_name})"
        if taken is None:
            problems.append((where, "say whether the board adopted, adapted or did not adopt this proposal"))
        elif taken.taken is not Taken.ADOPTED and not taken.reason.strip():
            problems.append((where, f"give the board's reason: the proposal was {taken.taken.value}"))
    known = {p.key for p in expected}
    problems += [(f"{item_id}.proposals.{key}", "no such lead reviewer's proposal bears on this decision")
                 for key in given if key not in known]
    return problems
