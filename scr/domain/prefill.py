"""What the terms of reference can draft from the input already given, marked as drafts or proposals for the
board: key lines of enquiry (A2 and the lead reviewers), the period under review and the method (the lead
reviewers' proposals), family involvement (the open question), parallel processes and their bearing on the
timescale (P1), and resources and capacity (C4 and C6)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scr.domain.forms import ReviewerForm
from scr.domain.model import ReviewerInput
from scr.domain.rationale import FactorCitation, cite, reasons_of
from scr.domain.summary import FactorSummary, agencies_of
from scr.domain.voices import Quote, ReviewerRemark, proposal_text, quotes

FAMILY_WORDS = re.compile(r"\b(famil\w*|mother|father|parents?|grand\w*|carers?|siblings?|relatives?)\b", re.I)


@dataclass(frozen=True)
class DraftContent:
    """Content for sections the board writes, drafted from members' and the lead reviewers' input."""

    enquiry_from_members: tuple[Quote, ...]  # A2's questions, each once
    enquiry_from_reviewers: tuple[ReviewerRemark, ...]  # comments on A2 and the scope proposals
    scope_proposals: tuple[ReviewerRemark, ...]  # the period under review, who is in scope
    method_proposals: tuple[ReviewerRemark, ...]
    family: tuple[Quote, ...]  # open-question answers about the family
    anything_else: tuple[Quote, ...]  # every open-question answer
    parallel: tuple[Quote, ...]  # P1
    capacity: tuple[FactorCitation, ...]  # C4 and C6, with members' reasons

    @property
    def capacity_reasons(self) -> tuple[tuple[str, Quote], ...]:
        return reasons_of(self.capacity)


def draft_content(summary: FactorSummary, inputs: Sequence[ReviewerInput], form: ReviewerForm) -> DraftContent:
    order = list(agencies_of(summary.respondents))
    ids = {item.item_id for item in summary.items}
    open_answers = quotes(summary.item("Q1").comments) if "Q1" in ids else ()
    on_a2 = tuple(
        ReviewerRemark(given.reviewer.name, "comment", c.text, section_id="A2", reviewer_email=given.reviewer.email)
        for given in inputs for c in given.comments if c.section_id == "A2" and c.text.strip()
    )  # fmt: skip
    labels = {p.id: p.label for p in form.proposals}
    scope = proposal_text(inputs, "scope", labels.get("scope", ""))
    return DraftContent(
        enquiry_from_members=quotes(summary.item("A2").comments) if "A2" in ids else (),
        enquiry_from_reviewers=on_a2 + scope,
        scope_proposals=scope,
        method_proposals=proposal_text(inputs, "method", labels.get("method", "")),
        family=tuple(q for q in open_answers if FAMILY_WORDS.search(q.text)),
        anything_else=open_answers,
        parallel=quotes(summary.item("P1").comments) if "P1" in ids else (),
        capacity=tuple(cite(summary.item(f), order) for f in ("C4", "C6") if f in ids),
    )
