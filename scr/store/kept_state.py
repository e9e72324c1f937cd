"""What the store keeps of a review besides its people and answers: where its documents were written, the
progress last reported, the lease of the run advancing it, and the web app's secret, each in its own table."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Sequence

from sqlalchemy import select

from scr.ports import StoredDocument
from scr.store.codec import moment, parse_moment
from scr.store.legacy import WEB_SECRET
from scr.store.tables import app_secrets, documents, leases, reported_progress


class KeptState:
    """Mixed into ``SqlStore``: uses its ``_reading`` and ``_writing`` transactions."""

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
