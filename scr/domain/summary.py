"""The factor summary: every member's input consolidated per form item, for the lead reviewers.

``consolidate`` builds them (see its docstring for the rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from scr.domain.email import EmailAddress
from scr.domain.forms import OTHER, Item, MemberForm
from scr.domain.model import ItemAnswer, Member, Response, Review


@dataclass(frozen=True)
class AttributedText:
    """Something a person typed, attributed to their agency and role (never their name)."""

    agency: str
    role: str
    text: str


@dataclass(frozen=True)
class Tally:
    """How many members gave one rating or chose one option, and from which agencies."""

    value: str
    label: str
    count: int
    agencies: tuple[str, ...]


@dataclass(frozen=True)
class ItemSummary:
    item_id: str
    group: str  # "case" | "context" | "decision" | "other"
    kind: str  # "factor" | "choice" | "multi" | "text"
    label: str  # the marker's words
    tallies: tuple[Tally, ...]  # ratings (factor) or options (choice, multi); every option, zeros included
    others: tuple[AttributedText, ...]  # what members typed for "other"
    comments: tuple[AttributedText, ...]
    answered: int  # members who gave anything for this item other than "don't know"
    weight: str  # factor: "central" | "significant" | "minor" | "not_relevant" | "no view"; else ""
    disagreement: str | None  # a sentence naming the split and its agencies, or None

    @property
    def has_input(self) -> bool:
        return self.answered > 0


@dataclass(frozen=True)
class SummarySection:
    section_id: str
    title: str
    items: tuple[ItemSummary, ...]


@dataclass(frozen=True)
class FactorSummary:
    review_id: str
    child_pseudonym: str
    generated_at: dt.datetime
    invited: int
    respondents: tuple[Member, ...]
    non_respondents: tuple[Member, ...]
    late_excluded: tuple[Member, ...]  # answered after the close and not included
    sections: tuple[SummarySection, ...]

    @property
    def answered(self) -> int:
        return len(self.respondents)

    @property
    def items(self) -> tuple[ItemSummary, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> ItemSummary:
        return next(i for i in self.items if i.item_id == item_id)


WEIGHT_ORDER = ("central", "significant", "minor", "not_relevant")  # most weighty first
WEIGHTY = ("central", "significant")
SLIGHT = ("minor", "not_relevant")
DONT_KNOW = "dont_know"
NO_VIEW = "no view"

Answered = list[tuple[Member, ItemAnswer]]


def consolidate(
    review: Review,
    form: MemberForm,
    responses: Sequence[Response],
    at: dt.datetime,
    include_late: bool = False,
) -> FactorSummary:
    """Consolidate the members' latest responses into a summary per form item.

    Responses from people who are not members of the review are ignored. Late responses are left out
    (and their members listed in ``late_excluded``) unless ``include_late``. Everything is in the
    review's member order; comments are attributed to agency and role, never to a name.
    """
    latest = _latest_by_member(review, responses)
    respondents, non_respondents, late_excluded = _who_answered(review, latest, include_late)
    answers = [(m, latest[m.address].answers) for m in respondents]
    sections = tuple(
        SummarySection(
            section_id=section.id,
            title=section.title,
            items=tuple(
                summarise_item(form, item, review.agencies, [(m, a.get(item.id, ItemAnswer())) for m, a in answers])
                for item in section.items
            ),
        )
        for section in form.sections
    )
    return FactorSummary(
        review_id=review.review_id,
        child_pseudonym=review.child_pseudonym,
        generated_at=at,
        invited=len(review.members),
        respondents=tuple(respondents),
        non_respondents=tuple(non_respondents),
        late_excluded=tuple(late_excluded),
        sections=sections,
    )


def summarise_item(form: MemberForm, item: Item, agencies: Sequence[str], given: Answered) -> ItemSummary:
    """One item's tallies, texts, answered count, weight and disagreement from the members' answers."""
    if item.kind == "factor":
        tallies = _tallies(form.scale, given, lambda a, value: a.rating == value)
        answered = sum(1 for _, a in given if a.rating in WEIGHT_ORDER)
        weight, disagreement = factor_weight(given), factor_disagreement(given)
    else:
        options = form.options_for(item, agencies) if item.kind in ("choice", "multi") else []
        tallies = _tallies(options, given, _chose)
        answered = sum(1 for _, a in given if a.comment or (item.kind != "text" and (_picked(a) or a.other)))
        weight = ""
        disagreement = choice_disagreement(tallies) if item.kind == "choice" else None
    return ItemSummary(
        item_id=item.id,
        group=item.group,
        kind=item.kind,
        label=item.label,
        tallies=tallies,
        others=_attributed(given, _other_chosen) if item.kind != "text" else (),
        comments=_attributed(given, _comment_with_stray_other),
        answered=answered,
        weight=weight,
        disagreement=disagreement,
    )


def factor_weight(given: Answered) -> str:
    """The median informative rating, counting from the weightiest; "no view" when there is none."""
    ranked = sorted((a.rating for _, a in given if a.rating in WEIGHT_ORDER), key=WEIGHT_ORDER.index)
    return ranked[(len(ranked) - 1) // 2] if ranked else NO_VIEW


def factor_disagreement(given: Answered) -> str | None:
    """A sentence when members are split on a factor (see ``is_split``), with counts and agencies."""
    high = [m for m, a in given if a.rating in WEIGHTY]
    low = [m for m, a in given if a.rating in SLIGHT]
    if not is_split(len(high), len(low)):
        return None
    return (
        f"Members are split: {len(high)} rated it central or significant ({', '.join(agencies_of(high))}); "
        f"{len(low)} rated it minor or not relevant ({', '.join(agencies_of(low))})."
    )


SPLIT_RULE = ("members are said to be split on a factor when at least a third of those who rated it chose "
              "central or significant and at least a third chose minor or not relevant")


def is_split(high: int, low: int) -> bool:
    """Split: each side (central or significant; minor or not relevant) holds at least a third of the ratings.
    An 11-to-1 view is not a split; 8 to 4 is."""
    total = high + low
    return high > 0 and low > 0 and 3 * min(high, low) >= total


def choice_disagreement(tallies: Sequence[Tally]) -> str | None:
    """A sentence when two or more options were chosen and none has a strict majority of those choosing."""
    chosen = sorted((t for t in tallies if t.count), key=lambda t: -t.count)
    total = sum(t.count for t in chosen)
    if len(chosen) < 2 or chosen[0].count * 2 > total:
        return None
    parts = "; ".join(f"{t.count} chose {t.label} ({', '.join(t.agencies)})" for t in chosen)
    return f"Members are divided: {parts}."


def agencies_of(members: Sequence[Member]) -> tuple[str, ...]:
    """The members' agencies, each once, in the order given."""
    return tuple(dict.fromkeys(m.agency for m in members))


def _who_answered(
    review: Review, latest: dict[str, Response], include_late: bool
) -> tuple[list[Member], list[Member], list[Member]]:
    """The members who answered, who did not, and whose late answers are left out, in member order."""
    respondents, non_respondents, late_excluded = [], [], []
    for member in review.members:
        response = latest.get(member.address)
        if response is None:
            non_respondents.append(member)
        elif response.late and not include_late:
            late_excluded.append(member)
        else:
            respondents.append(member)
    return respondents, non_respondents, late_excluded


def _latest_by_member(review: Review, responses: Sequence[Response]) -> dict[str, Response]:
    latest: dict[str, Response] = {}
    members: dict[str, Member] = {}
    for m in review.members:  # by address once, not a scan of every member per response; the first one wins
        members.setdefault(m.address, m)
    for response in responses:
        member = members.get(EmailAddress(response.member_email))
        if member is None:
            continue
        key = member.address
        if key not in latest or response.submitted_at >= latest[key].submitted_at:
            latest[key] = response
    return latest


def _tallies(options, given: Answered, matches) -> tuple[Tally, ...]:
    tallies = []
    for option in options:
        members = [m for m, a in given if matches(a, option.value)]
        tallies.append(Tally(option.value, option.label, len(members), agencies_of(members)))
    return tuple(tallies)


def _picked(answer: ItemAnswer) -> tuple[str, ...]:
    return (answer.choice,) if answer.choice else answer.choices


def _other_chosen(answer: ItemAnswer) -> str:
    """The "If other" text of a member who chose Other; only they answered "other"."""
    return answer.other if OTHER in _picked(answer) else ""


def _comment_with_stray_other(answer: ItemAnswer) -> str:
    """The comment, and any "If other" text typed without choosing Other: never shown as an "other" answer,
    never lost."""
    stray = answer.other if answer.other and OTHER not in _picked(answer) else ""
    return "\n\n".join(text for text in (answer.comment, stray) if text)


def _chose(answer: ItemAnswer, value: str) -> bool:
    return value in _picked(answer)


def _attributed(given: Answered, text_of) -> tuple[AttributedText, ...]:
    return tuple(AttributedText(m.agency, m.role, text_of(a)) for m, a in given if text_of(a))
