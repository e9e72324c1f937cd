"""`scr google-trial`: once, before the first real review, prove on the board's own Workspace what the
Google backend assumes, one line per assumption, with its operator answering and commenting as people will.

Everything is made in a new subfolder of the configured Drive folder and moved to the trash at the end
(the tracker tab is deleted). Each check says ok, or what Google did instead. The report names ids,
field names and counts, never what the operator typed.

    run_trial(clients, google, member_form, agencies, me, operator, report_path) -> TrialReport

The operator is told what to do (``Operator.tell``) and the trial polls Google until it is done, or
until ``Waiting.timeout`` seconds pass; the Message-ID check asks the operator (``Operator.ask``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from scr.backends.google.errors import GoogleError, call
from scr.config import GoogleConfig
from scr.domain.forms import MemberForm

__all__ = ["FOLDER_MIME", "Operator", "OperatorStep", "TrialCheck", "TrialReport", "TrialRun", "Waiting",
           "run_trial"]

FOLDER_MIME = "application/vnd.google-apps.folder"
T = TypeVar("T")


@dataclass(frozen=True)
class TrialCheck:
    what: str
    ok: bool | None  # None: not run, or not confirmed
    detail: str

    def __str__(self) -> str:
        mark = {True: "ok", False: "PROBLEM", None: "not checked"}[self.ok]
        return f"{mark:<11} {self.what}: {self.detail}"


@dataclass(frozen=True)
class OperatorStep:
    """Something for the person running the trial to do; `link` and `file_id` name what to open."""

    kind: str  # "answer", "edit", "comment", "message-id"
    text: str
    link: str = ""
    file_id: str = ""


class Operator(Protocol):
    def tell(self, step: OperatorStep) -> None: ...

    def ask(self, step: OperatorStep, timeout: float) -> str | None: ...


@dataclass(frozen=True)
class Waiting:
    """How long to wait for the operator, how often to look, and the clock to do it with."""

    timeout: float = 30 * 60
    poll: float = 10.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def until(self, look: Callable[[], T | None]) -> T | None:
        """`look()`'s first answer that is not None, or None when the timeout passes first."""
        deadline = self.clock() + self.timeout
        while True:
            found = look()
            if found is not None or self.clock() >= deadline:
                return found
            self.sleep(min(self.poll, max(deadline - self.clock(), 0.0)))


@dataclass
class TrialRun:
    """What the checks share: the services, who the operator is, what was made (to trash), the lines."""

    clients: Any
    google: GoogleConfig
    member_form: MemberForm
    agencies: Sequence[str]
    me: str
    operator: Operator
    waiting: Waiting
    label: str  # "SCR-TRIAL-20261202-0815": names the folder, the documents and the tracker tab
    folder_id: str = ""
    made: list[str] = field(default_factory=list)  # Drive file ids, trashed at the end
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    checks: list[TrialCheck] = field(default_factory=list)

    def check(self, what: str, ok: bool | None, detail: str = "ok") -> bool | None:
        self.checks.append(TrialCheck(what, ok, detail))
        return ok

    def succeeds(self, what: str, action: Callable[[], object]) -> bool:
        """Whether `action()` ran without Google refusing it (the refusal is then the line for `what`)."""
        return self.attempt(what, lambda: (action(), True)[1]) is not None

    def attempt(self, what: str, action: Callable[[], T]) -> T | None:
        """`action()`, or None with the line saying what Google answered instead (no answer text)."""
        try:
            return action()
        except GoogleError as error:
            self.check(what, False, str(error))
            return None


@dataclass(frozen=True)
class TrialReport:
    checks: list[TrialCheck]
    path: Path

    @property
    def ok(self) -> bool:
        return all(check.ok is not False for check in self.checks)


def run_trial(clients: Any, google: GoogleConfig, member_form: MemberForm, agencies: Sequence[str], me: str,
              operator: Operator, report_path: Path, waiting: Waiting | None = None) -> TrialReport:
    """Every check in turn (a failed step skips only what depends on it); then trash; then the report."""
    from scr.backends.google import trial_docs, trial_forms, trial_outputs

    started = dt.datetime.now(dt.UTC)
    run = TrialRun(clients, google, member_form, agencies, me.strip(), operator, waiting or Waiting(),
                   f"SCR-TRIAL-{started:%Y%m%d-%H%M%S}")
    steps = [trial_forms.check_form, trial_docs.check_reviewer_copy, trial_docs.check_document,
             trial_outputs.check_tracker]
    report = TrialReport(run.checks, Path(report_path))
    try:
        for step in (steps if _make_folder(run) else []) + [trial_outputs.check_email]:
            _step(run, step)
    finally:  # stopped by hand too: what was made goes to the trash, and the lines so far are written
        _clean_up(run)
        _write_report(report, run, started)
    return report


def _step(run: TrialRun, step: Callable[[TrialRun], None]) -> None:
    """One group of checks; a fault of ours is named (by its type only) and the trial goes on."""
    what = (step.__doc__ or step.__name__).strip().splitlines()[0].rstrip(".")
    try:
        step(run)
    except GoogleError as error:  # says what was being done and Google's reason, never a body
        run.check(what, False, f"stopped: {error}")
    except Exception as exc:  # noqa: BLE001 - the report must still be written and everything trashed
        run.check(what, False, f"stopped on an unexpected {type(exc).__name__} in the trial; please report it")


def _make_folder(run: TrialRun) -> bool:
    what = "Make a trial folder inside the configured Drive folder"
    body = {"name": f"{run.label} (scr google-trial; safe to delete)", "mimeType": FOLDER_MIME,
            "parents": [run.google.drive_folder_id]}
    made = run.attempt(what, lambda: call(run.clients.drive.files().create(
        body=body, fields="id", supportsAllDrives=True), f"make the trial folder in {run.google.drive_folder_id}",
        retries=0))
    if made is None:
        return False
    run.folder_id = made["id"]
    run.made.append(made["id"])
    return bool(run.check(what, True, f"folder {made['id']}"))


def _clean_up(run: TrialRun) -> None:
    """Delete the tracker tab, then trash every file made, the folder last; one line for all of it."""
    problems = []
    for cleanup in run.cleanups:
        try:
            cleanup()
        except GoogleError as error:
            problems.append(str(error))
    for file_id in reversed(run.made):
        try:
            call(run.clients.drive.files().update(fileId=file_id, body={"trashed": True}, fields="id",
                                                  supportsAllDrives=True), f"move file {file_id} to the trash")
        except GoogleError as error:
            problems.append(str(error))
    if run.made or run.cleanups:
        run.check(f"Move what the trial made to the trash ({len(run.made)} file(s))", not problems,
                  "; ".join(problems) or "ok; empty the trash in Drive if you want them gone at once")


def _write_report(report: TrialReport, run: TrialRun, started: dt.datetime) -> None:
    problems = sum(check.ok is False for check in report.checks)
    lines = [f"scr google-trial {run.label}", f"started {started:%Y-%m-%d %H:%M:%S} UTC",
             f"Drive folder {run.google.drive_folder_id}; operator {run.me}", ""]
    lines += [str(check) for check in report.checks]
    lines += ["", f"{len(report.checks)} check(s), {problems} problem(s)."]
    report.path.parent.mkdir(parents=True, exist_ok=True)
    report.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
