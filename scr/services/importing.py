"""Importing members' answers from a Google Forms CSV download, for boards that made their form by hand.

Each row from a member becomes a version of their response, keyed by address and timestamp, so the
same file imported twice adds nothing. Rows from anyone who is not a member are held apart, never
merged. The report carries counts, addresses and the file's problems (by row and column): never answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scr.domain.model import Event, Review
from scr.errors import ScrError
from scr.services.backend import Backend

__all__ = ["ImportReport", "ResponsesFileError", "import_responses"]


class ResponsesFileError(ScrError):
    """The responses file cannot be read, or lacks the Timestamp and Email Address columns."""


@dataclass
class ImportReport:
    saved: int = 0
    unchanged: int = 0
    held_apart: list[str] = field(default_factory=list)  # addresses that are not members, in file order
    late: int = 0  # of those saved now, how many came after the deadline
    problems: list[str] = field(default_factory=list)


def import_responses(backend: Backend, review_id: str, path: str | Path) -> ImportReport:
    """Bring a Google Forms "Download responses (.csv)" file into the review's store; safe to repeat."""
    store = backend.store
    review = store.get_review(review_id)
    schedule = store.schedule(review_id)
    if schedule.response_deadline is None:
        raise ScrError(f"Review {review_id} has no response deadline yet, so late answers cannot be told "
                       "apart: start the review first with `scr start CONFIG`, then import the file.")
    try:
        imported = backend.read_responses_file(path, backend.member_form, review.agencies)
    except ScrError as exc:
        raise ResponsesFileError(str(exc)) from None
    report = ImportReport(problems=list(imported.problems))
    versions = store.response_versions(review_id)
    first_of: dict = {}  # the first row for each address and moment
    for row in sorted(imported.rows, key=lambda r: r.submitted_at):  # the latest version is the latest answer
        first = first_of.setdefault(_ref(row), row)
        if first is not row and first.answers != row.answers:  # one version per address and moment
            report.problems.append(f"row {row.row}: the same Email Address and Timestamp as row {first.row} "
                                   f"but different answers; only row {first.row} was imported")
            continue
        member = review.member(row.email)
        if member is None:
            _hold_apart(backend, review, row, report)
            continue
        late = schedule.is_late(row.submitted_at)
        version = store.save_response(review_id, member.email, row.answers, row.submitted_at, late=late,
                                      ref=_ref(row))
        if version > versions.get(member.email, 0):
            versions[member.email] = version
            report.saved += 1
            report.late += late
        else:
            report.unchanged += 1
    return report


def _hold_apart(backend: Backend, review: Review, row, report: ImportReport) -> None:
    store = backend.store
    if store.hold_response(review.review_id, _ref(row), row.email, row.answers, row.submitted_at):
        store.record_event(review.review_id, Event("held_apart", row.submitted_at, row.email,
                                                   "not a member (CSV import)"))
    if row.email.lower() not in (known.lower() for known in report.held_apart):
        report.held_apart.append(row.email)


def _ref(row) -> str:
    return f"csv:{row.email.lower()}:{row.submitted_at.isoformat()}"
