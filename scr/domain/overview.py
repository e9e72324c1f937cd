"""A one-page overview of every factor for the front of the factor summary: its weight, how members split,
and which agencies (statutory partners set apart, in a partnership) rated it central or significant."""

from __future__ import annotations

from dataclasses import dataclass

from scr.domain.model import Review
from scr.domain.summary import FactorSummary

WEIGHTY = ("central", "significant")
LIGHT = ("minor", "not_relevant")


@dataclass(frozen=True)
class FactorLine:
    item_id: str
    label: str
    weight: str  # as the summary gives it: "central", "significant", "minor", "not_relevant", "no view"
    weighty: int  # members who rated it central or significant
    light: int  # members who rated it minor or not relevant
    unsure: int  # members who said they did not know
    partners: tuple[str, ...]  # statutory partners rating it central or significant: "local authority", "ICB" ...
    agencies: tuple[str, ...]  # the other agencies rating it central or significant
    others_asked: int  # how many agencies (other than the statutory partners) were asked

    @property
    def partners_in_words(self) -> str:
        """'all three', 'ICB and police', or 'none'."""
        if len(self.partners) == 3:
            return "all three"
        return " and ".join(self.partners) or "none"

    @property
    def split(self) -> str:
        """How members divided, stated plainly: '6 central or significant, 6 minor or not relevant'."""
        if not self.weighty + self.light + self.unsure:
            return "no rating"
        parts = [f"{self.weighty} central or significant", f"{self.light} minor or not relevant"]
        if self.unsure:
            parts.append(f"{self.unsure} did not know")
        return ", ".join(parts)


def factor_overview(summary: FactorSummary, review: Review) -> list[FactorLine]:
    """One line per case and context factor, in the summary's order."""
    lines = []
    for item in summary.items:
        if item.kind != "factor":
            continue
        counts = {tally.value: tally for tally in item.tallies}
        weighty_agencies = dict.fromkeys(a for v in WEIGHTY if v in counts for a in counts[v].agencies)
        partners = [a for a in weighty_agencies if review.statutory_partner(a)]
        lines.append(FactorLine(
            item_id=item.item_id,
            label=item.label,
            weight=item.weight,
            weighty=sum(counts[v].count for v in WEIGHTY if v in counts),
            light=sum(counts[v].count for v in LIGHT if v in counts),
            unsure=counts["dont_know"].count if "dont_know" in counts else 0,
            partners=tuple(review.partners.short_roles(partners)) if review.partners else (),
            agencies=tuple(a for a in weighty_agencies if a not in partners),
            others_asked=len([a for a in review.agencies if not review.statutory_partner(a)]),
        ))
    return lines
