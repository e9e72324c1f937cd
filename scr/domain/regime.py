"""Who commissions a review, and under which rules: an LSCB's Serious Case Review (to 29 September 2019),
or the safeguarding partners' Local Child Safeguarding Practice Review (Working Together 2023, chapter 5).

Since the Children and Social Work Act 2017 took effect, three statutory safeguarding partners decide: the
local authority, the integrated care board and the chief officer of police. The local authority notifies the
Child Safeguarding Practice Review Panel within 5 working days of learning of a serious incident, and the
partners complete a rapid review within 15 working days; its outcome is an input to commissioning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scr.domain.calendar import add_working_days

__all__ = [
    "LCSPR_CRITERIA",
    "LSCB_ENDED",
    "NOTIFICATION_WORKING_DAYS",
    "RAPID_REVIEW_WORKING_DAYS",
    "STATUTORY_PARTNER_ROLES",
    "STATUTORY_PARTNER_SHORT",
    "RapidReview",
    "StatutoryPartners",
    "regime_for",
]

#: The last day an LSCB could decide to commission a Serious Case Review in England: the partners' local
#: arrangements were in place everywhere by 29 September 2019.
LSCB_ENDED = dt.date(2019, 9, 29)
NOTIFICATION_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15

#: The three statutory safeguarding partners, in the order Working Together names them.
STATUTORY_PARTNER_ROLES = {
    "local_authority": "the local authority",
    "integrated_care_board": "the integrated care board",
    "police": "the chief officer of police",
}

#: Each partner in a word or two, for tables.
STATUTORY_PARTNER_SHORT = {"local_authority": "local authority", "integrated_care_board": "ICB", "police": "police"}

#: The criteria the partners take into account in deciding on a local review: the Child Safeguarding Practice
#: Review and Relevant Agency (England) Regulations 2018, regulation 11, quoted.
LCSPR_CRITERIA = {
    "improvements": "highlights or may highlight improvements needed to safeguard and promote the welfare of "
    "children, including where those improvements have been previously identified",
    "recurrent_themes": "highlights or may highlight recurrent themes in the safeguarding and promotion of the "
    "welfare of children",
    "working_together": "highlights or may highlight concerns regarding two or more agencies working together "
    "effectively to safeguard and promote the welfare of children",
    "panel_referred": "is one which the Child Safeguarding Practice Review Panel have considered and concluded "
    "a local review may be more appropriate",
}


def regime_for(decision_date: dt.date) -> str:
    """The regime a case decided on ``decision_date`` falls under: ``lscb`` up to 29 September 2019, then
    ``partnership``."""
    return "lscb" if decision_date <= LSCB_ENDED else "partnership"


@dataclass(frozen=True)
class StatutoryPartners:
    """The agency (as members' ``agency`` names it) that is each of the three statutory partners."""

    local_authority: str
    integrated_care_board: str
    police: str

    def named(self) -> list[tuple[str, str]]:
        """(role in Working Together's words, agency) for each partner, in Working Together's order."""
        return [(role, getattr(self, key)) for key, role in STATUTORY_PARTNER_ROLES.items()]

    def role_of(self, agency: str) -> str | None:
        """The statutory partner ``agency`` is ("the local authority" ...), or None for a relevant agency."""
        wanted = agency.casefold()
        return next((role for role, name in self.named() if name.casefold() == wanted), None)

    def short_roles(self, agencies: Iterable[str]) -> list[str]:
        """The partners among ``agencies`` in a word or two each ("local authority", "ICB", "police"), in
        Working Together's order."""
        wanted = {agency.casefold() for agency in agencies}
        return [STATUTORY_PARTNER_SHORT[key] for key in STATUTORY_PARTNER_ROLES
                if getattr(self, key).casefold() in wanted]

    def is_partner(self, agency: str) -> bool:
        return self.role_of(agency) is not None

    def members_by_partner(self, members: Sequence) -> list[tuple[str, str, list]]:
        """(role, agency, its members) for each partner: who speaks for each statutory partner. Anything with
        an ``agency`` attribute will do (members, respondents, attributed comments)."""
        return [(role, agency, [m for m in members if m.agency.casefold() == agency.casefold()])
                for role, agency in self.named()]

    def split(self, agencies: Iterable[str]) -> tuple[list[str], list[str]]:
        """``agencies`` as (statutory partners, relevant agencies), each in the order given."""
        agencies = list(dict.fromkeys(agencies))
        return [a for a in agencies if self.is_partner(a)], [a for a in agencies if not self.is_partner(a)]


@dataclass(frozen=True)
class RapidReview:
    """The serious incident notification and the rapid review that came before commissioning.

    ``outcome`` is the partners' own summary of what the rapid review found and recommended (anonymised,
    written by the business manager in the configuration). Dates the board has not got yet stay ``None``.
    """

    incident_known_on: dt.date
    panel_notified_on: dt.date | None = None
    notified_by: str = ""
    completed_on: dt.date | None = None
    sent_to_panel_on: dt.date | None = None
    outcome: str = ""
    criteria_met: tuple[str, ...] = ()
    holidays: tuple[dt.date, ...] = ()

    @property
    def notification_due(self) -> dt.date:
        """5 working days after the local authority learned of the incident."""
        return _working_days_after(self.incident_known_on, NOTIFICATION_WORKING_DAYS, self.holidays)

    @property
    def rapid_review_due(self) -> dt.date:
        """15 working days after the local authority learned of the incident."""
        return _working_days_after(self.incident_known_on, RAPID_REVIEW_WORKING_DAYS, self.holidays)

    @property
    def notified_in_time(self) -> bool | None:
        return None if self.panel_notified_on is None else self.panel_notified_on <= self.notification_due

    @property
    def completed_in_time(self) -> bool | None:
        return None if self.completed_on is None else self.completed_on <= self.rapid_review_due

    @property
    def criteria(self) -> list[str]:
        """The regulation 11 criteria the partners found the case meets, in the regulation's words and order."""
        return [text for key, text in LCSPR_CRITERIA.items() if key in self.criteria_met]


def _working_days_after(day: dt.date, days: int, holidays: Iterable[dt.date]) -> dt.date:
    start = dt.datetime.combine(day, dt.time(12))
    return add_working_days(start, days, holidays).date()
