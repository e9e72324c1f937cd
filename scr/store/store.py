"""The review store on SQLAlchemy Core: an SQLite file by default, any SQL database by URL.

Only portable column types are used (JSON is kept as text), so a PostgreSQL URL works as well.
On SQLite the file runs in WAL mode with a busy timeout, and write transactions take the write
lock when they begin (``BEGIN IMMEDIATE``), so the web app's threads and the flow can write at once;
on PostgreSQL they take an advisory lock for the same end (see ``tables.make_engine``).
Datetimes are timezone-aware UTC and stored as ISO strings.

``SqlStore`` keeps reviews, links, responses and events here; the rest is mixed in, by responsibility: the
board's decision records (decision_store), the lead reviewers' input (reviewer_store), the Google form and
copies (google_store), documents, reported progress, leases and the web secret (kept_state), and the reads and
writes of many at once (many_at_once).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterator
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
from scr.ports import Grant
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
from scr.store.kept_state import KeptState
from scr.store.legacy import upgrade
from scr.store.many_at_once import ManyAtOnce
from scr.store.reviewer_store import ReviewerInputs
from scr.store.tables import (
    events,
    held_responses,
    make_engine,
    metadata,
    responses,
    reviews,
    tokens,
)

__all__ = ["SqlStore", "review_to_json", "review_from_json", "answers_to_json", "answers_from_json"]


class SqlStore(DecisionRecords, ReviewerInputs, GoogleState, KeptState, ManyAtOnce):
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
