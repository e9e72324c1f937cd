"""`scr serve`: what one machine needs, on loopback: a Prefect server (unless PREFECT_API_URL names one),
the advance-reviews flow served on a schedule, and the local web app for members and reviewers.

Nothing waits for people: each scheduled run advances every open review and exits (see
scr.services.advancing). Stopping and starting this again loses nothing; the next run carries on.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from scr.errors import ScrError


@contextmanager
def prefect_server(port: int, log_dir: Path):
    """A Prefect server on 127.0.0.1:`port` for as long as the context lasts, unless one is configured."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}/api"
    # `--port` alone leaves the UI calling the default port's API: tell the UI where its API is.
    env = {**os.environ, "PREFECT_UI_API_URL": url}
    with open(log_dir / "prefect-server.log", "ab") as log:
        server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                   "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_healthy(url, server)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_healthy(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ScrError("The Prefect server stopped while starting; see prefect-server.log in the data folder.")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise ScrError(f"The Prefect server did not answer on {url} within {seconds:.0f} s; is the port in use?")


def serve_advancing(runtime, every: dt.timedelta, review_id: str) -> None:
    """Serve advance-reviews on an interval, and steer-review for the business manager, until stopped."""
    from prefect import serve

    from flows.advance_reviews import advance_reviews
    from flows.steer_review import steer_review

    serve(
        advance_reviews.to_deployment(name="advance-reviews", interval=every, parameters={"runtime": runtime}),
        steer_review.to_deployment(name="steer-review", parameters={"runtime": runtime, "review_id": review_id},
                                   description="Close early, extend, include late answers, go ahead without "
                                               "a lead reviewer, or cancel: run it, then fill in the form."),
        limit=2, pause_on_shutdown=False, print_starting_message=False,
    )
