"""Upgrading a store written by an earlier version, so a board's running review goes on after an upgrade.

Earlier versions kept documents, the Google form, the reviewers' copies, leases and the web app's secret as
JSON under string keys in one table, ``review_values`` (the web secret under the pseudo review ``"~web"``).
``upgrade`` moves every key it knows into its own table, in the transaction that opens the store, and drops
``review_values`` once nothing is left in it. A key it does not know stays where it is, untouched.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Connection, MetaData, String, Table, Text, inspect, select

from scr.store.codec import moment
from scr.store.tables import (
    app_secrets,
    documents,
    google_forms,
    google_responders,
    google_responses_seen,
    google_reviewer_copies,
    google_summary_sections,
    leases,
)

WEB_SECRET = "web-csrf"  # the name of the web app's secret in app_secrets

_old = MetaData()
review_values = Table(
    "review_values", _old,
    Column("review_id", String(64), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)  # fmt: skip

_FORM_FIELDS = {"google:form_begun": "begun_at", "google:form_created": "created_id",
                "google:responses_since": "responses_since"}  # fmt: skip


def upgrade(conn: Connection) -> None:
    """Move what ``review_values`` holds into the typed tables; drop it when it is empty."""
    if not inspect(conn).has_table(review_values.name):
        return
    rows = conn.execute(select(review_values)).all()
    by_review: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_review.setdefault(row.review_id, {})[row.key] = json.loads(row.value)
    moved: list[tuple[str, str]] = []
    for review_id, values in by_review.items():
        for key in _move(conn, review_id, values):
            moved.append((review_id, key))
    for review_id, key in moved:
        conn.execute(review_values.delete().where(
            (review_values.c.review_id == review_id) & (review_values.c.key == key)))
    if len(moved) == len(rows):
        review_values.drop(conn)


def _move(conn: Connection, review_id: str, values: dict[str, Any]) -> list[str]:
    """Write one review's known values into their tables; returns the keys moved."""
    moved: list[str] = []

    def take(key: str, write: Callable[[Any], None]) -> None:
        if key in values:
            if values[key] is not None:
                write(values[key])
            moved.append(key)

    if review_id == "~web":
        take("csrf-secret", lambda secret: conn.execute(app_secrets.insert().values(name=WEB_SECRET, value=secret)))
        return moved
    drafted_at = values.get("drafted_at")
    for key in [k for k in values if k.startswith("document:")]:
        name = key.removeprefix("document:")
        written = drafted_at if name == "terms-of-reference-draft" else None
        take(key, lambda refs, name=name, written=written: conn.execute(documents.insert().values(
            review_id=review_id, name=name, refs=json.dumps(refs, ensure_ascii=False),
            written_at=written and moment(dt.datetime.fromisoformat(written)))))
    take("drafted_at", lambda _at: None)  # kept above, as the draft's time written
    take("lease", lambda lease: conn.execute(leases.insert().values(
        review_id=review_id, holder=lease["holder"], until=lease["until"])))
    _move_google(conn, review_id, values, take)
    return moved


def _move_google(conn: Connection, review_id: str, values: dict[str, Any], take: Callable) -> None:
    form: dict[str, Any] = {}
    take("google:form", lambda f: form.update(form_id=f["form_id"], responder_uri=f["responder_uri"],
                                              questions=json.dumps(f["questions"])))
    for key, column in _FORM_FIELDS.items():
        take(key, lambda value, column=column: form.update({column: value}))
    if form.get("begun_at"):
        form["begun_at"] = moment(dt.datetime.fromisoformat(form["begun_at"]))
    if form:
        conn.execute(google_forms.insert().values(review_id=review_id, **form))
    take("google:responders", lambda responders: [conn.execute(google_responders.insert().values(
        review_id=review_id, email=email, has_account=has)) for email, has in responders.items()])
    take("google:responses_seen", lambda seen: [conn.execute(google_responses_seen.insert().values(
        review_id=review_id, ref=ref)) for ref in dict.fromkeys(seen)])
    since = values.get("google:copy_comments_since") or {}
    take("google:reviewer_copies", lambda copies: [conn.execute(google_reviewer_copies.insert().values(
        review_id=review_id, email=email, file_id=c["file_id"], url=c["url"], account_name=c.get("account_name"),
        comments_since=since.get(c["file_id"]) and moment(dt.datetime.fromisoformat(since[c["file_id"]])),
    )) for email, c in copies.items()])
    take("google:copy_comments_since", lambda _since: None)  # kept above, with each copy
    take("google:summary_sections", lambda sections: [conn.execute(google_summary_sections.insert().values(
        review_id=review_id, position=n, section_id=s, text=t)) for n, (s, t) in enumerate(sections)])
