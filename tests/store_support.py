"""What the store's tests share: the example review, a schedule, and ways to run work on threads at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from scr.config import load_board_config, review_from_config
from scr.domain.model import Review, Vocabulary
from scr.domain.schedule import Schedule
from scr.store.store import SqlStore
from scr.store.tables import responses

ROOT = Path(__file__).resolve().parents[1]
AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
SCHEDULE = Schedule(response_deadline=dt.datetime(2026, 12, 4, 17, tzinfo=dt.UTC),
                    reminders=(AT + dt.timedelta(days=7),))
#: A schedule as earlier versions kept it: a plain dict of ISO strings, written by the services key by key.
OLD_STYLE = {
    "response_working_days": 10, "reminder_working_days": [5, 8], "reviewer_working_days": 7,
    "holidays": ["2026-12-25", "2026-12-28"], "opened_at": "2026-11-23T09:30:00+00:00",
    "response_deadline": "2026-12-07T09:30:00+00:00",
    "reminders": ["2026-11-30T09:30:00+00:00", "2026-12-03T09:30:00+00:00"],
    "close_now": True, "closed_at": "2026-12-01T12:00:00+00:00", "include_late": False,
    "reviewer_deadline": "2026-12-10T12:00:00+00:00", "excused_reviewers": ["b@example.org", "a@example.org"],
    "cancelled_at": "2026-12-09T08:00:00+00:00",
}
POSTGRES_URL = "SCR_TEST_POSTGRES_URL"


def example_review() -> Review:
    config = load_board_config(ROOT / "config" / "example-board.yaml")
    return dataclasses.replace(review_from_config(config), vocabulary=Vocabulary.named("partnership"))


def versions_of(store: SqlStore, review_id: str, email: str) -> list[int]:
    """Every version kept for one member, in order."""
    query = select(responses.c.version).where((responses.c.review_id == review_id) & (responses.c.email == email))
    with store._engine.connect() as conn:
        return list(conn.scalars(query.order_by(responses.c.version)))


def run_at_once(work: Callable[[int], None], threads: int) -> list[BaseException]:
    """Run ``work(n)`` on several threads started together; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)

    running = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return errors

