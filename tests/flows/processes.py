"""Waiting on processes the flow tests start: a free port, a condition that comes true, a service that answers."""

import time

import httpx

from scr.demo.run import free_port

__all__ = ["free_port", "up", "wait_for"]


def wait_for(condition, what: str = "the condition", seconds: float = 120, every: float = 0.25):
    """The first true value of `condition()`, checked every `every` seconds; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def up(url: str) -> bool:
    """Whether `url` answers 200 now."""
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False
