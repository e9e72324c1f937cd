"""Credentials for talking to the emulator.

`AnonymousCredentials` (the default of `GoogleEmulator.build`) cannot refresh, and
google-auth-httplib2 answers a 401 by refreshing: with them a 401 surfaces as
``google.auth.exceptions.InvalidOperation``, not as an HttpError. `FakeTokenCredentials`
refresh to a new fake bearer token, as real user or service-account credentials would, so a
401 comes back as ``HttpError 401`` after the client's refresh-and-retry attempts.
"""

from __future__ import annotations

import itertools
from typing import Any

import google.auth.credentials


class FakeTokenCredentials(google.auth.credentials.Credentials):
    """Bearer tokens "emulator-token-1", "-2", ... minted locally on every refresh."""

    def __init__(self) -> None:
        super().__init__()
        self._serial = itertools.count(1)
        self.refreshes = 0
        self.token = f"emulator-token-{next(self._serial)}"

    def refresh(self, request: Any) -> None:
        self.refreshes += 1
        self.token = f"emulator-token-{next(self._serial)}"
