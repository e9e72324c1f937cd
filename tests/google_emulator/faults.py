"""Fault injection: failed calls by method and call number, by seeded chance, and auth refusals.

Example::

    emu.faults.fail("drive.files.get", status=503)                 # the next call fails once
    emu.faults.fail("drive.files.create", status=403, reason="storageQuotaExceeded")
    emu.faults.fail("forms.forms.get", status=429, nth=2, retry_after=7)
    emu.faults.fail("docs.documents.get", status=DROP, times=2)     # close the socket twice
    emu.faults.fail_fraction(0.25, status=500, seed=3)              # any method, seeded
    emu.faults.deny(401)                                            # every call, until clear()
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from .errors import ApiError

#: Status meaning "close the connection without answering".
DROP = "drop"

_MESSAGES = {
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential.",
    403: "The caller does not have permission",
    429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


@dataclass
class Fault:
    """What to do to one call: answer `status` (an HTTP code) or DROP the connection."""

    status: int | str
    retry_after: int | None = None
    reason: str | None = None  # Google's reason code; by default the usual one for the status

    def error(self) -> ApiError:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        status = int(self.status)
        reason = self.reason or {401: "authError", 403: "forbidden", 429: "rateLimitExceeded"}.get(status)
        location = {"location": "Authorization", "location_type": "header"} if status == 401 else {}
        message = _MESSAGES.get(status, "Injected fault.")
        return ApiError(status, message, reason=reason, headers=headers, **location)


@dataclass
class _Rule:
    method: str | None
    nth: int
    times: int
    fault: Fault
    seen: int = 0


class FaultPlan:
    """The faults one emulator will inject; safe to change while the server runs."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Rule] = []
        self._fraction = 0.0
        self._fraction_fault = Fault(503)
        self._fraction_methods: set[str] | None = None
        self._rng = random.Random(seed)
        self._denied: dict[str | None, int] = {}
        self.injected = 0  # faults answered so far

    def fail(
        self,
        method: str | None,
        *,
        status: int | str = 503,
        nth: int = 1,
        times: int = 1,
        retry_after: int | None = None,
        reason: str | None = None,
    ) -> None:
        """Fail `times` calls of `method` (None: any) starting with its `nth` call from now on, with Google's
        `reason` code (e.g. "storageQuotaExceeded") when given."""
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            self._rules.append(_Rule(method, nth, times, Fault(status, retry_after, reason)))

    def fail_fraction(
        self,
        fraction: float,
        *,
        status: int | str = 503,
        seed: int | None = None,
        methods: set[str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Fail about `fraction` of calls (of `methods`, or all) drawn from a seeded generator."""
        with self._lock:
            self._fraction = fraction
            self._fraction_fault = Fault(status, retry_after if status != 429 else retry_after or 1)
            self._fraction_methods = methods
            if seed is not None:
                self._rng = random.Random(seed)

    def deny(self, status: int = 401, method: str | None = None) -> None:
        """Answer 401 or 403 to every call (or every call of `method`) until `clear()`."""
        if status not in (401, 403):
            raise ValueError("deny() takes 401 or 403")
        with self._lock:
            self._denied[method] = status

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._fraction = 0.0
            self._denied.clear()

    def decide(self, method_id: str) -> Fault | None:
        """The fault for this call of `method_id`, or None to serve it normally."""
        fault = self._decide(method_id)
        if fault is not None:
            with self._lock:
                self.injected += 1
        return fault

    def _decide(self, method_id: str) -> Fault | None:
        with self._lock:
            status = self._denied.get(method_id, self._denied.get(None))
            if status:
                return Fault(status)
            for rule in self._rules:
                if rule.times > 0 and rule.method in (None, method_id):
                    rule.seen += 1
                    if rule.seen >= rule.nth:
                        rule.times -= 1
                        return rule.fault
            if self._fraction and (self._fraction_methods is None or method_id in self._fraction_methods):
                if self._rng.random() < self._fraction:
                    return self._fraction_fault
        return None
