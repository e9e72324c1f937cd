"""Where each review stands, in counts and dates only: for `scr status --all`, a foreground `scr start`,
and the board overview in the Prefect UI. Never answer text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from scr.domain.calendar import format_when
from scr.domain.model import Stage
from scr.services.backend import Backend
from scr.services.members import member_progress

NEXT_STEP = {
    Stage.STARTED: "the invitations go to the members",
    Stage.COLLECTING: "the factor summary is written once every member has answered, or at the deadline",
    Stage.CONSOLIDATED: "the factor summary goes to the lead reviewers",
    Stage.WITH_REVIEWERS: "the terms of reference are drafted once the lead reviewers complete, or at their deadline",
    Stage.DRAFTED: "the QM6 evidence is written and the business manager told",
    Stage.COMPLETE: "nothing: the review is complete",
    Stage.CANCELLED: "nothing: the review was cancelled",
}


@dataclass(frozen=True)
class Standing:
    """Where one review stands, in counts and dates only."""

    review_id: str
    pseudonym: str
    board_name: str
    stage: str
    answered: int
    invited: int
    next_deadline: dt.datetime | None
    next_reminder: dt.datetime | None
    next_step: str
    overdue: str | None = None
    by_agency: dict[str, tuple[int, int]] = field(default_factory=dict)  # agency: (answered, invited)

    def brief(self) -> str:
        """One line: 'SCR-2026-014 · collecting member input · 3 of 13 answered'."""
        counts = f" · {self.answered} of {self.invited} answered" if self.invited else ""
        return f"{self.review_id} · {self.stage}{counts}"


def standing(backend: Backend, review_id: str) -> Standing:
    store = backend.store
    review, schedule, stage = store.get_review(review_id), store.schedule(review_id), store.stage(review_id)
    now = backend.clock.now()
    answered = invited = 0
    by_agency: dict[str, tuple[int, int]] = {}
    if schedule.response_deadline is not None:
        progress = member_progress(backend, review_id)
        answered, invited = progress.answered, progress.invited
        asked = Counter(m.agency for m in progress.members)
        done = Counter(m.agency for m in progress.members if m.answered_at is not None)
        by_agency = {agency: (done[agency], asked[agency]) for agency in asked}
    deadline = {Stage.COLLECTING: schedule.response_deadline,
                Stage.WITH_REVIEWERS: schedule.reviewer_deadline}.get(stage)
    reminder = None
    if stage is Stage.COLLECTING and not (schedule.closed or schedule.close_now or schedule.cancelled):
        reminder = min((at for at in schedule.reminders if at > now), default=None)
    overdue = None
    if deadline is not None and now > deadline:  # the review should have moved on: is it being advanced?
        overdue = f"the deadline ({format_when(deadline)}) has passed and the review has not moved on"
    return Standing(review_id, review.child_pseudonym, review.board_name, str(stage), answered, invited,
                    deadline, reminder, NEXT_STEP.get(stage, f"see `scr status CONFIG --review {review_id}`"),
                    overdue, by_agency)


def board_overview(standings: list[Standing]) -> str:
    """Markdown for the board overview artifact: every open review, its stage, counts by agency, deadlines."""
    lines = [f"# Open reviews ({len(standings)})", "", "Counts and dates only; never what anyone wrote.", ""]
    if not standings:
        lines.append("No open reviews.")
    for s in standings:
        lines += [f"## {s.review_id} ({s.pseudonym}): {s.stage}", ""]
        if s.invited:
            lines.append(f"**Members:** {s.answered} of {s.invited} answered")
            lines += ["", "| agency | answered |", "|---|---|"]
            lines += [f"| {agency} | {done} of {asked} |" for agency, (done, asked) in sorted(s.by_agency.items())]
            lines.append("")
        if s.next_deadline is not None:
            lines.append(f"**Deadline:** {format_when(s.next_deadline)}"
                         + (f"; next reminder {format_when(s.next_reminder)}" if s.next_reminder else ""))
        if s.overdue:
            lines.append(f"**Overdue:** {s.overdue}")
        lines += [f"**Next:** {s.next_step}", ""]
    return "\n".join(lines)
