"""The one place that chooses backends from the runtime settings. Nothing else knows which is in use."""

from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path

from scr import assets
from scr.clock import ScaledClock, SystemClock
from scr.config import Config, MemberConfig
from scr.domain.forms import load_member_form, load_reviewer_form
from scr.errors import ScrError
from scr.rendering import Renderer
from scr.services.backend import Backend
from scr.settings import Runtime


def check_access(config: Config) -> tuple[list[str], bool]:
    """What `scr google-check` reports: can the configured account reach what the board configured?"""
    if config.backend != "google" or config.google is None:
        return [f"backend is {config.backend}: nothing to check in Google Workspace."], True
    from scr.backends.google.check import google_check

    return google_check(config.google)


def setup_problems(config: Config) -> list[tuple[str, str]]:
    """What cannot work in the board's set-up, found without calling anyone: (field, what to do) pairs."""
    if config.backend != "google" or config.google is None:
        return []
    from scr.backends.google.auth import setup_problems as google_problems

    google = config.google
    return google_problems(google.credentials, google.subject, google.shared_drive, google.mail)


def board_members(config: Config) -> list[MemberConfig]:
    """The board's members: as listed in the configuration, or read from the roster sheet it names."""
    if config.members or config.google is None or not config.google.roster_sheet_id:
        return list(config.members)
    from scr.backends.google.sheets import read_roster
    from scr.backends.google.wiring import build_clients

    google = config.google
    rows = read_roster(build_clients(google).gspread(google.api_root), google.roster_sheet_id)
    return [MemberConfig.model_validate(row) for row in rows]


def backend_for(runtime: Runtime) -> Backend:
    """The backend for these settings; one per process, so the web app and the flow share a clock."""
    return _backend_for(runtime.model_dump_json())


@functools.cache
def _backend_for(settings: str) -> Backend:
    runtime = Runtime.model_validate_json(settings)
    from scr.store.store import SqlStore

    forms = Path(runtime.forms_dir) if runtime.forms_dir else assets.forms_dir()
    store = SqlStore(runtime.resolved_store_url())
    clock = SystemClock() if runtime.clock_speed == 1 else ScaledClock(runtime.clock_speed)
    from scr.backends.csv_import import read_google_forms_csv

    common = dict(
        store=store, clock=clock, renderer=Renderer(Path(runtime.templates_dir) if runtime.templates_dir else None),
        read_responses_file=read_google_forms_csv,
        member_form=load_member_form(forms / "member-form.yaml"),
        reviewer_form=load_reviewer_form(forms / "reviewer-form.yaml"),
    )
    if runtime.backend == "google":
        return _google(runtime, **common)
    if runtime.backend != "local":
        raise ScrError(f"backend '{runtime.backend}' is unknown; use `backend: local` or `backend: google`")
    return _local(runtime, **common)


def _local(runtime: Runtime, **common) -> Backend:
    from scr.backends.local.channels import LocalForms, LocalReviewerPages
    from scr.backends.local.documents import LocalDocuments, word_look

    store = common["store"]
    return Backend(
        mailer=_mailer(runtime, store, common["clock"]),
        documents=LocalDocuments(Path(runtime.out_dir), lambda review_id: word_look(store.get_review(review_id))),
        forms=LocalForms(store, runtime.base_url),
        reviewers=LocalReviewerPages(store, runtime.base_url),
        web_url=runtime.base_url.rstrip("/"),
        **common,
    )


def _google(runtime: Runtime, **common) -> Backend:
    from scr.backends.google.channels import GoogleFormChannel
    from scr.backends.google.comments import GoogleComments
    from scr.backends.google.documents import GoogleDocuments
    from scr.backends.google.forms import GoogleForms
    from scr.backends.google.gmail import GmailMailer
    from scr.backends.google.reviewer_docs import GoogleReviewerDocs
    from scr.backends.google.sheets import Tracker
    from scr.backends.google.wiring import build_clients

    google, store = runtime.google, common["store"]
    if google is None:
        raise ScrError("backend is google but the board configuration has no google section")
    clients = build_clients(google)
    if google.mail == "gmail":
        mailer = _PerReviewMailer(store, functools.partial(GmailMailer, clients.gmail), GmailMailer.deduplicates)
    else:
        mailer = _mailer(runtime, store, common["clock"])
    tracker = Tracker(clients.gspread(google.api_root), google.tracker_sheet_id) if google.tracker_sheet_id else None
    documents = GoogleDocuments(clients.drive, clients.docs, google.drive_folder_id, dict(google.templates),
                                marking_for=lambda review_id: store.get_review(review_id).style.protective_marking)
    return Backend(
        mailer=mailer,
        documents=documents,
        forms=GoogleFormChannel(store, GoogleForms(clients.forms, drive_service=clients.drive), common["member_form"]),
        reviewers=GoogleReviewerDocs(store, GoogleComments(clients.drive, clients.docs), documents,
                                     common["reviewer_form"], google.completion_keyword),
        tracker=tracker,
        **common,
    )


def _mailer(runtime: Runtime, store, clock) -> _PerReviewMailer:
    """The outbox of .eml files, or an SMTP relay when the board configured one."""
    if runtime.mail == "smtp" and runtime.smtp is not None:
        import ssl

        from scr.backends.mail import SmtpMailer

        smtp = runtime.smtp
        context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
        return _PerReviewMailer(store, lambda name, email: SmtpMailer(
            smtp.host, smtp.port, smtp.username, smtp.password_env, name, email, ssl_context=context),
            SmtpMailer.deduplicates)
    from scr.backends.local.outbox import OutboxMailer

    return _PerReviewMailer(store, functools.partial(OutboxMailer, Path(runtime.out_dir), clock=clock),
                            OutboxMailer.deduplicates)


class _PerReviewMailer:
    """Mail whose sender is each review's business manager, on behalf of its board."""

    def __init__(self, store, make_mailer, deduplicates: bool):
        self._store, self._make_mailer, self.deduplicates = store, make_mailer, deduplicates
        self._mailers: dict[str, object] = {}

    def send(self, review_id: str, message) -> None:
        self._mailer(review_id).send(review_id, message)

    def round(self, review_id: str):
        """A round of emails with one durability point, where the mailer has one (the outbox); else nothing."""
        mailer = self._mailer(review_id)
        return mailer.round() if hasattr(mailer, "round") else contextlib.nullcontext()

    def _mailer(self, review_id: str):
        if review_id not in self._mailers:
            review = self._store.get_review(review_id)
            sender = f"{review.business_manager.name}, {review.board_name}"
            self._mailers[review_id] = self._make_mailer(sender, review.business_manager.email)
        return self._mailers[review_id]


def google_trial(config: Config, me: str, operator, report_path: Path, wait_minutes: float = 30,
                 poll_seconds: float = 10):
    """What `scr google-trial` runs: every assumption the Google backend makes, checked once on live Google."""
    if config.backend != "google" or config.google is None:
        raise ScrError("scr google-trial needs `backend: google` and a google section in the configuration.")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", me.strip()):
        raise ScrError(f"--me {me!r} is not an email address: give the address you will answer and comment as.")
    from scr.backends.google.trial import Waiting, run_trial
    from scr.backends.google.wiring import build_clients

    clients = build_clients(config.google)
    member_form = load_member_form(assets.forms_dir() / "member-form.yaml")
    agencies = list(dict.fromkeys(m.agency for m in board_members(config)))
    return run_trial(clients, config.google, member_form, agencies, me, operator, report_path,
                     Waiting(timeout=wait_minutes * 60, poll=poll_seconds))
