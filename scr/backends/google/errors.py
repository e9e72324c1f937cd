"""Google's failures as the product's errors, and the one way requests are run.

    ScrError
    └── GoogleError          a Google API call failed (says what was being done and what to try)
        ├── GoogleAccessError  401/403: credentials, scopes, sharing or a disabled API
        └── GoogleNotFound     404: the file, form or sheet does not exist or is not shared

``call(request, what)`` runs ``request.execute(num_retries=5)`` (the client retries 5xx, 429 and
rate-limit 403s with backoff) and raises one of these. Messages carry the HTTP status and Google's
reason codes, never response bodies, request bodies or answer text.
"""

from __future__ import annotations

from typing import Any

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError

from scr.errors import ScrError

__all__ = ["GoogleAccessError", "GoogleError", "GoogleNotFound", "call"]

RETRIES = 5

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

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class GoogleAccessError(GoogleError):
    """Google refused the credentials (401) or the access (403)."""


class GoogleNotFound(GoogleError):
    """Google answered 404: the thing does not exist, or the account cannot see it."""


def call(request: Any, what: str) -> Any:
    """Run a googleapiclient request with retries; `what` says what it does, e.g. "publish the member form"."""
    try:
        return request.execute(num_retries=RETRIES)
    except HttpError as exc:
        raise _translate(exc, what, getattr(request, "methodId", "") or "") from None
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


def _translate(exc: HttpError, what: str, method_id: str) -> GoogleError:
    status = exc.status_code
    reasons = _reasons(exc)
    said = f" ({', '.join(reasons)})" if reasons else ""
    need = _ACCESS.get(method_id.split(".")[0], "access to this Google API")
    if status == 401:
        return GoogleAccessError(
            f"Could not {what}: Google did not accept the credentials (HTTP 401{said}). "
            "Check the key file or token and that it has not been revoked.",
            status,
        )
    if status == 403 and not {"rateLimitExceeded", "userRateLimitExceeded"} & set(reasons):
        return GoogleAccessError(f"Could not {what}: access denied (HTTP 403{said}). This needs {need}.", status)
    if status == 404:
        return GoogleNotFound(
            f"Could not {what}: not found (HTTP 404). Check the id, and that it is shared with the account.", status
        )
    if status in (429, 403) or status >= 500:
        return GoogleError(
            f"Could not {what}: Google kept answering HTTP {status}{said} after {RETRIES} retries. Try again later.",
            status,
        )
    return GoogleError(f"Could not {what}: Google answered HTTP {status}{said}.", status)


def _reasons(exc: HttpError) -> list[str]:
    """Google's machine-readable reason codes (e.g. "insufficientPermissions"); never free text."""
    details = exc.error_details if isinstance(exc.error_details, list) else []
    found = [d.get("reason") for d in details if isinstance(d, dict)]
    return [r for r in found if isinstance(r, str) and r.replace("_", "").isalnum() and len(r) <= 60]
