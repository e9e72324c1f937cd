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

    def new_file(self, name: str, mime_type: str, parents: list[str] | None = None, **extra: Any) -> dict:
        """Registers a Drive file and returns its metadata."""
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
        self.files[file_id] = meta
        self.permissions[file_id] = [
            {"kind": "drive#permission", "id": "owner", "type": "user", "role": "owner",
             "emailAddress": OWNER["emailAddress"], "displayName": OWNER["displayName"]}
        ]
        return meta

    def file(self, file_id: str) -> dict[str, Any]:
        meta = self.files.get(file_id)
        if meta is None:
            raise ApiError(404, f"File not found: {file_id}.", reason="notFound", location="fileId")
        return meta

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
