"""The review store on SQLAlchemy Core: an SQLite file by default, any SQL database by URL.

Only portable column types are used (JSON is kept as text), so a PostgreSQL URL works as well.
On SQLite the file runs in WAL mode with a busy timeout, and write transactions take the write
lock when they begin (``BEGIN IMMEDIATE``), so the web app's threads and the flow can write at once;
on PostgreSQL they take an advisory lock for the same end (see ``tables.make_engine``).
Datetimes are timezone-aware UTC and stored as ISO strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from scr.domain.email import EmailAddress, email_or_none
from scr.domain.model import (
    Event,
    ItemAnswer,
    Response,
    Review,
    Role,
    Stage,
)
from scr.domain.schedule import Schedule
from scr.errors import ReviewExists, ReviewNotFound, StoreError
from scr.ports import Grant, MemberActivity, StoredDocument, StoredState
from scr.store.codec import (
    answers_from_json,
    answers_to_json,
    moment,
    parse_moment,
    review_from_json,
    review_to_json,
    schedule_from_json,
    schedule_to_json,
)
from scr.store.decision_store import DecisionRecords
from scr.store.google_store import GoogleState
from scr.store.legacy import WEB_SECRET, upgrade
from scr.store.reviewer_store import ReviewerInputs
from scr.store.tables import (
    app_secrets,
    documents,
    events,
    held_responses,
    leases,
    make_engine,
    metadata,
    reported_progress,
    responses,
    reviews,
    tokens,
)

__all__ = ["SqlStore", "review_to_json", "review_from_json", "answers_to_json", "answers_from_json"]


class SqlStore(DecisionRecords, ReviewerInputs, GoogleState):
    """A ``ReviewStore`` on any SQLAlchemy URL (``sqlite:///path``, ``postgresql+psycopg://...``)."""

    def __init__(self, url: str):
        self._engine = make_engine(url)
        database = self._engine.url.database
        if self._engine.url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        self._writer = self._engine.execution_options(scr_write=True)
        self._where = self._engine.url.render_as_string(hide_password=True)
        with self._writing("create its tables") as conn:
            metadata.create_all(conn)
            upgrade(conn)

    @classmethod
    def for_data_dir(cls, path: str | Path) -> SqlStore:
        """The store in ``<path>/scr.sqlite3``, creating the directory if needed."""
        return cls(f"sqlite:///{(Path(path) / 'scr.sqlite3').resolve()}")

    def close(self) -> None:
        self._engine.dispose()

    # reviews

    def create_review(self, review: Review, schedule: Schedule) -> None:
        row = dict(
            review_id=review.review_id,
            review=review_to_json(review),
            deadlines=schedule_to_json(schedule),
            stage=Stage.STARTED.value,
            created_at=moment(dt.datetime.now(dt.UTC)),
        )
        try:
            with self._writing(f"start review {review.review_id}") as conn:
                if conn.scalar(select(reviews.c.review_id).where(reviews.c.review_id == review.review_id)):
                    raise ReviewExists(review.review_id)
                conn.execute(reviews.insert().values(**row))
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise ReviewExists(review.review_id) from None
            raise

    def get_review(self, review_id: str) -> Review:
        return review_from_json(self._review_column(review_id, reviews.c.review))

    def review_ids(self) -> list[str]:
        with self._reading("list reviews") as conn:
            return list(conn.scalars(select(reviews.c.review_id).order_by(reviews.c.created_at)))

    def schedule(self, review_id: str) -> Schedule:
        return schedule_from_json(self._review_column(review_id, reviews.c.deadlines))

    def update_schedule(self, review_id: str, **changes: Any) -> Schedule:
        """Change some of a review's deadlines and decisions in one transaction; returns the whole schedule."""
        with self._writing(f"update review {review_id}") as conn:
            where = reviews.c.review_id == review_id
            text = conn.scalar(select(reviews.c.deadlines).where(where).with_for_update())
            if text is None:
                raise ReviewNotFound(review_id)
            schedule = dataclasses.replace(schedule_from_json(text), **changes)
            conn.execute(reviews.update().where(where).values(deadlines=schedule_to_json(schedule, json.loads(text))))
            return schedule

    def stage(self, review_id: str) -> Stage:
        return Stage(self._review_column(review_id, reviews.c.stage))

    def set_stage(self, review_id: str, stage: Stage) -> None:
        """Move the review forward to ``stage`` (never back); a cancelled or complete review stays as it is."""
        with self._writing(f"update review {review_id}") as conn:
            where = reviews.c.review_id == review_id
            current = conn.scalar(select(reviews.c.stage).where(where))
            if current is None:
                raise ReviewNotFound(review_id)
            if Stage(stage).follows(Stage(current)):
                conn.execute(reviews.update().where(where).values(stage=Stage(stage).value))

    # personal links

    def issue_token(self, review_id: str, email: str, role: Role) -> str:
        role = Role(role)
        with self._writing(f"issue a {role.value} link for review {review_id}") as conn:
            existing = conn.scalar(
                select(tokens.c.token).where(
                    tokens.c.review_id == review_id, tokens.c.email == email,
                    tokens.c.role == role.value, tokens.c.open.is_(True),
                )
            )  # fmt: skip
            if existing:
                return existing
            token = secrets.token_urlsafe(32)
            conn.execute(tokens.insert().values(token=token, review_id=review_id, email=email,
                                                role=role.value, open=True))  # fmt: skip
            return token

    def resolve_token(self, token: str) -> Grant | None:
        if not token or len(token) > 64:
            return None
        with self._reading("look up a personal link") as conn:
            row = conn.execute(select(tokens).where(tokens.c.token == token, tokens.c.open.is_(True))).first()
        return Grant(review_id=row.review_id, email=row.email, role=Role(row.role)) if row else None

    def close_tokens(self, review_id: str, role: Role) -> None:
        with self._writing(f"close {Role(role).value} links for review {review_id}") as conn:
            conn.execute(tokens.update().where(tokens.c.review_id == review_id,
                                               tokens.c.role == Role(role).value).values(open=False))  # fmt: skip

    # members' responses

    def save_response(
        self, review_id: str, email: str, answers: dict[str, ItemAnswer], at: dt.datetime, late: bool,
        ref: str | None = None,
    ) -> int:
        """Keep a new version of a member's answers; an answer whose ``ref`` is already kept is not added again."""
        mine = (responses.c.review_id == review_id) & (responses.c.email == email)

        def write(conn: Connection) -> int:
            if ref is not None:
                known = select(responses.c.version).where(
                    (responses.c.review_id == review_id) & (responses.c.ref == ref))
                if (version := conn.scalar(known)) is not None:
                    return version
            version = (conn.scalar(select(func.max(responses.c.version)).where(mine)) or 0) + 1
            conn.execute(responses.insert().values(
                review_id=review_id, email=email, version=version, submitted_at=moment(at),
                late=bool(late), answers=answers_to_json(answers), ref=ref,
            ))  # fmt: skip
            return version

        return self._next_version(f"save a response for review {review_id}", write)

    def _next_version(self, action: str, write: Callable[[Connection], int]) -> int:
        """Run ``write`` in a write transaction, again if another writer took the same version number (not
        on SQLite, where writers queue); returns what ``write`` returns."""
        for _attempt in range(5):
            try:
                with self._writing(action) as conn:
                    return write(conn)
            except StoreError as exc:
                if not isinstance(exc.__cause__, IntegrityError):
                    raise
        raise StoreError(f"The store at {self._where} could not {action}: another writer kept taking its turn; "
                         "try again.")

    def latest_responses(self, review_id: str, include_late: bool = True) -> list[Response]:
        """Each member's latest response; with ``include_late=False``, their latest one on time."""
        counted = responses.c.review_id == review_id
        if not include_late:
            counted &= responses.c.late.is_(False)
        latest = (
            select(responses.c.email, func.max(responses.c.version).label("version"))
            .where(counted)
            .group_by(responses.c.email)
            .subquery()
        )
        query = (
            select(responses)
            .join(latest, (responses.c.email == latest.c.email) & (responses.c.version == latest.c.version))
            .where(responses.c.review_id == review_id)
            .order_by(responses.c.submitted_at, responses.c.email)
        )
        with self._reading(f"read responses for review {review_id}") as conn:
            rows = conn.execute(query).all()
        return [
            Response(member_email=EmailAddress(r.email), submitted_at=parse_moment(r.submitted_at),
                     answers=answers_from_json(r.answers), version=r.version, late=bool(r.late))
            for r in rows
        ]  # fmt: skip

    def response_versions(self, review_id: str) -> dict[str, int]:
        query = (
            select(responses.c.email, func.max(responses.c.version))
            .where(responses.c.review_id == review_id)
            .group_by(responses.c.email)
            .order_by(responses.c.email)
        )
        with self._reading(f"read response versions for review {review_id}") as conn:
            return {EmailAddress(email): version for email, version in conn.execute(query)}

    # lead reviewers' input

    def hold_response(
        self, review_id: str, ref: str, email: str, answers: dict[str, ItemAnswer], at: dt.datetime
    ) -> bool:
        """Hold apart answers from someone who is not a member of the review; never merged. False if held already."""
        with self._writing(f"hold a response apart for review {review_id}") as conn:
            key = (held_responses.c.review_id == review_id) & (held_responses.c.ref == ref)
            if conn.scalar(select(held_responses.c.ref).where(key)) is not None:
                return False
            conn.execute(held_responses.insert().values(
                review_id=review_id, ref=ref, email=email, submitted_at=moment(at), answers=answers_to_json(answers),
            ))  # fmt: skip
            return True

    def held_responses(self, review_id: str) -> list[tuple[str, dt.datetime]]:
        """Who answered without being a member, and when (their answers stay in the store, apart)."""
        with self._reading(f"read held responses for review {review_id}") as conn:
            rows = conn.execute(select(held_responses.c.email, held_responses.c.submitted_at)
                                .where(held_responses.c.review_id == review_id)
                                .order_by(held_responses.c.submitted_at))
            return [(r.email, parse_moment(r.submitted_at)) for r in rows]  # as written: shown, never matched

    # documents

    def documents(self, review_id: str) -> dict[str, StoredDocument]:
        """Where each of the review's documents was last written, by document name."""
        with self._reading(f"read the documents of review {review_id}") as conn:
            rows = conn.execute(select(documents).where(documents.c.review_id == review_id).order_by(documents.c.name))
            return {r.name: StoredDocument(tuple(json.loads(r.refs)), r.written_at and parse_moment(r.written_at))
                    for r in rows}

    def set_document(self, review_id: str, name: str, refs: Sequence[str], written_at: dt.datetime) -> None:
        row = dict(refs=json.dumps([str(ref) for ref in refs], ensure_ascii=False), written_at=moment(written_at))
        with self._writing(f"keep where {name} of review {review_id} was written") as conn:
            where = (documents.c.review_id == review_id) & (documents.c.name == name)
            if conn.execute(documents.update().where(where).values(**row)).rowcount == 0:
                conn.execute(documents.insert().values(review_id=review_id, name=name, **row))

    # what the business manager was last shown of the review's progress

    def reported_progress(self, review_id: str, what: str) -> str | None:
        """The fingerprint of the ``what`` ("members", "reviewers") progress last reported, if any."""
        with self._reading(f"read the {what} progress reported for review {review_id}") as conn:
            where = (reported_progress.c.review_id == review_id) & (reported_progress.c.what == what)
            return conn.scalar(select(reported_progress.c.digest).where(where))

    def set_reported_progress(self, review_id: str, what: str, digest: str) -> None:
        with self._writing(f"keep the {what} progress reported for review {review_id}") as conn:
            where = (reported_progress.c.review_id == review_id) & (reported_progress.c.what == what)
            if conn.execute(reported_progress.update().where(where).values(digest=digest)).rowcount == 0:
                conn.execute(reported_progress.insert().values(review_id=review_id, what=what, digest=digest))

    # leases

    def claim(self, review_id: str, holder: str, until: dt.datetime, now: dt.datetime,
              holder_gone: Callable[[str], bool] = lambda _holder: False) -> bool:
        """Take the review's lease until ``until`` unless another holder has one that has neither expired
        nor been left by a process that is gone (``holder_gone``)."""
        with self._writing(f"claim review {review_id}") as conn:
            where = leases.c.review_id == review_id
            lease = conn.execute(select(leases.c.holder, leases.c.until).where(where)).first()
            if lease is not None:
                held = lease.holder != holder and parse_moment(lease.until) > now
                if held and not holder_gone(lease.holder):
                    return False
                conn.execute(leases.delete().where(where))
            conn.execute(leases.insert().values(review_id=review_id, holder=holder, until=moment(until)))
            return True

    def release(self, review_id: str, holder: str) -> None:
        """Give the lease back, if ``holder`` still has it."""
        with self._writing(f"release review {review_id}") as conn:
            conn.execute(leases.delete().where((leases.c.review_id == review_id) & (leases.c.holder == holder)))

    # the web app

    def web_secret(self) -> bytes:
        """The web app's secret, made on first use in the same transaction, so concurrent starts agree."""
        where = app_secrets.c.name == WEB_SECRET
        with self._reading("read the web app's secret") as conn:
            kept = conn.scalar(select(app_secrets.c.value).where(where))
        if kept is None:
            with self._writing("keep the web app's secret") as conn:
                kept = conn.scalar(select(app_secrets.c.value).where(where))
                if kept is None:
                    kept = secrets.token_hex(32)
                    conn.execute(app_secrets.insert().values(name=WEB_SECRET, value=kept))
        return bytes.fromhex(kept)

    def record_event(self, review_id: str, event: Event) -> None:
        with self._writing(f"record a {event.kind} event for review {review_id}") as conn:
            conn.execute(events.insert().values(review_id=review_id, kind=event.kind, person_email=event.person_email,
                                                at=moment(event.at), detail=event.detail))  # fmt: skip

    def events(self, review_id: str, kind: str | None = None) -> list[Event]:
        query = select(events).where(events.c.review_id == review_id).order_by(events.c.seq)
        if kind is not None:
            query = query.where(events.c.kind == kind)
        with self._reading(f"read events for review {review_id}") as conn:
            rows = conn.execute(query).all()
        return [Event(kind=r.kind, at=parse_moment(r.at), person_email=email_or_none(r.person_email), detail=r.detail)
                for r in rows]

    # plumbing

    def _review_column(self, review_id: str, column: Column) -> Any:
        with self._reading(f"read review {review_id}") as conn:
            value = conn.scalar(select(column).where(reviews.c.review_id == review_id))
        if value is None:
            raise ReviewNotFound(review_id)
        return value

    @contextmanager
    def _reading(self, action: str) -> Iterator[Connection]:
        with self._failing_as_store_error(action), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _writing(self, action: str) -> Iterator[Connection]:
        with self._failing_as_store_error(action), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def _failing_as_store_error(self, action: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            # The driver's own message only: SQLAlchemy's would carry the statement's parameters.
            reason = str(getattr(exc, "orig", None) or type(exc).__name__)
            raise StoreError(f"The store at {self._where} could not {action}: {reason}") from exc

    # many at once (one transaction, or one read, where the single methods above would take one each)

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
                    people[review_id][kind].add((email or "").lower())
                rows = conn.execute(select(responses.c.review_id, responses.c.email, responses.c.version,
                                           responses.c.submitted_at, responses.c.late)
                                    .where(responses.c.review_id.in_(chunk)))
                for review_id, email, version, at, late in rows:
                    mine, key = answered[review_id], email.lower()
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
