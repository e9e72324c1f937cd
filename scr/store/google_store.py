"""What the Google backend keeps in the store, in typed tables: the review's form and how far it was read,
who may answer it, and each lead reviewer's copy of the factor summary."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from scr.domain.email import EmailAddress
from scr.ports import GoogleForm, ReviewerCopy
from scr.store.codec import moment, parse_moment
from scr.store.tables import (
    google_forms,
    google_responders,
    google_responses_seen,
    google_reviewer_copies,
    google_summary_sections,
)


class GoogleState:
    """Mixed into ``SqlStore``: uses its ``_reading`` and ``_writing`` transactions."""

    def google_form(self, review_id: str) -> GoogleForm | None:
        with self._reading(f"read the Google form of review {review_id}") as conn:
            row = conn.execute(select(google_forms).where(google_forms.c.review_id == review_id)).first()
        return None if row is None else _form(row)

    def update_google_form(self, review_id: str, **changes: Any) -> GoogleForm:
        """Change some fields of the review's form in one transaction (an empty form first, if it has none)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(GoogleForm)}
        if unknown:
            raise TypeError(f"a Google form has no field {', '.join(sorted(unknown))}")
        with self._writing(f"keep the Google form of review {review_id}") as conn:
            where = google_forms.c.review_id == review_id
            row = conn.execute(select(google_forms).where(where).with_for_update()).first()
            form = dataclasses.replace(_form(row) if row is not None else GoogleForm(), **changes)
            values = _form_row(form)
            if row is None:
                conn.execute(google_forms.insert().values(review_id=review_id, **values))
            else:
                conn.execute(google_forms.update().where(where).values(**values))
            return form

    def google_responders(self, review_id: str) -> dict[str, bool | None]:
        """Who was given a permission to answer the form: True/False whether they have a Google account, None
        while Drive's answer is not yet kept."""
        with self._reading(f"read the Google form's responders of review {review_id}") as conn:
            rows = conn.execute(select(google_responders.c.email, google_responders.c.has_account)
                                .where(google_responders.c.review_id == review_id))
            return {EmailAddress(r.email): None if r.has_account is None else bool(r.has_account) for r in rows}

    def set_google_responder(self, review_id: str, email: str, has_account: bool | None) -> None:
        email = EmailAddress(email)
        with self._writing(f"keep a Google form responder of review {review_id}") as conn:
            where = (google_responders.c.review_id == review_id) & (google_responders.c.email == email)
            conn.execute(google_responders.delete().where(where))
            conn.execute(google_responders.insert().values(review_id=review_id, email=email, has_account=has_account))

    def google_responses_seen(self, review_id: str) -> set[str]:
        """The Google responses already kept, as "<response id>@<time submitted>"."""
        with self._reading(f"read the Google responses seen for review {review_id}") as conn:
            return set(conn.scalars(select(google_responses_seen.c.ref)
                                    .where(google_responses_seen.c.review_id == review_id)))

    def add_google_response_seen(self, review_id: str, ref: str) -> None:
        with self._writing(f"keep a Google response as seen for review {review_id}") as conn:
            where = (google_responses_seen.c.review_id == review_id) & (google_responses_seen.c.ref == ref)
            if conn.scalar(select(google_responses_seen.c.ref).where(where)) is None:
                conn.execute(google_responses_seen.insert().values(review_id=review_id, ref=ref))

    def google_reviewer_copies(self, review_id: str) -> dict[str, ReviewerCopy]:
        """Each lead reviewer's own copy of the factor summary, by their address."""
        table = google_reviewer_copies
        with self._reading(f"read the reviewers' copies of review {review_id}") as conn:
            rows = conn.execute(select(table).where(table.c.review_id == review_id).order_by(table.c.email))
            return {EmailAddress(r.email): ReviewerCopy(r.file_id, r.url, r.account_name,
                                          r.comments_since and parse_moment(r.comments_since)) for r in rows}

    def set_google_reviewer_copy(self, review_id: str, email: str, copy: ReviewerCopy) -> None:
        table, email = google_reviewer_copies, EmailAddress(email)
        with self._writing(f"keep a reviewer's copy of review {review_id}") as conn:
            conn.execute(table.delete().where((table.c.review_id == review_id) & (table.c.email == email)))
            conn.execute(table.insert().values(
                review_id=review_id, email=email, file_id=copy.file_id, url=copy.url, account_name=copy.account_name,
                comments_since=copy.comments_since and moment(copy.comments_since),
            ))  # fmt: skip

    def google_summary_sections(self, review_id: str) -> list[tuple[str, str]]:
        """The factor summary's (section id, text) in document order, as read once from Google; empty if not yet."""
        table = google_summary_sections
        with self._reading(f"read the summary's sections of review {review_id}") as conn:
            rows = conn.execute(select(table.c.section_id, table.c.text)
                                .where(table.c.review_id == review_id).order_by(table.c.position))
            return [(r.section_id, r.text) for r in rows]

    def set_google_summary_sections(self, review_id: str, sections: Sequence[tuple[str, str]]) -> None:
        table = google_summary_sections
        with self._writing(f"keep the summary's sections of review {review_id}") as conn:
            conn.execute(table.delete().where(table.c.review_id == review_id))
            if sections:
                conn.execute(table.insert(), [dict(review_id=review_id, position=n, section_id=s, text=t)
                                              for n, (s, t) in enumerate(sections)])


def _form(row: Any) -> GoogleForm:
    return GoogleForm(
        begun_at=row.begun_at and parse_moment(row.begun_at), created_id=row.created_id, form_id=row.form_id,
        responder_uri=row.responder_uri or "",
        questions={q: (ref[0], ref[1]) for q, ref in json.loads(row.questions or "{}").items()},
        responses_since=row.responses_since,
    )


def _form_row(form: GoogleForm) -> dict[str, Any]:
    return dict(
        begun_at=form.begun_at and moment(form.begun_at), created_id=form.created_id, form_id=form.form_id,
        responder_uri=form.responder_uri or None,
        questions=json.dumps({q: list(ref) for q, ref in form.questions.items()}) if form.questions else None,
        responses_since=form.responses_since,
    )
