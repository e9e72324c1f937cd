"""Pointing gspread at the emulator.

gspread 6.2.1 has no base-URL setting: its URLs are constants (``https://sheets.googleapis.com/...``
for Sheets, ``https://www.googleapis.com/drive/v3/...`` for Drive, e.g. ``Client.create``).
The hook is a ``requests.Session`` that rewrites those origins, given as
``gspread.Client(auth=None, session=EmulatorSession(origin))``.
"""

from __future__ import annotations

from typing import Any

import requests

GOOGLE_ORIGINS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")


class EmulatorSession(requests.Session):
    """A requests session that sends Google API calls to `origin` instead."""

    def __init__(self, origin: str) -> None:
        super().__init__()
        self.origin = origin.rstrip("/") + "/"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        for google in GOOGLE_ORIGINS:
            if text.startswith(google):
                text = self.origin + text[len(google) :]
                break
        return super().request(method, text, *args, **kwargs)
