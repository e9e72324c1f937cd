"""Where each review stands, in counts and dates only: for `scr status --all`, a foreground `scr start`,
and the board overview in the Prefect UI. Never answer text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from scr.domain.calendar import format_when
from scr.domain.model import Review, Stage
from scr.domain.schedule import Schedule
from scr.ports import MemberActivity, StoredState
from scr.services.advancing import OPEN
from scr.services.backend import Backend

NEXT_STEP = {
    Stage.STARTED: "the invitations go to the members",
    Stage.COLLECTING: "the factor summary is written once every member has answered, or at the deadline",
    Stage.CONSOLIDATED: "the factor summary goes to the lead reviewers",
    Stage.WITH_REVIEWERS: "the terms of reference are drafted once the lead reviewers complete, or at their deadline",
    Stage.DRAFTED: ("the decisions on A1 to A5 are recorded (the business manager's page, `scr decide`, or "
                    "steer-review), then the agreed terms of reference (1.0) are written"),
    Stage.AGREED: "the agreed terms of reference go to the members and lead reviewers, and the review completes",
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


@dataclass(frozen=True)
class MemberCounts:
    """How many of a review's members were invited and have answered, overall and by agency."""

    invited: int = 0
    answered: int = 0
    by_agency: dict[str, tuple[int, int]] = field(default_factory=dict)  # agency: (answered, members)

    @classmethod
    def of(cls, review: Review, activity: MemberActivity) -> MemberCounts:
        """The counts for the review's members as they stand now (someone no longer a member is not counted)."""
        emails = [(m.agency, m.address) for m in review.members]
        asked = Counter(agency for agency, _ in emails)
        done = Counter(agency for agency, email in emails if email in activity.answered)
        return cls(invited=len(activity.invited & {email for _, email in emails}), answered=sum(done.values()),
                   by_agency={agency: (done[agency], asked[agency]) for agency in asked})


@dataclass(frozen=True)
class OpenReview:
    """One review as the board overview and the scheduled advance see it, read with the others at once."""

    review: Review
    stage: Stage
    schedule: Schedule
    members: MemberCounts  # zero until the response window opens


def open_reviews_at_once(backend: Backend, states: Sequence[StoredState] | None = None) -> list[OpenReview]:
    """Every open review (or those of ``states``) with its stage, schedule and members' counts, oldest first:
    four reads of the store for them all, however many there are."""
    store = backend.store
    states = store.review_states(OPEN) if states is None else states
    ids = [s.review_id for s in states]
    reviews, activity = store.reviews(ids), store.member_activity(ids)
    return [OpenReview(reviews[s.review_id], s.stage, s.schedule,
                       MemberCounts.of(reviews[s.review_id], activity[s.review_id])
                       if s.schedule.response_deadline is not None else MemberCounts())
            for s in states]


def standings(backend: Backend, states: Sequence[StoredState] | None = None) -> list[Standing]:
    """Where every open review (or each of ``states``) stands, for the board overview: read at once."""
    now = backend.clock.now()
    return [standing_of(open_review, now) for open_review in open_reviews_at_once(backend, states)]


def standing(backend: Backend, review_id: str) -> Standing:
    """Where one review stands, whatever its stage."""
    store = backend.store
    return standings(backend, [StoredState(review_id, store.stage(review_id), store.schedule(review_id))])[0]


def standing_of(open_review: OpenReview, now: dt.datetime) -> Standing:
    """Where a review stands at ``now``, from what was read of it."""
    review, stage, schedule, counts = open_review.review, open_review.stage, open_review.schedule, open_review.members
    deadline = {Stage.COLLECTING: schedule.response_deadline,
                Stage.WITH_REVIEWERS: schedule.reviewer_deadline}.get(stage)
    reminder = None
    if stage is Stage.COLLECTING and not (schedule.closed or schedule.close_now or schedule.cancelled):
        reminder = min((at for at in schedule.reminders if at > now), default=None)
    overdue = None
    if deadline is not None and now > deadline:  # the review should have moved on: is it being advanced?
        overdue = f"the deadline ({format_when(deadline)}) has passed and the review has not moved on"
    return Standing(review.review_id, review.child_pseudonym, review.board_name, str(stage), counts.answered,
                    counts.invited, deadline, reminder,
                    NEXT_STEP.get(stage, f"see `scr status CONFIG --review {review.review_id}`"), overdue,
                    counts.by_agency)


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
