"""Google credentials: the scopes the product asks for, loading a key, and checking access before a review.

Scopes are the fewest that can work. Drive asks for ``drive``, not ``drive.file``: ``drive.file`` covers only
"the specific Google Drive files you use with this app" (the scope's description), and the review folder is
one the board made, so with ``drive.file`` the tool could not even see it, let alone create files in it.

A plain service account (no ``subject``) owns no files: "Service accounts don't have storage quota and can't
own any files" (Drive's shared-drives guide), so creating or copying a Doc into a My Drive folder fails with
403 ``storageQuotaExceeded``. ``setup_problems`` refuses that set-up before a review (unless the board says
the folder is on a shared drive, which ``check_access`` then confirms).

Credentials come from a service account key (optionally with domain-wide delegation to a user, which
Gmail needs) or an OAuth authorized-user token file, given as a path or as ``env:NAME``. Error messages
name the file or variable and the field, never any of the key's contents.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from scr.backends.google.errors import GoogleAccessError, GoogleError, GoogleNotFound, call
from scr.errors import ScrError

__all__ = ["SCOPES", "AccessCheck", "Services", "account_email", "check_access", "is_plain_service_account",
           "load_credentials", "scopes_for", "setup_problems"]

_AUTH = "https://www.googleapis.com/auth/"
FORMS_BODY = _AUTH + "forms.body"
FORMS_RESPONSES = _AUTH + "forms.responses.readonly"
DOCUMENTS = _AUTH + "documents"
DRIVE_FILE = _AUTH + "drive.file"
DRIVE = _AUTH + "drive"
SPREADSHEETS = _AUTH + "spreadsheets"
GMAIL_SEND = _AUTH + "gmail.send"

FOLDER = "application/vnd.google-apps.folder"
DOCUMENT = "application/vnd.google-apps.document"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
_PROBE_ID = "scr-google-check-probe"  # an id that exists nowhere: a 404 proves the API answers us
_MAX_KEY_BYTES = 64_000


def scopes_for(uses_gmail: bool) -> list[str]:
    """The scopes a board's setup needs: drive (the folder is the board's, not the app's own), and gmail.send
    only when mail goes through Gmail."""
    return [FORMS_BODY, FORMS_RESPONSES, DOCUMENTS, DRIVE, SPREADSHEETS] + ([GMAIL_SEND] if uses_gmail else [])


SCOPES = scopes_for(uses_gmail=True)
PLAIN_SERVICE_ACCOUNT = (
    "a service account without domain-wide delegation owns no files, so Google refuses to create the review's "
    "Docs in a My Drive folder (403 storageQuotaExceeded). Set google.subject to the user the tool acts as "
    "(normally the business manager) after the Workspace administrator authorises the service account's client "
    "id for the scopes in the README, or use an OAuth user token, or put the folder on a shared drive where the "
    "service account is a Content manager and set google.shared_drive: true")


def setup_problems(credentials: str, subject: str | None, shared_drive: bool, mail: str) -> list[tuple[str, str]]:
    """What cannot work in the google section, found without calling Google: (field, what to do) pairs."""
    if credentials == "anonymous":
        return []
    try:
        info, _ = _read_key(credentials)
    except ScrError as exc:
        return [("google.credentials", str(exc))]
    if info.get("type") != "service_account" or subject:
        return []
    problems = [] if shared_drive else [("google.subject", PLAIN_SERVICE_ACCOUNT)]
    if mail == "gmail":
        problems.append(("google.mail", "Gmail sends only as a user: a service account needs google.subject "
                                        "(domain-wide delegation) to send, or set mail: outbox or smtp"))
    return problems


def is_plain_service_account(credentials: Any) -> bool:
    """A service account acting as itself (no delegated subject)."""
    return bool(getattr(credentials, "service_account_email", None)) and not getattr(credentials, "_subject", None)


def load_credentials(source: str, subject: str | None, scopes: Sequence[str]) -> Any:
    """google-auth credentials from a key file path or ``env:NAME``; `subject` delegates to that user."""
    info, where = _read_key(source)
    kind = info.get("type")
    if kind == "service_account":
        from google.oauth2 import service_account

        _require(info, ("client_email", "private_key", "token_uri"), where)
        try:
            credentials = service_account.Credentials.from_service_account_info(info, scopes=list(scopes))
        except (ValueError, TypeError):
            raise ScrError(f"{where}: the private_key could not be read. Create a new JSON key for the "
                           "service account in the Cloud console and use that file.") from None
        return credentials.with_subject(subject) if subject else credentials
    if kind == "authorized_user":
        from google.oauth2.credentials import Credentials

        if subject:
            raise ScrError(f"{where} is an OAuth user token; acting as another user (subject) needs a "
                           "service account key with domain-wide delegation.")
        _require(info, ("client_id", "client_secret", "refresh_token"), where)
        return Credentials.from_authorized_user_info(info, scopes=list(scopes))
    shown = f"type '{kind}'" if isinstance(kind, str) and re.fullmatch(r"[a-z_]{1,40}", kind) else "no usable type"
    raise ScrError(f"{where} has {shown}; expected a service account key (type service_account) "
                   "or an OAuth token file (type authorized_user).")


def account_email(credentials: Any) -> str:
    """Who Google sees: the delegated user, the service account, or a neutral phrase."""
    return (getattr(credentials, "_subject", None) or getattr(credentials, "service_account_email", None)
            or "the account")


def _read_key(source: str) -> tuple[dict[str, Any], str]:
    if source.startswith("env:"):
        name = source[4:]
        where = f"environment variable {name}"
        text = os.environ.get(name, "")
        if not text.strip():
            raise ScrError(f"{where} is not set or empty; put the key's JSON in it, or give the key file's path.")
    else:
        path = Path(source).expanduser()
        where = f"credentials file {path}"
        try:
            if path.stat().st_size > _MAX_KEY_BYTES:
                raise ScrError(f"{where} is too large to be a key file; check the path.")
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ScrError(f"{where} does not exist; give the path to the JSON key.") from None
        except IsADirectoryError:
            raise ScrError(f"{where} is a directory; give the path to the JSON key file.") from None
        except PermissionError:
            raise ScrError(f"{where} cannot be read (permission denied).") from None
        except UnicodeDecodeError:
            raise ScrError(f"{where} is not UTF-8 text; it should be the JSON key Google gave.") from None
        except OSError as exc:
            raise ScrError(f"The credentials file could not be read ({type(exc).__name__}); check the path.") from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScrError(f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}); "
                       "use the JSON key exactly as downloaded.") from None
    if not isinstance(info, dict):
        raise ScrError(f"{where} is not a JSON object; use the JSON key exactly as downloaded.")
    return info, where


def _require(info: dict[str, Any], fields: Sequence[str], where: str) -> None:
    missing = [f for f in fields if not isinstance(info.get(f), str) or not info[f].strip()]
    if missing:
        raise ScrError(f"{where} lacks {', '.join(missing)}; use the JSON key exactly as downloaded.")


# -- checking access (for `scr google-check`) ----------------------------------------------------
@dataclass(frozen=True)
class Services:
    """Built googleapiclient services; leave out the ones a board does not use."""

    drive: Any
    forms: Any = None
    docs: Any = None
    sheets: Any = None
    gmail: Any = None


class AccessCheck(NamedTuple):
    what: str
    ok: bool | None  # None: cannot be checked without side effects
    advice: str

    def __str__(self) -> str:
        mark = {True: "ok", False: "PROBLEM", None: "not checked"}[self.ok]
        return f"{self.what}: {mark}; {self.advice}"


def check_access(
    services: Services,
    folder_id: str,
    template_ids: Sequence[str] = (),
    roster_sheet_id: str | None = None,
    account: str = "the service account",
    plain_service_account: bool = False,
) -> list[AccessCheck]:
    """One line per thing the product needs; one cheap read each, nothing is written or sent.

    With `plain_service_account` the folder must be on a shared drive (it cannot own files elsewhere)."""
    drive = services.drive.files()
    folder = _check_file(drive, f"Drive folder {folder_id}", folder_id, FOLDER, "Editor", account)
    if folder.ok and plain_service_account and not folder.advice.endswith("(on a shared drive)"):
        folder = AccessCheck(folder.what, False, f"is in My Drive: {PLAIN_SERVICE_ACCOUNT}")
    lines = [folder]
    lines += [_check_file(drive, f"Template document {t}", t, DOCUMENT, "Viewer", account) for t in template_ids]
    if roster_sheet_id:
        lines.append(_check_file(drive, f"Roster sheet {roster_sheet_id}", roster_sheet_id, SPREADSHEET,
                                 "Viewer", account))
    probes = [
        ("Google Forms API", services.forms, lambda s: s.forms().get(formId=_PROBE_ID)),
        ("Google Docs API", services.docs, lambda s: s.documents().get(
            documentId=next(iter(template_ids), _PROBE_ID), fields="documentId")),
        ("Google Sheets API", services.sheets, lambda s: s.spreadsheets().get(
            spreadsheetId=roster_sheet_id or _PROBE_ID, fields="spreadsheetId")),
    ]
    lines += [_probe(name, service, make) for name, service, make in probes if service is not None]
    if services.gmail is not None:
        lines.append(AccessCheck("Gmail API", None, "gmail.send allows no harmless check; the first "
                                 "invitation shows whether sending works"))
    return lines


def _check_file(files: Any, what: str, file_id: str, mime: str, role: str, account: str) -> AccessCheck:
    fields = "id,name,mimeType,driveId,capabilities/canAddChildren"
    try:
        found = call(files.get(fileId=file_id, fields=fields, supportsAllDrives=True), f"look up {what}")
    except GoogleNotFound:
        return AccessCheck(what, False, f"not found or not shared with {account}; share it with {account} "
                           f"as {role} (reading files others own also needs the drive scope)")
    except GoogleError as exc:
        return AccessCheck(what, False, str(exc))
    if found.get("mimeType") != mime:
        return AccessCheck(what, False, f"is a {found.get('mimeType', 'file')}, expected {mime}; check the id")
    if mime == FOLDER and (found.get("capabilities") or {}).get("canAddChildren") is False:
        return AccessCheck(what, False, f"{account} can only view it; share the folder with {account} as Editor")
    return AccessCheck(what, True, f"found '{found.get('name', '')}'" + (" (on a shared drive)"
                                                                        if found.get("driveId") else ""))


def _probe(name: str, service: Any, make: Any) -> AccessCheck:
    try:
        call(make(service), f"reach the {name}")
    except GoogleAccessError as exc:
        return AccessCheck(name, False, str(exc))
    except GoogleError as exc:
        if exc.status not in (400, 404):
            return AccessCheck(name, False, str(exc))
    return AccessCheck(name, True, "the API answers these credentials")
