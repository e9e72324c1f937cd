"""Accounting for every lead reviewer's input: each comment and proposal, where the terms of reference cite
it, and what the board did with it (adopted, adapted or not adopted, with its reason). No text is copied:
the evidence names the item by reviewer, kind and section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scr.domain.email import EmailAddress
from scr.domain.forms import ReviewerForm
from scr.domain.model import ReviewerInput
from scr.domain.rationale import Rationale

AWAITING = "awaiting the decision"
#: Sections of the terms of reference that draw on a proposal besides the rationale (section 5).
PROPOSAL_SECTIONS = {"scope": ("6", "8"), "method": ("9",), "reviewer_skills": ("10",), "agencies": ("7",)}


@dataclass(frozen=True)
class ReviewerItem:
    reviewer: str
    kind: str  # "comment" | "proposal"
    made_on: str  # "section B2", "the summary as a whole", a proposal's label
    cited_in: tuple[str, ...]  # "section 5, A1", "section 9", ...
    taken: str  # for a proposal: adopted / adapted / not adopted / AWAITING; for a comment: "cited"
    reason: str = ""  # the board's reason, when it gave one


def account_for(rationale: Rationale, inputs: Sequence[ReviewerInput], form: ReviewerForm) -> tuple[ReviewerItem, ...]:
    """One row per comment and per proposal in the store, in reviewer order; none is left out."""
    items: list[ReviewerItem] = []
    for given in inputs:
        name, email = given.reviewer.name, given.reviewer.address
        for comment in given.comments:
            if not comment.text.strip():
                continue
            cited = [f"section 5, {d.item_id}" for d in rationale.decisions
                     if any(r.kind == "comment" and EmailAddress(r.reviewer_email) == email and r.text == comment.text
                            and r.section_id == comment.section_id for r in d.reviewer_remarks)]
            cited = cited or ["section 5, the lead reviewers' other comments"]
            made_on = "the summary as a whole" if comment.section_id == "general" else f"section {comment.section_id}"
            items.append(ReviewerItem(name, "comment", made_on, tuple(cited), "cited"))
        for proposal in form.proposals:
            if given.proposals.get(proposal.id, "").strip():
                items.append(_proposal_row(rationale, name, email, proposal))
    return tuple(items)


def _proposal_row(rationale: Rationale, name: str, email: str, proposal) -> ReviewerItem:
    cited = [f"section 5, {i}" for i in proposal.bears_on]
    cited += [f"section {s}" for s in PROPOSAL_SECTIONS.get(proposal.id, ())]
    taken = next((t for d in rationale.decisions for r, t in d.taken
                  if r.section_id == proposal.id and EmailAddress(r.reviewer_email) == email), None)
    if taken is None:
        return ReviewerItem(name, "proposal", proposal.label, tuple(cited), AWAITING)
    return ReviewerItem(name, "proposal", proposal.label, tuple(cited), taken.taken.value, taken.reason)
