"""The rationale for a proportionate approach (quality marker 6, question 4).

For each decision A1-A5 it cites, by name, the case factors and the context factors that bear on it,
what members said (with counts and agencies) and what the lead reviewers commented or proposed.
Shapes only here; ``build_rationale`` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from scr.domain.summary import AttributedText, Tally


@dataclass(frozen=True)
class FactorCitation:
    item_id: str  # "B2"
    label: str  # the marker's words
    group: str  # "case" | "context"
    weight: str  # as ItemSummary.weight
    weighty: int  # members rating it central or significant
    answered: int
    agencies: tuple[str, ...]  # agencies rating it central or significant


@dataclass(frozen=True)
class ReviewerRemark:
    reviewer: str  # the lead reviewer's name
    kind: str  # "comment" | "proposal"
    text: str
    proposal: str = ""  # the proposal's label when kind == "proposal"


@dataclass(frozen=True)
class DecisionRationale:
    item_id: str  # "A3"
    label: str
    case_factors: tuple[FactorCitation, ...]
    context_factors: tuple[FactorCitation, ...]
    member_view: str  # one or two sentences with counts and agencies
    member_tallies: tuple[Tally, ...]
    member_comments: tuple[AttributedText, ...]
    reviewer_remarks: tuple[ReviewerRemark, ...]
    proposed: str  # the proposed decision in words, or "To be agreed by the board: ..."
    changed_by_reviewers: bool  # a lead reviewer proposed a change bearing on this decision

    @property
    def cites_case_and_context(self) -> bool:
        return bool(self.case_factors) and bool(self.context_factors)


@dataclass(frozen=True)
class Rationale:
    decisions: tuple[DecisionRationale, ...]
    factors_without_weight: tuple[FactorCitation, ...]  # no member rated central or significant

    def decision(self, item_id: str) -> DecisionRationale:
        return next(d for d in self.decisions if d.item_id == item_id)
