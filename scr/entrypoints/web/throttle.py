"""Slowing down guessing: too many bad personal links from one client address in a minute get a 429.

Only bad links are counted and refused; a valid link from the same address is always answered.
The table is in memory, per app instance, and bounded: an address is forgotten a minute after its
first bad link, and when the table is full the oldest address is dropped. Neither links nor
addresses are logged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WINDOW = 60  # seconds
LIMIT = 10  # bad links per address per window, answered as usual with 404
MAX_ADDRESSES = 4096


class BadLinkThrottle:
    """Counts bad links per client address in a fixed window that starts with the first one."""

    def __init__(
        self,
        limit: int = LIMIT,
        window: float = WINDOW,
        max_addresses: int = MAX_ADDRESSES,
        now: Callable[[], float] = time.monotonic,
    ):
        self.limit, self.window, self.max_addresses, self._now = limit, window, max_addresses, now
        self._seen: dict[str, tuple[float, int]] = {}  # address -> (window start, bad links); oldest first
        self._lock = threading.Lock()

    def too_many(self, address: str) -> bool:
        """Count one bad link from ``address``; True when it is over the limit for the current window."""
        now = self._now()
        with self._lock:
            start, count = self._seen.get(address, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if address not in self._seen or count == 0:
                self._seen.pop(address, None)  # (re)insert last, keeping the table ordered by window start
                self._make_room(now)
            self._seen[address] = (start, count + 1)
            return count + 1 > self.limit

    def __len__(self) -> int:
        return len(self._seen)

    def _make_room(self, now: float) -> None:
        while self._seen:
            address, (start, _) = next(iter(self._seen.items()))
            if now - start < self.window and len(self._seen) < self.max_addresses:
                return
            del self._seen[address]
