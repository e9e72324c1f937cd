"""Many at once: one transaction, or one read, where the store's single methods would take one each (an
invitation round's tokens and events; every open review's state, people and members' activity for a check)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence

from sqlalchemy import select

from scr.domain.email import EmailAddress
from scr.domain.model import Event, Review, Role, Stage
from scr.errors import ReviewNotFound
from scr.ports import MemberActivity, StoredState
from scr.store.codec import moment, parse_moment, review_from_json, schedule_from_json
from scr.store.tables import events, responses, reviews, tokens


class ManyAtOnce:
    """Mixed into ``SqlStore``: uses its ``_reading`` and ``_writing`` transactions."""

    def issue_tokens(self, review_id: str, emails: Sequence[str], role: Role) -> dict[str, str]:
        """Each address's open link token (a new one where it has none), all in one transaction."""
        role = Role(role)
        with self._writing(f"issue {role.value} links for review {review_id}") as conn:
            rows = conn.execute(select(tokens.c.email, tokens.c.token).where(
                tokens.c.review_id == review_id, tokens.c.role == role.value, tokens.c.open.is_(True)))
            issued = {email: token for email, token in rows}
            new = [dict(token=secrets.token_urlsafe(32), review_id=review_id, email=email, role=role.value, open=True)
                   for email in dict.fromkeys(emails) if email not in issued]
            if new:
                conn.execute(tokens.insert(), new)
            issued.update((row["email"], row["token"]) for row in new)
            return {email: issued[email] for email in emails}

    def record_events(self, review_id: str, events_: Sequence[Event]) -> None:
        """Record the events in order, in one transaction."""
        if not events_:
            return
        with self._writing(f"record {len(events_)} {events_[0].kind} events for review {review_id}") as conn:
            conn.execute(events.insert(), [dict(review_id=review_id, kind=e.kind, person_email=e.person_email,
                                                at=moment(e.at), detail=e.detail) for e in events_])

    def review_states(self, stages: Sequence[Stage] | None = None) -> list[StoredState]:
        """Every review's stage and schedule (those at one of ``stages`` only, if given), oldest first: one read."""
        query = select(reviews.c.review_id, reviews.c.stage, reviews.c.deadlines).order_by(reviews.c.created_at)
        if stages is not None:
            query = query.where(reviews.c.stage.in_([Stage(s).value for s in stages]))
        with self._reading("list reviews with their stages") as conn:
            rows = conn.execute(query).all()
        return [StoredState(r.review_id, Stage(r.stage), schedule_from_json(r.deadlines)) for r in rows]

    def reviews(self, review_ids: Sequence[str]) -> dict[str, Review]:
        """The reviews asked for, by id (one read per 500); an id not in the store is an error."""
        found: dict[str, Review] = {}
        with self._reading(f"read {len(review_ids)} reviews") as conn:
            for chunk in _chunks(review_ids):
                rows = conn.execute(select(reviews.c.review_id, reviews.c.review).where(reviews.c.review_id.in_(chunk)))
                found.update((r.review_id, review_from_json(r.review)) for r in rows)
        if missing := [r for r in review_ids if r not in found]:
            raise ReviewNotFound(missing[0])
        return {r: found[r] for r in review_ids}

    def member_activity(self, review_ids: Sequence[str]) -> dict[str, MemberActivity]:
        """Who was invited and reminded, and each member's latest answer's time and lateness, for each review:
        two reads per 500 reviews, and no answer is read."""
        people: dict[str, dict[str, set[str]]] = {r: {"invited": set(), "reminded": set()} for r in review_ids}
        answered: dict[str, dict[str, tuple[int, str, bool]]] = {r: {} for r in review_ids}
        with self._reading(f"read members' activity for {len(review_ids)} reviews") as conn:
            for chunk in _chunks(review_ids):
                rows = conn.execute(select(events.c.review_id, events.c.kind, events.c.person_email).where(
                    events.c.review_id.in_(chunk), events.c.kind.in_(("invited", "reminded"))))
                for review_id, kind, email in rows:
                    if email:
                        people[review_id][kind].add(EmailAddress(email))
                rows = conn.execute(select(responses.c.review_id, responses.c.email, responses.c.version,
                                           responses.c.submitted_at, responses.c.late)
                                    .where(responses.c.review_id.in_(chunk)))
                for review_id, email, version, at, late in rows:
                    mine, key = answered[review_id], EmailAddress(email)
                    if key not in mine or mine[key][0] < version:
                        mine[key] = (version, at, bool(late))
        return {r: MemberActivity(
            invited=frozenset(people[r]["invited"]), reminded=frozenset(people[r]["reminded"]),
            answered={email: (parse_moment(at), late) for email, (_, at, late) in answered[r].items()})
            for r in review_ids}


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """``items`` a few hundred at a time: SQLite limits how many values one statement may carry."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
