"""Who said what, so that every word is accounted for: members' comments grouped (an identical comment is
shown once, with every agency that made it), and each lead reviewer's comment or proposal routed to where
it bears: on a decision, on the decisions a factor weighs on, or in a section of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.model import ReviewerInput
from scr.domain.summary import AttributedText


@dataclass(frozen=True)
class Quote:
    """A text members typed, once, with every agency and role that typed it (never a name)."""

    text: str
    said_by: tuple[str, ...]  # "NHS Northshire Hospitals Trust (Named nurse for safeguarding)"

    @property
    def attribution(self) -> str:
        return "; ".join(self.said_by)


def quotes(texts: Sequence[AttributedText]) -> tuple[Quote, ...]:
    """Identical comments (ignoring case and spacing at the ends) shown once, with every agency that made them."""
    grouped: dict[str, tuple[str, list[str]]] = {}
    for t in texts:
        key = " ".join(t.text.split()).casefold()
        text, sources = grouped.setdefault(key, (t.text, []))
        source = f"{t.agency} ({t.role})"
        if source not in sources:
            sources.append(source)
    return tuple(Quote(text, tuple(sources)) for text, sources in grouped.values())


@dataclass(frozen=True)
class ReviewerRemark:
    """One thing a lead reviewer returned: a comment (or reply) on a section, or a proposal."""

    reviewer: str  # the lead reviewer's name
    kind: str  # "comment" | "proposal"
    text: str
    proposal: str = ""  # the proposal's label when kind == "proposal"
    section_id: str = ""  # where a comment was made: "A3", "B2", "general"; a proposal's id
    reviewer_email: str = ""
    at: dt.datetime | None = None

    @property
    def where_made(self) -> str:
        if self.kind == "proposal":
            return self.proposal
        return "the summary as a whole" if self.section_id == "general" else f"section {self.section_id}"


def remarks_on(
    item_id: str, weighed_with: Sequence[str], reviewer_form: ReviewerForm, inputs: Sequence[ReviewerInput]
) -> tuple[ReviewerRemark, ...]:
    """The remarks bearing on a decision: comments on it, comments on the factors it weighs, and proposals
    bearing on it, reviewer by reviewer."""
    remarks: list[ReviewerRemark] = []
    for given in inputs:
        r = given.reviewer
        remarks += [ReviewerRemark(r.name, "comment", c.text, section_id=c.section_id, reviewer_email=r.email,
                                   at=c.created_at)
                    for c in given.comments
                    if c.text.strip() and (c.section_id == item_id or c.section_id in weighed_with)]
        remarks += [ReviewerRemark(r.name, "proposal", given.proposals[p.id], proposal=p.label, section_id=p.id,
                                   reviewer_email=r.email)
                    for p in reviewer_form.proposals
                    if item_id in p.bears_on and given.proposals.get(p.id, "").strip()]
    return tuple(remarks)


def remarks_apart(form: MemberForm, inputs: Sequence[ReviewerInput]) -> tuple[ReviewerRemark, ...]:
    """Comments that bear on no decision (on the summary as a whole, on P1 or Q1, on a factor no decision
    weighs): the terms of reference give them a section of their own."""
    weighed = {f for item in form.decisions() for f in item.weighed_with} | {i.id for i in form.decisions()}
    return tuple(
        ReviewerRemark(given.reviewer.name, "comment", c.text, section_id=c.section_id,
                       reviewer_email=given.reviewer.email, at=c.created_at)
        for given in inputs
        for c in given.comments
        if c.text.strip() and c.section_id not in weighed
    )


def proposal_text(inputs: Sequence[ReviewerInput], proposal_id: str, label: str) -> tuple[ReviewerRemark, ...]:
    """Every lead reviewer's proposal of one kind ("scope", "method", ...), as a proposal."""
    return tuple(
        ReviewerRemark(given.reviewer.name, "proposal", given.proposals[proposal_id], proposal=label,
                       section_id=proposal_id, reviewer_email=given.reviewer.email)
        for given in inputs
        if given.proposals.get(proposal_id, "").strip()
    )
