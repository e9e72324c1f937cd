"""Benchmark: 100 reviews waiting at once on the embedded backend. Prints figures; asserts nothing.

- Processes held while the reviews wait: none; `scr advance` runs, does what is due, and exits.
- Time for one check of all 100 waiting reviews (one `advance` pass: collect, remind, progress).
- Memory: peak RSS of one advance pass, and of the web app serving a store of 100 reviews against an
  empty one (each in a fresh process).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REVIEWS = 100
ROOT = Path(__file__).resolve().parents[1]


def make_store(out: Path, reviews: int) -> str:
    """A store with `reviews` reviews of the example board, each invited and waiting for its members."""
    from scr.bootstrap import backend_for
    from scr.config import review_from_config
    from scr.demo.run import example_config
    from scr.services.advancing import advance
    from scr.settings import Runtime

    config = example_config()
    url = f"sqlite:///{out / 'scr.sqlite3'}"
    runtime = Runtime.from_config(config, store_url=url, out_dir=str(out), base_url="http://127.0.0.1:9")
    backend = backend_for(runtime)
    base = review_from_config(config)
    for number in range(reviews):
        review_id = f"SCR-2026-{number + 100:03d}"
        backend.store.create_review(base.__class__(**{**base.__dict__, "review_id": review_id}),
                                    config.deadlines.model_dump(mode="json"))
        advance(backend, review_id)
    return url


PASS = """
import resource, sys, time
from scr.bootstrap import backend_for
from scr.demo.run import example_config
from scr.services.advancing import advance, open_reviews
from scr.settings import Runtime
runtime = Runtime.from_config(example_config(), store_url=sys.argv[1], out_dir=sys.argv[2], base_url="http://x")
backend = backend_for(runtime)
start = time.perf_counter()
stages = [advance(backend, r) for r in open_reviews(backend)]
print(len(stages), time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

WEB = """
import resource, sys
from fastapi.testclient import TestClient
from scr.demo.run import example_config
from scr.entrypoints.webserver import build_app
from scr.settings import Runtime
runtime = Runtime.from_config(example_config(), store_url=sys.argv[1], out_dir=sys.argv[2], base_url="http://x")
client = TestClient(build_app(runtime))
assert client.get("/healthz").status_code == 200
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str, *args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                            check=True, env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    return result.stdout.split()


def main() -> int:
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; {REVIEWS} reviews of 13 members each")
    with tempfile.TemporaryDirectory() as tmp:
        busy, empty = Path(tmp) / "busy", Path(tmp) / "empty"
        started = time.perf_counter()
        url = make_store(busy, REVIEWS)
        print(f"Set-up: {REVIEWS} reviews created and invited in {time.perf_counter() - started:.1f} s")
        reviews, seconds, rss = run(PASS, url, str(busy))
        print(f"One check of all {reviews} waiting reviews (one advance pass): {float(seconds):.2f} s "
              f"({1000 * float(seconds) / int(reviews):.0f} ms a review); peak RSS {int(rss) / 1024:.0f} MB")
        empty_url = make_store(empty, 0)
        web_busy = int(run(WEB, url, str(busy))[0])
        web_empty = int(run(WEB, empty_url, str(empty))[0])
        print(f"Web app peak RSS: {web_busy / 1024:.0f} MB with {REVIEWS} reviews, {web_empty / 1024:.0f} MB with "
              f"none (ratio {web_busy / web_empty:.2f})")
        print("Processes held while the reviews wait: 0 (each advance pass exits when it is done)")
    print(f"This process: peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
