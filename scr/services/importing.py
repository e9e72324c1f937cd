"""Importing members' answers from a Google Forms CSV download, for boards that made their form by hand.

Each row from a member becomes a version of their response, keyed by address and timestamp, so the
same file imported twice adds nothing. Rows from anyone who is not a member are held apart, never
merged. The report carries counts, addresses and the file's problems (by row and column): never answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from scr.domain.calendar import format_when
from scr.domain.email import same_address
from scr.domain.schedule import Schedule
from scr.errors import ScrError
from scr.intake import Arrival, Outcome, Received, Refusal, Route, receive_answer
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
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, the earlier row it repeats) in this file
    early: list[int] = field(default_factory=list)  # rows dated before the review started: not imported
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read (a zone assumed), said once


def import_responses(
    backend: Backend, review_id: str, path: str | Path, timezone: str = "Europe/London"
) -> ImportReport:
    """Bring a Google Forms "Download responses (.csv)" file into the review's store; safe to repeat.
    ``timezone`` is the board's: a timestamp that names no single offset is read as its wall time."""
    store = backend.store
    review = store.get_review(review_id)
    schedule = store.schedule(review_id)
    if schedule.response_deadline is None:
        raise ScrError(f"Review {review_id} has no response deadline yet, so late answers cannot be told "
                       "apart: start the review first with `scr start CONFIG`, then import the file.")
    try:
        imported = backend.read_responses_file(path, backend.member_form, review.agencies, ZoneInfo(timezone))
    except ScrError as exc:
        raise ResponsesFileError(str(exc)) from None
    report = ImportReport(problems=list(imported.problems), notes=list(imported.notes))
    kept = store.response_versions(review_id)
    first_of: dict = {}  # the first row for each address and moment
    for row in sorted(imported.rows, key=lambda r: (r.submitted_at, r.row)):  # the latest version counts
        first = first_of.setdefault(_ref(row), row)
        if first is not row:  # one version per address and moment
            _same_moment_twice(row, first, report)
            continue
        arrival = Arrival(row.email, row.answers, row.submitted_at, Route.CSV_IMPORT, ref=_ref(row))
        _tell(receive_answer(store, review, schedule, arrival, kept), row, schedule, report)
    return report


def _tell(outcome: Outcome, row, schedule: Schedule, report: ImportReport) -> None:
    """Count what became of a row in the report (addresses and row numbers only, never answers)."""
    if outcome.kept:
        report.saved += 1
        report.late += outcome.late
    elif outcome.held_apart:
        if not any(same_address(row.email, known) for known in report.held_apart):
            report.held_apart.append(row.email)
    elif outcome.received is Received.DUPLICATE:
        report.unchanged += 1
    elif outcome.refusal is Refusal.BEFORE_START:
        report.early.append(row.row)
        report.problems.append(f"row {row.row}: dated {format_when(row.submitted_at)}, before the review "
                               f"started ({format_when(schedule.opened_at)}); row not imported: check it is an "
                               "answer to this review's form (and the board's timezone setting)")
    else:
        report.problems.append(f"row {row.row}: {outcome.reason}; row not imported")


def _same_moment_twice(row, first, report: ImportReport) -> None:
    """A second row with the first's address and Timestamp: a duplicate within the file, or a conflict."""
    if first.answers == row.answers:
        report.duplicates.append((row.row, first.row))
    else:
        report.problems.append(f"row {row.row}: the same Email Address and Timestamp as row {first.row} "
                               f"but different answers; only row {first.row} was imported")


def _ref(row) -> str:
    return f"csv:{row.email.lower()}:{row.stamp}"  # as refs were always written: kept stable, not re-normalised
