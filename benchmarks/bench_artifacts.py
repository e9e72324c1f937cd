"""Benchmark: what the Prefect UI gains per scheduled advance run with 21 reviews waiting. Prints figures.

21 reviews of the example board are started (each invited by its first advance-review run). Then the
scheduled advance-reviews flow runs:
  1. with nothing new since the reviews started;
  2. again, with nothing new;
  3. after one member of one review answered.
For each: the flow runs and artifact versions it created, and its time.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from prefect.client.orchestration import get_client  # noqa: E402

from flows.advance_review import run_review  # noqa: E402
from flows.advance_reviews import advance_reviews  # noqa: E402
from scr.bootstrap import backend_for  # noqa: E402
from scr.config import review_from_config  # noqa: E402
from scr.demo.run import example_config  # noqa: E402
from scr.settings import Runtime  # noqa: E402

REVIEWS = 21


def counts() -> tuple[int, int]:
    """Flow runs and artifact versions in the Prefect database now."""
    with get_client(sync_client=True) as client:
        artifacts = client.request("POST", "/artifacts/count", json={}).json()
        return client.count_flow_runs(), artifacts


def main() -> int:
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; {REVIEWS} reviews waiting for members")
    with tempfile.TemporaryDirectory() as tmp:
        config = example_config()
        runtime = Runtime.from_config(config, store_url=f"sqlite:///{Path(tmp) / 'scr.sqlite3'}", out_dir=tmp,
                                      base_url="http://127.0.0.1:9")
        backend = backend_for(runtime)
        base = review_from_config(config)
        ids = []
        for number in range(REVIEWS):
            review = base.__class__(**{**base.__dict__, "review_id": f"SCR-2026-{number + 100:03d}"})
            backend.store.create_review(review, config.deadlines.schedule())
            run_review(review.review_id, runtime)  # as `scr start --detach` does
            ids.append(review.review_id)
        rows = []
        for what in ("nothing new", "nothing new, again", "one member answered"):
            if what == "one member answered":
                member = base.members[0]
                backend.store.save_response(ids[0], member.email, {}, backend.clock.now(), late=False)
            runs, artifacts = counts()
            start = time.perf_counter()
            advanced = advance_reviews(runtime)
            elapsed = time.perf_counter() - start
            runs_after, artifacts_after = counts()
            rows.append((what, len(advanced), runs_after - runs, artifacts_after - artifacts, elapsed))
    print(f"\n{'scheduled advance-reviews run':<30} {'reviews run':>11} {'flow runs':>10} {'artifacts':>10} "
          f"{'seconds':>8}")
    for what, advanced, runs, artifacts, elapsed in rows:
        print(f"{what:<30} {advanced:>11} {runs:>10} {artifacts:>10} {elapsed:>8.2f}")
    print("(flow runs include the advance-reviews run itself; artifacts count new versions and new keys)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
