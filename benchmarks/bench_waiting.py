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
                                    config.deadlines.schedule())
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
    for poll in (0.5, 1.0):
        print(f"Member's submit to the progress artifact showing it, in-process flow checking every {poll} s: "
              f"{latency(poll):.2f} s")
    print("(With `scr advance` on a schedule, the artifact changes at the next run; `scr status` shows an answer "
          "at once.)")
    return 0



LATENCY = """
import sys, threading, time, os
from pathlib import Path
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
import httpx
from prefect.client.orchestration import get_client
from prefect.testing.utilities import prefect_test_harness
from flows.advance_review import follow
from scr.bootstrap import backend_for
from scr.config import review_from_config
from scr.demo.answers import member_answers
from scr.demo.people import with_form_token
from scr.demo.run import example_config, free_port
from scr.entrypoints.webserver import BackgroundWebServer, build_app
from scr.settings import Runtime

out, poll = Path(sys.argv[1]), float(sys.argv[2])
config = example_config()
port = free_port()
runtime = Runtime.from_config(config, store_url=f"sqlite:///{out / 'scr.sqlite3'}", out_dir=str(out),
                              base_url=f"http://127.0.0.1:{port}", poll_seconds=poll)
backend = backend_for(runtime)
review = review_from_config(config)
backend.store.create_review(review, config.deadlines.schedule())
key = review.review_id.lower() + "-member-answers"
with prefect_test_harness(), BackgroundWebServer(build_app(runtime), "127.0.0.1", port):
    threading.Thread(target=lambda: follow(review.review_id, runtime, poll), daemon=True).start()
    outbox = out / review.review_id / "outbox"
    while len(list(outbox.glob("*.eml"))) < len(review.members):
        time.sleep(0.05)
    link = next(line for line in sorted(outbox.glob("*.eml"))[0].read_text().splitlines() if "/f/" in line)
    form = backend.member_form
    agencies = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != "other"]
    with get_client(sync_client=True) as client:
        def answered() -> float:
            artifact = client.read_latest_artifacts()  # the latest version of each key
            found = [a for a in artifact if a.key == key]
            return float(found[0].data) if found else 0.0
        time.sleep(2 * poll)
        page = httpx.get(link.strip(), timeout=30).text  # the member opens the form, then sends it
        start = time.perf_counter()
        fields = with_form_token(page, member_answers(0, agencies))
        assert httpx.post(link.strip(), data=fields, timeout=30).status_code == 200
        while answered() == 0.0:
            time.sleep(0.02)
        print(time.perf_counter() - start)
"""


def latency(poll: float) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        return float(run(LATENCY, tmp, str(poll))[-1])


if __name__ == "__main__":
    sys.exit(main())
