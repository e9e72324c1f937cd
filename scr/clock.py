"""Clocks: the real one, and a fast one for the demo and tests, where a working day passes in a moment."""

from __future__ import annotations

import datetime as dt
import time


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class ScaledClock:
    """Simulated time running ``speed`` times faster than real time.

    It starts when first read, at ``origin`` (default: the real time then), so start-up work done
    before the review begins does not use up simulated days.
    """

    def __init__(self, speed: float, origin: dt.datetime | None = None):
        self.speed = speed
        self.origin = origin
        self._start: float | None = None

    def now(self) -> dt.datetime:
        if self._start is None:
            self._start = time.monotonic()
            self.origin = self.origin or dt.datetime.now(dt.UTC)
        elapsed = (time.monotonic() - self._start) * self.speed
        return self.origin + dt.timedelta(seconds=elapsed)
