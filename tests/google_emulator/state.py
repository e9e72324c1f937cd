"""In-memory state shared by the emulated APIs, and the call object handlers receive.

Drive is the registry of every file: a form, a document or a spreadsheet created through its own
API is also a Drive file, so `files.list`, `files.copy` and permissions see it.
"""

from __future__ import annotations

import base64
import copy
import itertools
import threading
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from .discovery import Method
from .errors import ApiError, invalid

FOLDER = "application/vnd.google-apps.folder"
DOCUMENT = "application/vnd.google-apps.document"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
FORM = "application/vnd.google-apps.form"

#: Who the emulator believes is calling (the owner of everything the API creates).
OWNER = {"kind": "drive#user", "displayName": "Emulator Owner", "emailAddress": "owner@example.org", "me": True}
DRIVE_SCOPE = "https://www.googleapis.com/auth/drive"
DRIVE_FILE_SCOPE = "https://www.googleapis.com/auth/drive.file"


@dataclass(frozen=True)
class Caller:
    """Who calls the APIs: a user (OAuth or a delegated service account) or a plain service account.

    `scopes` None means every scope; with drive.file and not drive, Drive shows only the app's own files.
    """

    kind: str = "user"  # "user" | "service_account"
    delegated: bool = False
    scopes: frozenset[str] | None = None

    @property
    def owns_no_files(self) -> bool:
        """Drive shared-drives guide: "Service accounts don't have storage quota and can't own any files"."""
        return self.kind == "service_account" and not self.delegated

    @property
    def app_files_only(self) -> bool:
        return self.scopes is not None and DRIVE_FILE_SCOPE in self.scopes and DRIVE_SCOPE not in self.scopes


@dataclass(frozen=True)
class Behaviours:
    """Where Google documents nothing, each plausible behaviour; tests run the product under each.

    - `filter_time`: the time forms responses.list's ``timestamp > N`` compares for an edited response.
    - `other_value`: whether an "other" option (isOther) may omit ``value`` ("required": 400 without it).
    - `gmail_message_id`: whether Gmail keeps the Message-ID header we set, or replaces it with its own.
    - `header_start`: the index a Doc header's first paragraph starts at (docs.v1 names no start for a header
      segment; the body's starts at 1, after the section break).
    """

    filter_time: str = "lastSubmittedTime"  # | "createTime"
    other_value: str = "optional"  # | "required"
    gmail_message_id: str = "kept"  # | "replaced"
    header_start: str = "0"  # | "1"

    def __post_init__(self) -> None:
        allowed = {"filter_time": ("lastSubmittedTime", "createTime"), "other_value": ("optional", "required"),
                   "gmail_message_id": ("kept", "replaced"), "header_start": ("0", "1")}
        for name, values in allowed.items():
            if getattr(self, name) not in values:
                raise ValueError(f"Behaviours.{name} must be one of {values}")


def rfc3339(moment: datetime) -> str:
    """A timestamp as Google writes it: UTC, milliseconds, trailing Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_rfc3339(text: str, parameter: str) -> datetime:
    """An RFC 3339 timestamp from a request; 400 when it is not one."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(f"Invalid value for {parameter}: {text!r} is not an RFC 3339 timestamp") from None
    if moment.tzinfo is None:
        raise invalid(f"Invalid value for {parameter}: {text!r} has no time zone")
    return moment


def page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def page_offset(token: str | None) -> int:
    """The offset an opaque page token stands for; 400 for a token the emulator never issued."""
    if not token:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if kind == "offset" and number.isdigit():
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    raise invalid("Invalid page token.", location="pageToken")


def paginate(items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
    """One page of `items` and the token of the next page (None on the last page)."""
    start = page_offset(token)
    page = items[start : start + size]
    return page, page_token(start + size) if start + size < len(items) else None


@dataclass
class State:
    """Everything the emulated Google holds. Handlers run one at a time under `lock`."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    now: Any = field(default=None)  # a callable returning an aware datetime; None means the real clock
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)
    spreadsheets: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    permissions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    permission_calls: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    accounts: dict[str, str] = field(default_factory=dict)  # lower-cased address -> Google account's full name
    authors: dict[str, str] = field(default_factory=dict)  # comment or reply id -> its author's address (hidden)
    app_files: set[str] = field(default_factory=set)  # files the calling app created (what drive.file sees)
    caller: Caller = field(default_factory=Caller)
    behaviours: Behaviours = field(default_factory=Behaviours)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def clock(self) -> datetime:
        return self.now() if self.now else datetime.now(UTC)

    def copy(self) -> State:
        """Everything held now, for another emulator to start from; ids go on from the same number in both."""
        with self.lock:
            following = next(self._counter)
            self._counter = itertools.count(following)
            held = {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self)
                    if f.name not in ("lock", "now", "_counter")}
            return State(now=self.now, _counter=itertools.count(following), **held)

    def new_id(self, prefix: str) -> str:
        """A fresh id that looks like Google's (letters, digits, '_' and '-')."""
        return f"{prefix}{next(self._counter):06d}emu"

    def new_hex(self) -> str:
        """A fresh 8-hex-digit id, like Forms' itemId and questionId."""
        return f"{next(self._counter):08x}"

    def new_file(self, name: str, mime_type: str, parents: list[str] | None = None, *, by_app: bool = True,
                 **extra: Any) -> dict:
        """Registers a Drive file and returns its metadata; `by_app` False for one a person made in Drive."""
        file_id = extra.pop("id", None) or self.new_id("f")
        stamp = rfc3339(self.clock())
        meta = {
            "kind": "drive#file",
            "id": file_id,
            "name": name,
            "mimeType": mime_type,
            "parents": parents or ["root"],
            "trashed": False,
            "createdTime": stamp,
            "modifiedTime": stamp,
            "owners": [dict(OWNER)],
            "webViewLink": f"https://docs.google.com/open?id={file_id}",
            "appProperties": {},
            "properties": {},
            **extra,
        }
        parent = self.files.get((parents or ["root"])[0], {})
        if parent.get("driveId"):
            meta["driveId"] = parent["driveId"]
        self.files[file_id] = meta
        if by_app:
            self.app_files.add(file_id)
        self.permissions[file_id] = [
            {"kind": "drive#permission", "id": "owner", "type": "user", "role": "owner",
             "emailAddress": OWNER["emailAddress"], "displayName": OWNER["displayName"]}
        ]
        return meta

    def file(self, file_id: str) -> dict[str, Any]:
        """A file the caller can see; 404 as Drive answers for one that is missing or out of its scopes."""
        meta = self.files.get(file_id)
        if meta is None or not self.visible(file_id):
            raise ApiError(404, f"File not found: {file_id}.", reason="notFound", location="fileId")
        return meta

    def visible(self, file_id: str) -> bool:
        """drive.file: "See, edit, create, and delete only the specific Google Drive files you use with this app"
        (the scope's description in drive.v3.json); with the drive scope, every file."""
        return not self.caller.app_files_only or file_id in self.app_files

    def may_own_files_in(self, parent_id: str) -> None:
        """403 storageQuotaExceeded when a plain service account would own a file outside a shared drive."""
        if self.caller.owns_no_files and not self.files.get(parent_id, {}).get("driveId"):
            raise ApiError(403, "Service Accounts do not have storage quota. Leverage shared drives, or use OAuth "
                           "delegation instead.", reason="storageQuotaExceeded")

    def account_name(self, email: str | None) -> str | None:
        """The full name of the Google account for `email`, or None when the address has none."""
        return self.accounts.get((email or "").strip().lower())

    def touch(self, file_id: str) -> None:
        if file_id in self.files:
            self.files[file_id]["modifiedTime"] = rfc3339(self.clock())


@dataclass
class Call:
    """One validated request, as a handler sees it."""

    method: Method
    params: dict[str, Any]
    body: Any
    state: State

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)
