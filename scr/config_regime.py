"""The parts of a board configuration that depend on the regime: the statutory safeguarding partners and the
rapid review (Working Together 2023), what a partnership's configuration must hold, and what `scr check`
warns about. ``scr.config`` uses them; ``_Strict`` is repeated here so that neither module imports the other
at load time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scr.domain.regime import LCSPR_CRITERIA, LSCB_ENDED, RapidReview

__all__ = ["RapidReviewConfig", "StatutoryPartnersConfig", "regime_problem", "regime_warnings"]

Text = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class StatutoryPartnersConfig(_Strict):
    """Each statutory safeguarding partner, by the agency name its members give."""

    local_authority: Text
    integrated_care_board: Text
    police: Text


LcsprCriterion = Literal[tuple(LCSPR_CRITERIA)]  # type: ignore[valid-type]


class RapidReviewConfig(_Strict):
    """The serious incident notification and rapid review (safeguarding partnerships only)."""

    incident_known_on: dt.date = Field(description="when the local authority learned of the serious incident")
    panel_notified_on: dt.date | None = Field(None, description="the notification to the Panel (due in 5 working days)")
    notified_by: str = Field("", max_length=200, description="who notified the Panel (the local authority)")
    completed_on: dt.date | None = Field(None, description="the rapid review's completion (due in 15 working days)")
    sent_to_panel_on: dt.date | None = None
    outcome: str = Field("", max_length=3000, description="what the rapid review found and recommended, anonymised")
    criteria_met: list[LcsprCriterion] = Field(
        default_factory=list, description="which criteria of regulation 11 the partners found the case meets")

    @model_validator(mode="after")
    def _in_order(self) -> RapidReviewConfig:
        for name in ("panel_notified_on", "completed_on", "sent_to_panel_on"):
            day = getattr(self, name)
            if day is not None and day < self.incident_known_on:
                raise ValueError(f"{name} ({day}) is before incident_known_on ({self.incident_known_on}); "
                                 "check both dates")
        return self

    def rapid_review(self, holidays: Sequence[dt.date] = ()) -> RapidReview:
        """The domain's record, its working days counted without ``holidays``."""
        return RapidReview(**{**self.model_dump(), "criteria_met": tuple(self.criteria_met),
                              "holidays": tuple(holidays)})


def regime_problem(config) -> str | None:
    """What makes ``config`` (a ``Config``) incomplete for its regime, naming the field; None if nothing."""
    board, case = config.board, config.case
    if config.regime == "lscb":
        for field, given in (("board.statutory_partners", board.statutory_partners),
                             ("case.rapid_review", case.rapid_review)):
            if given is not None:
                return (f"{field} belongs to a safeguarding partnership's review; set board.regime: partnership, "
                        "or remove it for an LSCB's review")
        return None
    if board.statutory_partners is None:
        return ("board.statutory_partners: a safeguarding partnership's review needs its three statutory "
                "partners: give the agency (as members' agency names it) for local_authority, "
                "integrated_care_board and police")
    known = {agency.casefold() for agency in config.agencies}
    for role, agency in board.statutory_partners:
        if config.members and agency.casefold() not in known:
            return (f"board.statutory_partners.{role}: {agency!r} is no member's agency; spell it as in the "
                    "members list, so that the summary can set the partners apart")
    return None


def regime_warnings(config) -> list[str]:
    """What `scr check` points out about the regime without refusing the file."""
    found = []
    if config.regime == "lscb" and config.case.decision_date > LSCB_ENDED:
        found.append(f"board.regime is lscb, but case.decision_date {config.case.decision_date} is after "
                     f"{LSCB_ENDED:%d %B %Y}, when LSCBs' reviews ended: a case decided since is the "
                     "safeguarding partners' (board.regime: partnership). Keep lscb only for a historical case.")
    rapid = config.rapid_review()
    if config.regime == "partnership" and rapid is None:
        found.append("case.rapid_review is not given: the documents will ask for the notification to the "
                     "Panel and the rapid review's outcome.")
    if rapid and rapid.notified_in_time is False:
        found.append(f"case.rapid_review.panel_notified_on is after {rapid.notification_due} (5 working days "
                     "from incident_known_on); the documents record it as late.")
    if rapid and rapid.completed_in_time is False:
        found.append(f"case.rapid_review.completed_on is after {rapid.rapid_review_due} (15 working days "
                     "from incident_known_on); the documents record it as late.")
    return found
