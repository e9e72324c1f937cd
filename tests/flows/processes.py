"""Waiting on processes the flow tests start: a free port, a condition that comes true, a service that answers."""

import time

import httpx

from scr.demo.run import free_port

__all__ = ["free_port", "up", "wait_for"]


def wait_for(condition, what: str = "the condition", seconds: float = 240, every: float = 0.25, seen=None):
    """The first true value of `condition()`, checked every `every` seconds; fails after `seconds`, saying what it
    last saw (`seen()`, or the last value). The limits are generous: the suite must pass on a busy machine, where
    a step that takes 2 s when idle can take a minute."""
    started = time.monotonic()
    value = None
    while time.monotonic() < started + seconds:
        value = condition()
        if value:
            return value
        time.sleep(every)
    last = seen() if seen is not None else repr(value)
    raise AssertionError(f"timed out after {time.monotonic() - started:.0f} s waiting for {what}; last seen: {last}")


def up(url: str) -> bool:
    """Whether `url` answers 200 now."""
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def review_runs(client, review_id: str, since: float) -> list:
    """The review's advance-review runs since ``since`` (a time.time()), oldest first, found as the business manager
    finds them: by the review's tag. (Other tests' reviews with the same id share the Prefect test server.)"""
    import datetime as dt

    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterStartTime, FlowRunFilterTags
    from prefect.client.schemas.sorting import FlowRunSort

    after = FlowRunFilterStartTime(after_=dt.datetime.fromtimestamp(since, dt.UTC))
    return client.read_flow_runs(
        flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[f"review:{review_id}"]), start_time=after),
        sort=FlowRunSort.EXPECTED_START_TIME_ASC)
