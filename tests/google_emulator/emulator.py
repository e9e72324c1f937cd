"""`GoogleEmulator`: the public face of the loopback Google APIs.

    with GoogleEmulator() as emu:
        docs = emu.build("docs")                      # a real googleapiclient service
        doc = docs.documents().create(body={"title": "ToR"}).execute()
        emu.add_comment(doc["documentId"], "ann@example.org", "Ann", "Why?", "scope")
        assert emu.counts()["docs.documents.create"] == 1
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import drive_comments, forms_api
from .discovery import APIS, Router
from .faults import FaultPlan
from .gspread_hook import EmulatorSession
from .server import Dispatcher, make_server
from .state import FOLDER, Behaviours, Caller, State

_VERSIONS = dict(APIS)


class GoogleEmulator:
    """Forms v1, Docs v1, Drive v3, Sheets v4 and Gmail v1 on http://127.0.0.1:<ephemeral port>/.

    Every request is checked against the discovery document google-api-python-client ships;
    `faults` injects errors; the test hooks act as people would in Google's own UI. `state` starts it
    from what another emulator held (``other.snapshot()``) instead of empty. `behaviours` picks, where Google
    documents nothing, which plausible behaviour to show; `caller` says who calls (a plain service account
    owns no files; drive.file sees only the app's files). See BEHAVIOURS.md beside this module.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], datetime] | None = None,
        check_responses: bool = True,
        state: State | None = None,
        behaviours: Behaviours | None = None,
        caller: Caller | None = None,
    ) -> None:
        self.state = state if state is not None else State(now=clock)
        if behaviours is not None:
            self.state.behaviours = behaviours
        if caller is not None:
            self.state.caller = caller
        self.faults = FaultPlan(seed)
        self._dispatcher = Dispatcher(Router(), self.state, self.faults, check_responses)
        self._server = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> GoogleEmulator:
        self._server = make_server(self._dispatcher)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="google-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GoogleEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses and clients ---------------------------------------------------------------
    @property
    def origin(self) -> str:
        if self._server is None:
            raise RuntimeError("GoogleEmulator is not running: use `with GoogleEmulator() as emu:`")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoint(self, api: str) -> str:
        """The `api_endpoint` client option for `api` (Drive's ends in /drive/v3/)."""
        return f"{self.origin}/{self._dispatcher.router.endpoint_path(api)}"

    def build(self, api: str, version: str | None = None, *, credentials: Any = None, **kwargs: Any) -> Any:
        """A googleapiclient service for `api`, offline, pointed at this emulator.

        Credentials default to AnonymousCredentials; pass `FakeTokenCredentials()` to see a 401 as
        HttpError 401 (anonymous credentials cannot refresh, see credentials.py).
        """
        import google.auth.credentials
        from googleapiclient.discovery import build

        return build(
            api,
            version or _VERSIONS[api],
            static_discovery=True,
            credentials=credentials or google.auth.credentials.AnonymousCredentials(),
            client_options={"api_endpoint": self.endpoint(api)},
            cache_discovery=False,
            **kwargs,
        )

    def gspread_client(self) -> Any:
        """A gspread Client whose Sheets and Drive calls come here (gspread has no base-URL setting)."""
        import gspread

        return gspread.Client(auth=None, session=EmulatorSession(self.origin))

    # -- observation -------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Requests received per discovery method id, e.g. {"drive.comments.list": 2}."""
        return dict(self._dispatcher.counts)

    def snapshot(self) -> State:
        """A copy of everything this emulator holds now: `GoogleEmulator(state=...)` starts from it."""
        return self.state.copy()

    def reset_counts(self) -> None:
        self._dispatcher.counts.clear()

    def emulator_errors(self) -> list[str]:
        """Responses the emulator produced outside their own schema (should stay empty)."""
        return list(self._dispatcher.emulator_errors)

    def sent_messages(self) -> list[dict[str, Any]]:
        """Mail sent through gmail users.messages.send, parsed (to, cc, subject, text, html ...)."""
        return list(self.state.sent)

    def permission_calls(self) -> list[dict[str, Any]]:
        """Every permissions.create with sendNotificationEmail and emailMessage as received."""
        return list(self.state.permission_calls)

    def permission_conflicts(self) -> dict[str, int]:
        """Permission changes that overlapped another on the same file, per file id."""
        return dict(self._dispatcher.permission_conflicts)

    def blank_pages(self, method_id: str, count: int = 1) -> None:
        """Answer the next `count` calls of a list method (e.g. "forms.forms.responses.list") with a page that
        holds no items, only a nextPageToken for the same place, as Google sometimes does."""
        self._dispatcher.add_blank_pages(method_id, count)

    def slow_permission_changes(self, seconds: float, *, reject_overlaps: bool = False) -> None:
        """Hold each permission change `seconds` (to expose unserialised callers); optionally 400 overlaps."""
        self._dispatcher.permission_delay = seconds
        self._dispatcher.reject_concurrent_permission_changes = reject_overlaps

    # -- who exists, and what the board made by hand -------------------------------------------
    def add_accounts(self, people: dict[str, str]) -> None:
        """Google accounts (address -> full name): sharing with any other address needs a notification."""
        with self.state.lock:
            self.state.accounts.update({email.strip().lower(): name for email, name in people.items()})

    def add_folder(self, name: str, parent: str | None = None) -> str:
        """A folder a person made in Drive (not the app: drive.file does not see it). Returns its id."""
        with self.state.lock:
            return self.state.new_file(name, FOLDER, [parent] if parent else None, by_app=False)["id"]

    def add_shared_drive(self, name: str) -> str:
        """A shared drive; files under it carry its driveId, and a plain service account may make them."""
        with self.state.lock:
            drive_id = self.state.new_id("0A")
            return self.state.new_file(name, FOLDER, ["shared"], by_app=False, id=drive_id, driveId=drive_id)["id"]

    def share(self, file_id: str, email: str | None, role: str, *, view: str | None = None) -> None:
        """The owner shares a file in Drive's UI: with `email`, or with anyone with the link when None."""
        with self.state.lock:
            self.state.file(file_id)
            person = {"type": "user", "emailAddress": email} if email else {"type": "anyone"}
            self.state.permissions.setdefault(file_id, []).append(
                {"kind": "drive#permission", "id": self.state.new_id("p"), "role": role, **person,
                 **({"view": view} if view else {})})

    # -- what people do in Google's UI -------------------------------------------------------
    def add_response(
        self,
        form_id: str,
        respondent_email: str | None,
        answers_by_question_id: dict[str, Any],
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Submits a response as a person would; choices must be offered options. Returns the response."""
        with self.state.lock:
            return forms_api.add_response(self.state, form_id, respondent_email, answers_by_question_id, at)

    def edit_response(
        self, form_id: str, response_id: str, answers_by_question_id: dict[str, Any], at: datetime | None = None,
    ) -> dict[str, Any]:
        """The respondent edits their response: same responseId and createTime, new lastSubmittedTime."""
        with self.state.lock:
            return forms_api.edit_response(self.state, form_id, response_id, answers_by_question_id, at)

    def alter_response(
        self,
        form_id: str,
        response_id: str,
        *,
        drop: tuple[str, ...] = (),
        raw_answers: dict[str, list[str]] | None = None,
    ) -> dict[str, Any]:
        """Odd shapes Google may answer with: drop fields of a stored response (e.g. "respondentEmail",
        "answers", "lastSubmittedTime") or add answers to question ids the form lacks. Returns the response."""
        with self.state.lock:
            return forms_api.alter_response(self.state, form_id, response_id, drop, raw_answers or {})

    def add_comment(
        self,
        file_id: str,
        author_email: str | None,
        author_name: str,
        content: str,
        quoted_text: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """A comment a person left on a Doc, anchored to `quoted_text`; `author_email` None when Drive hides it."""
        with self.state.lock:
            return drive_comments.add_comment(
                self.state, file_id, author_email, author_name, content, quoted_text, at
            )

    def add_reply(
        self,
        file_id: str,
        comment_id: str,
        author_email: str | None,
        author_name: str,
        content: str = "",
        action: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """A reply a person wrote; action "resolve" or "reopen" changes the comment. Returns the reply."""
        with self.state.lock:
            return drive_comments.add_reply(
                self.state, file_id, comment_id, author_email, author_name, content, action, at
            )
