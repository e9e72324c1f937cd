"""The rationale for a proportionate approach (quality marker 6, question 4).

For each decision A1-A5 it cites, by name, the case factors and the context factors that bear on it,
what members said (with counts and agencies) and what the lead reviewers commented or proposed.
``build_rationale`` builds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scr.domain.forms import OTHER, MemberForm, ReviewerForm
from scr.domain.model import ReviewerInput
from scr.domain.summary import WEIGHTY, AttributedText, FactorSummary, ItemSummary, Tally, agencies_of


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
    settled: bool  # members' input points to a decision; otherwise the board still has to agree it
    proposed: str  # the proposed decision in words, or (not settled) why the board still has to agree it
    changed_by_reviewers: bool  # a lead reviewer proposed a change bearing on this decision
    member_others: tuple[AttributedText, ...] = ()  # what members typed for "other" (choice, multi)

    @property
    def cites_case_and_context(self) -> bool:
        return bool(self.case_factors) and bool(self.context_factors)


@dataclass(frozen=True)
class Rationale:
    decisions: tuple[DecisionRationale, ...]
    factors_without_weight: tuple[FactorCitation, ...]  # no member rated central or significant

    def decision(self, item_id: str) -> DecisionRationale:
        return next(d for d in self.decisions if d.item_id == item_id)


TEXT_PROPOSAL = "draw on the areas members and the lead reviewers raised."
NO_VIEW = "No member gave a view on this decision."


def build_rationale(
    summary: FactorSummary,
    form: MemberForm,
    reviewer_form: ReviewerForm,
    inputs: Sequence[ReviewerInput],
) -> Rationale:
    """Cite, for each decision A1-A5, the case and context factors with input, the members' view and the
    lead reviewers' remarks, and propose a decision in words."""
    order = list(agencies_of(summary.respondents))
    decisions = tuple(_decision(summary, item, reviewer_form, inputs, order) for item in form.decisions())
    unweighted = tuple(
        citation for citation in (cite(summary.item(f.id), order) for f in form.factors()) if citation.weighty == 0
    )
    return Rationale(decisions=decisions, factors_without_weight=unweighted)


def cite(item: ItemSummary, agency_order: Sequence[str] = ()) -> FactorCitation:
    """A factor as the rationale cites it: its weight and the agencies rating it central or significant."""
    weighty = [t for t in item.tallies if t.value in WEIGHTY]
    agencies = {a for t in weighty for a in t.agencies}
    ranked = [a for a in agency_order if a in agencies] + sorted(agencies - set(agency_order))
    return FactorCitation(
        item_id=item.item_id,
        label=item.label,
        group=item.group,
        weight=item.weight,
        weighty=sum(t.count for t in weighty),
        answered=item.answered,
        agencies=tuple(ranked),
    )


def _decision(summary, item, reviewer_form, inputs, order) -> DecisionRationale:
    view = summary.item(item.id)
    citations = [cite(summary.item(fid), order) for fid in item.weighed_with]
    bearing = [c for c in citations if c.answered > 0]
    remarks = reviewer_remarks(item.id, reviewer_form, inputs)
    changed = any(r.kind == "proposal" for r in remarks)
    settled, proposed = proposed_decision(view)
    return DecisionRationale(
        item_id=item.id,
        label=item.label,
        case_factors=_weightiest([c for c in bearing if c.group == "case"]),
        context_factors=_weightiest([c for c in bearing if c.group == "context"]),
        member_view=member_view(view),
        member_tallies=view.tallies,
        member_comments=view.comments,
        reviewer_remarks=remarks,
        settled=settled,
        proposed=proposed,
        changed_by_reviewers=changed,
        member_others=view.others,
    )


def _weightiest(citations: list[FactorCitation]) -> tuple[FactorCitation, ...]:
    return tuple(sorted(citations, key=lambda c: (-c.weighty, c.item_id)))


def member_view(item: ItemSummary) -> str:
    """What members said about a decision, in plain sentences with counts and agencies."""
    if item.answered == 0:
        return NO_VIEW
    if item.kind == "text":
        return f"{_members(item.answered)} suggested {item.label}; their comments follow."
    chosen = _chosen(item.tallies)
    if not chosen:
        return f"No member chose an option; {_members(item.answered)} commented (below)."
    if item.kind == "multi":
        named = "; ".join(f"{_members(t.count)} named {_option(t)}" for t in chosen)
        return f"Of {_members(item.answered)} who gave a view, {named}."
    total = sum(t.count for t in chosen)
    favoured = "; ".join(f"{t.count} favoured {_option(t)} ({', '.join(t.agencies)})" for t in chosen)
    return f"Of {_members(total)} who gave a view, {favoured}."


def proposed_decision(item: ItemSummary) -> tuple[bool, str]:
    """(True, the decision the members' view points to), or (False, why the board still has to agree it)."""
    if item.kind == "text":
        return False, TEXT_PROPOSAL
    chosen = _chosen(item.tallies)
    if item.kind == "multi":
        involve = [t.label for t in chosen if t.value != OTHER and t.count * 2 >= item.answered]
        if involve:
            return True, f"Involve: {', '.join(involve)}."
        return False, "no agency was named by at least half of the members who gave a view."
    total = sum(t.count for t in chosen)
    if chosen and chosen[0].count * 2 > total:
        return True, f"{_sentence_start(_option(chosen[0]))}, as favoured by {chosen[0].count} of {total} members."
    if not chosen:
        return False, "no member chose an option."
    return False, f"views were divided between {_and([_option(t) for t in chosen])}."


def reviewer_remarks(
    item_id: str, reviewer_form: ReviewerForm, inputs: Sequence[ReviewerInput]
) -> tuple[ReviewerRemark, ...]:
    """The lead reviewers' comments on a decision and their proposals bearing on it, reviewer by reviewer."""
    remarks: list[ReviewerRemark] = []
    for given in inputs:
        name = given.reviewer.name
        remarks += [
            ReviewerRemark(name, "comment", c.text)
            for c in given.comments
            if c.section_id == item_id and c.text.strip()
        ]
        remarks += [
            ReviewerRemark(name, "proposal", given.proposals[p.id], proposal=p.label)
            for p in reviewer_form.proposals
            if item_id in p.bears_on and given.proposals.get(p.id, "").strip()
        ]
    return tuple(remarks)


def _chosen(tallies: Sequence[Tally]) -> list[Tally]:
    """Options chosen at least once, most chosen first, in form order among equals."""
    return sorted((t for t in tallies if t.count), key=lambda t: -t.count)


def _option(tally: Tally) -> str:
    return "another option members described (below)" if tally.value == OTHER else tally.label


def _sentence_start(words: str) -> str:
    return words[:1].upper() + words[1:]


def _members(count: int) -> str:
    return f"{count} member" if count == 1 else f"{count} members"


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
