"""The rationale for a proportionate approach (quality marker 6, question 4).

For each decision A1-A5 it says what is proposed (or, once the board recorded it, decided), which case and
context factors weigh most and how, with members' reasons quoted and attributed, where members split, what
the lead reviewers said, and what follows for proportionality. It never states a judgement the board did
not make: without the board's decision record everything is a proposal. ``build_rationale`` builds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scr.domain.decisions import BoardDecision, DecisionRecord, ProposalTaken, Taken
from scr.domain.email import same_address
from scr.domain.forms import OTHER, MemberForm, ReviewerForm
from scr.domain.model import ReviewerInput
from scr.domain.summary import SLIGHT, WEIGHTY, FactorSummary, ItemSummary, Tally, agencies_of, is_split
from scr.domain.voices import Quote, ReviewerRemark, quotes, remarks_apart, remarks_on


@dataclass(frozen=True)
class FactorCitation:
    item_id: str  # "B2"
    label: str  # the marker's words
    group: str  # "case" | "context"
    weight: str  # as ItemSummary.weight
    weighty: int  # members rating it central or significant
    answered: int
    agencies: tuple[str, ...]  # agencies rating it central or significant
    slight: int = 0  # members rating it minor or not relevant
    slight_agencies: tuple[str, ...] = ()
    reasons: tuple[Quote, ...] = ()  # members' comments on the factor

    @property
    def split(self) -> bool:
        return is_split(self.weighty, self.slight)

    @property
    def weighs(self) -> bool:
        """Most members who rated it said central or significant."""
        return self.weighty * 2 > self.answered


@dataclass(frozen=True)
class DecisionRationale:
    item_id: str  # "A3"
    label: str
    case_factors: tuple[FactorCitation, ...]
    context_factors: tuple[FactorCitation, ...]
    member_view: str  # one or two sentences with counts and agencies
    member_tallies: tuple[Tally, ...]
    member_comments: tuple[Quote, ...]
    reviewer_remarks: tuple[ReviewerRemark, ...]
    settled: bool  # members' input points to one proposal; otherwise the board has to choose
    proposed: str  # the proposal in words, or (not settled) what the board has to choose between
    changed_by_reviewers: bool = False  # the board's recorded decision took a proposal and differs from members'
    member_others: tuple[Quote, ...] = ()  # what members typed for "other" (choice, multi)
    kind: str = "choice"
    follows: str = ""  # what follows for proportionality, from the factors' weights
    decided: BoardDecision | None = None
    decided_words: str = ""  # the board's decision in words (options' labels and its own text)
    taken: tuple[tuple[ReviewerRemark, ProposalTaken | None], ...] = ()  # each proposal and how the board took it
    silent_agencies: tuple[str, ...] = ()  # A5: agencies on the board none of whose members answered

    @property
    def cites_case_and_context(self) -> bool:
        return bool(self.case_factors) and bool(self.context_factors)

    @property
    def weighing_most(self) -> tuple[FactorCitation, ...]:
        return tuple(c for c in (*self.case_factors, *self.context_factors) if c.weighs)

    @property
    def factor_reasons(self) -> tuple[tuple[str, Quote], ...]:
        """Members' comments on the factors this decision weighs: (factor id, quote), weightiest factor first."""
        return reasons_of((*self.case_factors, *self.context_factors))

    @property
    def splits(self) -> tuple[FactorCitation, ...]:
        return tuple(c for c in (*self.case_factors, *self.context_factors) if c.split)


@dataclass(frozen=True)
class Rationale:
    decisions: tuple[DecisionRationale, ...]
    factors_without_weight: tuple[FactorCitation, ...]  # no member rated central or significant
    remarks_apart: tuple[ReviewerRemark, ...] = ()  # lead reviewers' comments bearing on no decision
    record: DecisionRecord | None = None

    def decision(self, item_id: str) -> DecisionRationale:
        return next(d for d in self.decisions if d.item_id == item_id)

    @property
    def agreed(self) -> bool:
        return self.record is not None


TEXT_PROPOSAL = "to be agreed, drawing on the areas members and the lead reviewers raised (below)."
NO_VIEW = "No member gave a view on this decision."


def build_rationale(
    summary: FactorSummary,
    form: MemberForm,
    reviewer_form: ReviewerForm,
    inputs: Sequence[ReviewerInput],
    record: DecisionRecord | None = None,
) -> Rationale:
    """Each decision A1-A5 with its factors, members' view and reasons, the lead reviewers' remarks, and the
    board's recorded decision when there is one."""
    order = list(agencies_of(summary.respondents))
    silent = tuple(a for a in dict.fromkeys(m.agency for m in summary.non_respondents) if a not in order)
    decisions = tuple(
        _decision(summary, form, item, reviewer_form, inputs, order, record, silent) for item in form.decisions()
    )
    unweighted = tuple(
        citation for citation in (cite(summary.item(f.id), order) for f in form.factors()) if citation.weighty == 0
    )
    return Rationale(decisions, unweighted, remarks_apart(form, inputs), record)


def cite(item: ItemSummary, agency_order: Sequence[str] = ()) -> FactorCitation:
    """A factor as the rationale cites it: its weight, who rated it weighty or slight, and members' reasons."""
    weighty = [t for t in item.tallies if t.value in WEIGHTY]
    slight = [t for t in item.tallies if t.value in SLIGHT]
    return FactorCitation(
        item_id=item.item_id, label=item.label, group=item.group, weight=item.weight,
        weighty=sum(t.count for t in weighty), answered=item.answered, agencies=_ranked(weighty, agency_order),
        slight=sum(t.count for t in slight), slight_agencies=_ranked(slight, agency_order),
        reasons=quotes(item.comments),
    )  # fmt: skip


def reasons_of(citations: Sequence[FactorCitation]) -> tuple[tuple[str, Quote], ...]:
    return tuple((c.item_id, q) for c in citations for q in c.reasons)


def _ranked(tallies: Sequence[Tally], order: Sequence[str]) -> tuple[str, ...]:
    agencies = {a for t in tallies for a in t.agencies}
    return tuple([a for a in order if a in agencies] + sorted(agencies - set(order)))


def _decision(summary, form, item, reviewer_form, inputs, order, record, silent) -> DecisionRationale:
    view = summary.item(item.id)
    citations = [cite(summary.item(fid), order) for fid in item.weighed_with]
    bearing = [c for c in citations if c.answered > 0 or c.reasons]
    remarks = remarks_on(item.id, item.weighed_with, reviewer_form, inputs)
    settled, proposed = proposed_decision(view)
    decided = record.decision(item.id) if record else None
    words = decided_words(form, item, decided, view.tallies) if decided else ""
    taken = tuple((r, _taken(record, r)) for r in remarks if r.kind == "proposal")
    return DecisionRationale(
        item_id=item.id, label=item.label, kind=item.kind,
        case_factors=_weightiest([c for c in bearing if c.group == "case"]),
        context_factors=_weightiest([c for c in bearing if c.group == "context"]),
        member_view=member_view(view), member_tallies=view.tallies, member_comments=quotes(view.comments),
        reviewer_remarks=remarks, settled=settled, proposed=proposed, member_others=quotes(view.others),
        follows=what_follows(bearing), decided=decided, decided_words=words, taken=taken,
        changed_by_reviewers=changed_by_reviewers(view, decided),
        silent_agencies=silent if item.kind == "multi" else (),
    )  # fmt: skip


def _taken(record: DecisionRecord | None, remark: ReviewerRemark) -> ProposalTaken | None:
    """How the board took a proposal, wherever in the record it answered it (a scope proposal under A1)."""
    if record is None:
        return None
    return next((p for d in record.decisions for p in d.proposals
                 if p.proposal_id == remark.section_id and same_address(p.reviewer_email, remark.reviewer_email)),
                None)  # fmt: skip


def leading_options(d: DecisionRationale) -> list[str]:
    """The options members' input points to: every agency named (A5), or the leading option when settled."""
    named = [t for t in d.member_tallies if t.count and t.value != OTHER]
    if d.kind == "multi":
        return [t.value for t in named]
    leading = max(d.member_tallies, key=lambda t: t.count, default=None)
    return [leading.value] if d.settled and leading in named else []


def changed_by_reviewers(view: ItemSummary, decided: BoardDecision | None) -> bool:
    """The board took a lead reviewer's proposal (adopted or adapted) and decided otherwise than members'
    input pointed: for a choice, another option than the most chosen; for a list or words, always."""
    if decided is None or not any(p.taken in (Taken.ADOPTED, Taken.ADAPTED) for p in decided.proposals):
        return False
    if view.kind != "choice":
        return True
    chosen = _chosen(view.tallies)
    leading = [t.value for t in chosen if t.count == chosen[0].count] if chosen else []
    return not set(decided.chosen) <= set(leading)


def decided_words(form: MemberForm, item, decided: BoardDecision, tallies: Sequence[Tally]) -> str:
    """The board's decision in words: the chosen options' labels, then its own words."""
    labels = {t.value: t.label for t in tallies}
    named = [labels.get(v, v) for v in decided.chosen if v != OTHER]
    parts = [_and(named)] if named else []
    if decided.text.strip():
        parts.append(decided.text.strip())
    return ": ".join(parts) if item.kind != "multi" else "; ".join(parts)


def what_follows(bearing: Sequence[FactorCitation]) -> str:
    """What the factors' weights mean for proportionality, as members weighed them (not the board's verdict)."""
    most = [c.item_id for c in bearing if c.weighs]
    little = [c.item_id for c in bearing if c.answered and not c.weighs and not c.split]
    split = [c.item_id for c in bearing if c.split]
    parts = []
    if most:
        parts.append(f"members' weights point to a review that gives most of its attention to {_and(most)}")
    if little:
        parts.append(f"{_and(little)}, which most members weighed as minor or not relevant, need not shape it")
    if split:
        parts.append(f"members are split on {_and(split)}, so the reasons for this decision should say how "
                     f"{'it was' if len(split) == 1 else 'they were'} weighed")
    if not parts:
        return "No factor bearing on this decision had members' input, so the board's reasons carry it alone."
    return _sentence_start("; ".join(parts)) + "."


def _weightiest(citations: list[FactorCitation]) -> tuple[FactorCitation, ...]:
    return tuple(sorted(citations, key=lambda c: (-c.weighty, c.item_id)))


def member_view(item: ItemSummary) -> str:
    """What members said about a decision, in plain sentences with counts and agencies."""
    if item.answered == 0:
        return NO_VIEW
    if item.kind == "text":
        return f"{_members(item.answered)} answered; their words follow, each once with every agency that gave it."
    chosen = _chosen(item.tallies)
    if not chosen:
        return f"No member chose an option; {_members(item.answered)} commented (below)."
    if item.kind == "multi":
        named = "; ".join(f"{_option(t)}: {t.count}" for t in chosen)
        return f"Of {_members(item.answered)} who gave a view, every agency named, with how many named it: {named}."
    total = sum(t.count for t in chosen)
    favoured = "; ".join(f"{t.count} chose {_option(t)} ({', '.join(t.agencies)})" for t in chosen)
    return f"Of {_members(total)} who chose an option, {favoured}."


def proposed_decision(item: ItemSummary) -> tuple[bool, str]:
    """(True, the proposal members' input points to), or (False, what the board has to choose between)."""
    if item.kind == "text":
        return False, TEXT_PROPOSAL
    chosen = _chosen(item.tallies)
    if item.kind == "multi":
        named = [t.label for t in chosen if t.value != OTHER]
        if named:
            return True, f"involve every agency members named: {', '.join(named)}."
        return False, "no member named an agency."
    total = sum(t.count for t in chosen)
    if chosen and chosen[0].count * 2 > total:
        return True, f"{_option(chosen[0])}, the option most members who chose one preferred."
    if not chosen:
        return False, "no member chose an option."
    return False, f"members were divided between {_and([_option(t) for t in chosen])}."


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
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
