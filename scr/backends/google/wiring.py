"""Building the Google backend's parts from the board's `google` settings.

Credentials are read from the file or environment variable the settings name; the key never appears
in a message. With ``api_root`` every call goes to that server instead of Google (a loopback server
that speaks Google's APIs, for tests); Google's own endpoints are used otherwise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests

from scr.backends.google.auth import load_credentials, scopes_for
from scr.backends.google.errors import configure_retries
from scr.config import GoogleConfig

APIS = {"forms": "v1", "docs": "v1", "drive": "v3", "sheets": "v4", "gmail": "v1"}
GOOGLE_ORIGINS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")


@dataclass(frozen=True)
class GoogleClients:
    credentials: Any
    forms: Any
    docs: Any
    drive: Any
    sheets: Any
    gmail: Any

    def gspread(self, api_root: str | None) -> Any:
        import gspread

        if api_root:
            return gspread.Client(auth=None, session=_RebasedSession(api_root))
        return gspread.Client(auth=self.credentials)


def credentials_for(google: GoogleConfig) -> Any:
    if google.credentials == "anonymous":  # the settings allow this only with api_root
        from google.auth.credentials import AnonymousCredentials

        return AnonymousCredentials()
    scopes = scopes_for(uses_gmail=google.mail == "gmail")
    return load_credentials(google.credentials, google.subject, scopes)


def build_clients(google: GoogleConfig) -> GoogleClients:
    """googleapiclient services for every API the backend uses, from the discovery documents in the wheel."""
    from googleapiclient.discovery import build

    configure_retries(google.retry_seconds)
    credentials = credentials_for(google)

    def service(api: str) -> Any:
        options = {"api_endpoint": endpoint(api, google.api_root)} if google.api_root else None
        return build(api, APIS[api], credentials=credentials, static_discovery=True, cache_discovery=False,
                     client_options=options)

    return GoogleClients(credentials, *(service(api) for api in ("forms", "docs", "drive", "sheets", "gmail")))


def endpoint(api: str, api_root: str) -> str:
    """The base URL for `api` on `api_root`: the root plus the API's own service path (Drive's is drive/v3/)."""
    from googleapiclient.discovery_cache import get_static_doc

    service_path = json.loads(get_static_doc(api, APIS[api]))["servicePath"]
    return f"{api_root.rstrip('/')}/{service_path}"


class _RebasedSession(requests.Session):
    """gspread has no base-URL setting: send its Google calls to `api_root` instead."""

    def __init__(self, api_root: str):
        super().__init__()
        self.root = api_root.rstrip("/") + "/"

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        for origin in GOOGLE_ORIGINS:
            if isinstance(url, str) and url.startswith(origin):
                url = self.root + url[len(origin):]
                break
        return super().request(method, url, *args, **kwargs)
