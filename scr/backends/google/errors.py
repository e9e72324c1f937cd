"""Google's failures as the product's errors, and the one way requests are run.

    ScrError
    └── GoogleError          a Google API call failed (says what was being done and what to try)
        ├── GoogleAccessError  401/403: credentials, scopes, sharing or a disabled API
        └── GoogleNotFound     404: the file, form or sheet does not exist or is not shared

This module is the one gateway to Google: every request goes out through ``call(request, what)`` (the
googleapiclient ones) or ``retrying(action)`` (gspread's, and creates), under one retry policy:
``transient`` decides what is worth retrying (no answer, 408, 429, 5xx, and 403 only for a rate limit),
``retrying`` waits a jittered doubling (or Google's ``Retry-After``) between attempts, and a create that must
not happen twice passes ``recheck``, asked before each retry whether the failed attempt made it after all.
401, other 403s, 400 and 404 are never retried. ``configure_retries`` sets the first wait (the board's
``google.retry_seconds``). Each reason code Google gives that needs a person to act has its own message
naming the fix (``FIXES``). Messages carry the HTTP status and Google's reason codes, never response
bodies, request bodies or answer text.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httplib2
from google.auth.exceptions import GoogleAuthError, RefreshError, TransportError
from googleapiclient.errors import HttpError

from scr.errors import ScrError

__all__ = ["FIXES", "GoogleAccessError", "GoogleError", "GoogleNotFound", "call", "configure_retries",
           "is_transient", "pause_before_retry", "retrying", "transient"]

RETRIES = 5
T = TypeVar("T")

#: What each API needs, by the first part of a discovery method id ("forms.forms.create" -> "forms").
_ACCESS = {
    "forms": "the Google Forms API enabled in the Cloud project and the forms.body scope",
    "docs": "the Google Docs API enabled and the documents scope",
    "drive": "the Google Drive API enabled, the drive.file (or drive) scope, and the file shared with the account",
    "sheets": "the Google Sheets API enabled, the spreadsheets scope, and the sheet shared with the account",
    "gmail": "the Gmail API enabled, the gmail.send scope, and domain-wide delegation for the sending user",
}


class GoogleError(ScrError):
    """A Google API call failed; ``status`` is the HTTP status (None when Google was not reached)."""

    def __init__(self, message: str, status: int | None = None, reasons: tuple[str, ...] = ()):
        super().__init__(message)
        self.status = status
        self.reasons = reasons  # Google's machine-readable reason codes, e.g. ("invalidSharingRequest",)
        self.wait: float | None = None  # seconds Google asked us to wait (Retry-After), if it did

    @property
    def transient(self) -> bool:  # type: ignore[override]
        """Worth trying again later (``scr.errors.is_transient``): by the one rule, ``is_transient`` below."""
        return is_transient(self)


class GoogleAccessError(GoogleError):
    """Google refused the credentials (401) or the access (403)."""


class GoogleNotFound(GoogleError):
    """Google answered 404: the thing does not exist, or the account cannot see it."""


_retry = {"first_wait": 1.0, "pause": time.sleep}


def configure_retries(first_wait: float, pause: Callable[[float], None] = time.sleep) -> None:
    """Set the first wait before a retry (doubling each time) for this process."""
    _retry.update(first_wait=first_wait, pause=pause)


def call(request: Any, what: str, retries: int = RETRIES) -> Any:
    """Run a googleapiclient request with retries; `what` says what it does, e.g. "publish the member form"."""
    return retrying(lambda: _execute(request, what), retries=retries)


def retrying(action: Callable[[], T], *, retries: int = RETRIES, recheck: Callable[[], T | None] | None = None) -> T:
    """Run `action` (which raises GoogleErrors), again after each transient failure, up to `retries` times.

    `recheck`, for a create that must not happen twice, is asked before each retry: what it returns (the thing
    the failed attempt made after all) is returned instead of trying again; None means try again.
    """
    for attempt in range(retries + 1):
        try:
            return action()
        except GoogleError as error:
            if not is_transient(error) or attempt == retries:
                raise
            pause_before_retry(attempt, error.wait)
        if recheck is not None and (found := recheck()) is not None:
            return found
    raise AssertionError("unreachable")  # pragma: no cover


def is_transient(error: GoogleError) -> bool:
    """Whether a failed call is worth retrying: never a refusal of access or a missing thing."""
    return not isinstance(error, GoogleAccessError | GoogleNotFound) and transient(error.status, error.reasons)


def pause_before_retry(attempt: int, wait: float | None = None) -> None:
    """Wait before retry number ``attempt + 1``: ``wait`` if Google said, else a jittered doubling."""
    _retry["pause"](wait or _retry["first_wait"] * 2**attempt * (0.5 + random.random() / 2))


def _execute(request: Any, what: str) -> Any:
    try:
        return request.execute(num_retries=0)
    except HttpError as exc:
        error = _translate(exc, what, getattr(request, "methodId", "") or "")
        error.wait = _retry_after(exc)
        raise error from None
    except RefreshError:
        raise GoogleAccessError(
            f"Could not {what}: Google refused the credentials when issuing a token. Check the key is current "
            "and, with delegation, that its client id is authorised for these scopes in the Admin console.",
            401,
        ) from None
    except (TransportError, httplib2.HttpLib2Error, OSError) as exc:
        raise GoogleError(
            f"Could not {what}: Google could not be reached ({type(exc).__name__}) after {RETRIES} retries. "
            "Check the network connection and try again."
        ) from None
    except GoogleAuthError:
        raise GoogleAccessError(
            f"Could not {what}: Google did not accept the credentials (HTTP 401) and they could not be renewed. "
            "Check the key file or token named in the google section of the board configuration.",
            401,
        ) from None


def _retry_after(exc: HttpError) -> float | None:
    value = (getattr(exc, "resp", None) or {}).get("retry-after")
    try:
        return min(float(value), 60.0) if value is not None else None
    except ValueError:
        return None


#: Google's reason codes we can meet, each with the fix it needs (Drive "Resolve errors" guide, Cloud API errors).
FIXES = {
    "storageQuotaExceeded": "a plain service account cannot own files outside a shared drive (\"Service accounts "
                            "don't have storage quota\"): set google.subject to act as a user through domain-wide "
                            "delegation, use an OAuth user token, or move the folder to a shared drive",
    "invalidSharingRequest": "the address has no Google account, so Drive shares with it only through its own "
                             "invitation email: ask the person to create a Google account for their work address",
    "sharingRateLimitExceeded": "Drive limits how many shares and sharing emails one account makes in a day: wait "
                                "an hour or two and run `scr advance` again; nothing is lost",
    "shareOutNotPermitted": "the Workspace's sharing policy blocks sharing outside the organisation: ask the "
                            "administrator to allow sharing with the people's domains (Admin console, Apps, "
                            "Google Workspace, Drive and Docs, Sharing settings)",
    "shareInNotPermitted": "the person's organisation does not accept files shared from outside it: ask them to "
                           "use an address their organisation allows, or their administrator to allow it",
    "publishOutNotPermitted": "the Workspace's sharing policy blocks publishing outside the organisation: ask the "
                              "administrator to allow it (Admin console, Drive and Docs, Sharing settings)",
    "accessNotConfigured": "the API is not enabled in the Google Cloud project of these credentials: enable it in "
                           "the Cloud console (APIs & Services, Library) and run again",
    "SERVICE_DISABLED": "the API is not enabled in the Google Cloud project of these credentials: enable it in "
                        "the Cloud console (APIs & Services, Library) and run again",
    "insufficientPermissions": "the credentials lack a scope this needs: with delegation, add the scopes listed in "
                               "the README to the client id in the Admin console (Security, API controls, "
                               "Domain-wide delegation); with an OAuth token, sign in again granting them",
    "ACCESS_TOKEN_SCOPE_INSUFFICIENT": "the credentials lack a scope this needs: with delegation, add the scopes "
                                       "listed in the README to the client id in the Admin console; with an OAuth "
                                       "token, sign in again granting them",
}
#: Reasons that say "too many requests now": worth waiting and retrying.
RATE_LIMITS = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}


def transient(status: int | None, reasons: tuple[str, ...] = ()) -> bool:
    """The one rule of what is worth retrying: no answer, 408, 429, 5xx, and 403 only for a rate limit."""
    if status is None:
        return True
    if status == 403:
        return bool(RATE_LIMITS & set(reasons))
    return status in (408, 429) or status >= 500


def _translate(exc: HttpError, what: str, method_id: str) -> GoogleError:
    details = exc.error_details if isinstance(exc.error_details, list) else []
    return translate(exc.status_code, reason_codes(details), what, method_id.split(".")[0])


def translate(status: int, reasons: tuple[str, ...], what: str, api: str) -> GoogleError:
    """The product's error for Google's answer `status` with `reasons`, doing `what` with `api` ("drive" ...)."""
    said = f" ({', '.join(reasons)})" if reasons else ""
    fix = next((FIXES[r] for r in reasons if r in FIXES), None)
    need = _ACCESS.get(api, "access to this Google API")
    if fix is not None:
        kind = GoogleAccessError if status in (401, 403) and "sharingRateLimitExceeded" not in reasons else GoogleError
        return kind(f"Could not {what}: Google answered HTTP {status}{said}: {fix}.", status, reasons)
    if status == 401:
        return GoogleAccessError(
            f"Could not {what}: Google did not accept the credentials (HTTP 401{said}). "
            "Check the key file or token and that it has not been revoked.",
            status, reasons,
        )
    if status == 403 and not transient(status, reasons):
        return GoogleAccessError(f"Could not {what}: access denied (HTTP 403{said}). This needs {need}.", status,
                                 reasons)
    if status == 404:
        return GoogleNotFound(
            f"Could not {what}: not found (HTTP 404). Check the id, and that it is shared with the account.", status,
            reasons,
        )
    if transient(status, reasons):
        return GoogleError(
            f"Could not {what}: Google kept answering HTTP {status}{said} after {RETRIES} retries. Try again later.",
            status, reasons,
        )
    return GoogleError(f"Could not {what}: Google answered HTTP {status}{said}.", status, reasons)


def reason_codes(details: Any) -> tuple[str, ...]:
    """Google's machine-readable reason codes (e.g. "insufficientPermissions") from an error's ``errors`` or
    ``details`` list; never free text."""
    found = [d.get("reason") for d in details if isinstance(d, dict)] if isinstance(details, list) else []
    return tuple(r for r in found if isinstance(r, str) and r.replace("_", "").isalnum() and len(r) <= 60)
