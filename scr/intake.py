"""Receiving a member's answer, whichever way it came in: the local web form, the review's Google Form or a
Google Forms CSV download. ``receive_answer`` decides once, for every route, what happens to it:

- an answer with a typed text over the limit every form applies is refused whole, never half-kept;
- a row of a file dated before the review opened is refused (a file may hold another review's answers;
  the web form and the review's own Google Form cannot);
- an answer from someone who is not a member is held apart, never merged, and a ``held_apart`` event says so
  (once: the same answer read again is held already);
- a member's answer is kept as their next version, marked late after the deadline (or an early close), and a
  ``response_received`` event says so; one already kept (the same ``ref``) is a duplicate and adds nothing.

It sits beside ``scr.ports`` rather than in ``scr.services`` because a backend (the Google Form channel's
collect) calls it too, and backends do not reach into services. It writes only through the store port, and
never puts answer text in an event, an outcome or a log.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from scr.domain.forms import MAX_TEXT, over_limit
from scr.domain.model import Event, ItemAnswer, Review
from scr.domain.schedule import Schedule
from scr.ports import ReviewStore

__all__ = ["Arrival", "Outcome", "Received", "Refusal", "Route", "receive_answer"]


class Route(enum.Enum):
    """Where an answer came in; its value is how events name it."""

    WEB_FORM = "web form"
    GOOGLE_FORM = "Google Form"
    CSV_IMPORT = "CSV import"

    @property
    def may_hold_other_reviews(self) -> bool:
        """A downloaded file may be another review's (or an older form's); a personal link or the review's own
        Google Form only ever holds answers to this review."""
        return self is Route.CSV_IMPORT


class Received(enum.Enum):
    KEPT = "kept"
    KEPT_LATE = "kept, late"
    HELD_APART = "held apart"
    HELD_BEFORE = "held apart already"
    DUPLICATE = "already kept"
    REFUSED = "refused"


class Refusal(enum.Enum):
    TOO_LONG = "too long"
    BEFORE_START = "dated before the review started"


@dataclass(frozen=True)
class Arrival:
    """An answer as a route read it: who gave it (as they gave their address), what, when, and ``ref``, the
    route's own name for it (Google's response id and time, a file's address and Timestamp) when it can come
    again; a web post has none, each one is new."""

    email: str | None
    answers: dict[str, ItemAnswer]
    submitted_at: dt.datetime
    route: Route
    ref: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of an answer. ``email`` is the member's address as the review knows it (or as given, when not a
    member); ``version`` the member's version it is kept as; ``refusal`` and ``reason`` why it was refused (never
    its text)."""

    received: Received
    email: str
    version: int | None = None
    refusal: Refusal | None = None
    reason: str = ""

    @property
    def kept(self) -> bool:
        """Kept as a new version of a member's answers (on time or late)."""
        return self.received in (Received.KEPT, Received.KEPT_LATE)

    @property
    def held_apart(self) -> bool:
        """Held apart from the members' answers (now, or by an earlier read of the same answer)."""
        return self.received in (Received.HELD_APART, Received.HELD_BEFORE)

    @property
    def late(self) -> bool:
        return self.received is Received.KEPT_LATE


def receive_answer(
    store: ReviewStore, review: Review, schedule: Schedule, arrival: Arrival, kept: dict[str, int] | None = None
) -> Outcome:
    """Refuse, hold apart or keep one answer (see the module's docstring), and record the event that says so.

    ``kept`` is each member's latest version kept so far, as ``store.response_versions`` gives it: a route taking
    in many answers passes one, read once, and it is brought up to date here. Without it, an answer carrying a
    ``ref`` reads it from the store, to tell a duplicate from a new version."""
    given = arrival.email or "(no address)"
    refused = _refusal(schedule, arrival)
    if refused is not None:
        return Outcome(Received.REFUSED, given, refusal=refused[0], reason=refused[1])
    member = review.member(arrival.email or "")
    if member is None:
        return _hold_apart(store, review, arrival, given)
    if kept is None:
        kept = store.response_versions(review.review_id) if arrival.ref is not None else {}
    late = schedule.is_late(arrival.submitted_at)
    version = store.save_response(review.review_id, member.email, arrival.answers, arrival.submitted_at, late,
                                  ref=arrival.ref)
    if version <= kept.get(member.email, 0):  # its ref was kept before: the store gave that version back
        return Outcome(Received.DUPLICATE, member.email, version)
    kept[member.email] = version
    detail = f"version {version}" + (", after the deadline" if late else "") + f", by {arrival.route.value}"
    store.record_event(review.review_id, Event("response_received", arrival.submitted_at, member.email, detail))
    return Outcome(Received.KEPT_LATE if late else Received.KEPT, member.email, version)


def _refusal(schedule: Schedule, arrival: Arrival) -> tuple[Refusal, str] | None:
    too_long = over_limit(arrival.answers)
    if too_long:
        named = ", ".join(f"{item_id} ({name})" for item_id, name, _ in too_long)
        return Refusal.TOO_LONG, (f"{named} over the {MAX_TEXT:,} characters every form allows; nothing of this "
                                  "answer was kept: ask the member to shorten it")
    opened = schedule.opened_at
    if arrival.route.may_hold_other_reviews and opened is not None and arrival.submitted_at < opened:
        return Refusal.BEFORE_START, ("dated before the review started; not kept: check it is an answer to this "
                                      "review's form (and the board's timezone setting)")
    return None


def _hold_apart(store: ReviewStore, review: Review, arrival: Arrival, given: str) -> Outcome:
    """Keep an answer from someone not a member apart from the members' answers (never merged), once."""
    ref = arrival.ref or f"{arrival.route.name.lower()}:{given.lower()}:{arrival.submitted_at.isoformat()}"
    if not store.hold_response(review.review_id, ref, given, arrival.answers, arrival.submitted_at):
        return Outcome(Received.HELD_BEFORE, given)
    store.record_event(review.review_id, Event("held_apart", arrival.submitted_at, arrival.email,
                                               f"not a member ({arrival.route.value})"))
    return Outcome(Received.HELD_APART, given)
