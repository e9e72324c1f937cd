"""Prefect for a command: one Prefect home, and a server that answers before any flow runs.

Prefect's own temporary server gives itself 20 seconds to start; creating a fresh database on a small
machine takes longer, and the first `make demo` crashed with a traceback. So every command that runs a
flow starts the server itself (``prefect server start`` on loopback, with its UI), waits until it answers
``/health``, the process stops, or a generous limit passes, and says what it is doing while it waits.
When it cannot start, the command stops with one plain line saying what to do.

Where Prefect keeps its database (``PREFECT_HOME``) is decided here, the same for `make`, the venv's
`scr` and an installed `scr`: the ``PREFECT_HOME`` environment variable when set, otherwise a ``prefect``
folder beside the board's data (``local.data_dir``; for the demo, beside the demo's data).

Prefect reads its settings once, when it is first imported: call ``use_prefect_home`` and enter
``prefect_api`` before anything imports Prefect.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from scr.errors import ScrError

SERVER_LOG = "prefect-server.log"
STARTUP_LIMIT = 600.0  # seconds: only a backstop; the wait ends as soon as the server answers or stops
REPORT_EVERY = 15.0  # seconds between "still starting" lines


class PrefectUnavailable(ScrError):
    """Prefect's server could not be started or reached; the message says what to do."""


def use_prefect_home(data_dir: Path) -> Path:
    """Where Prefect keeps its database: PREFECT_HOME when set, else ``<data_dir>/prefect`` (set here)."""
    if os.environ.get("PREFECT_HOME"):
        return Path(os.environ["PREFECT_HOME"]).expanduser().resolve()
    home = (Path(data_dir) / "prefect").resolve()
    os.environ["PREFECT_HOME"] = str(home)
    return home


@contextmanager
def prefect_api(home: Path, port: int | None = None, say: Callable[[str], None] = print) -> Iterator[str]:
    """A Prefect API for as long as the context lasts: the one PREFECT_API_URL names, or a server started here.

    The server listens on 127.0.0.1:``port`` (a free port when None) and serves the Prefect UI too.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        _check_configured(configured)
        yield configured
        return
    home.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}/api"
    fresh = _fresh_database(home)
    say(f"Starting Prefect (its database is in {home})"
        + (": the first start creates the database, which takes a minute or two on a small machine..."
           if fresh else "..."))
    started = time.monotonic()
    server = _start_server(home, port, url)
    try:
        _wait_healthy(url, server, home / SERVER_LOG, port, say)
        say(f"Prefect is ready after {time.monotonic() - started:.0f} s; its UI is at http://127.0.0.1:{port}")
        os.environ["PREFECT_API_URL"] = url
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: url}):  # also in this process's settings, read once
            yield url
    finally:
        _drain_prefect_workers()  # while the server still listens, whether the command ended well or not
        os.environ.pop("PREFECT_API_URL", None)
        _stop(server)


def _check_configured(url: str) -> None:
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        raise PrefectUnavailable(
            f"The Prefect server named by PREFECT_API_URL ({url}) does not answer ({type(exc).__name__}). "
            "Start that server, or unset PREFECT_API_URL so that scr starts its own."
        ) from None


def _fresh_database(home: Path) -> bool:
    """No Prefect database yet (on SQLite, in PREFECT_HOME); a configured database URL is never fresh here."""
    return not os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL") and not (home / "prefect.db").exists()


def _start_server(home: Path, port: int, url: str) -> subprocess.Popen:
    # `--port` alone leaves the UI calling the default port's API: tell the UI where its API is.
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_UI_API_URL": url,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with open(home / SERVER_LOG, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        )


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, port: int, say: Callable[[str], None]) -> None:
    """Wait until the server answers /health; stop waiting the moment it exits."""
    started = next_report = time.monotonic()
    next_report += REPORT_EVERY
    while time.monotonic() - started < STARTUP_LIMIT:
        if server.poll() is not None:
            raise PrefectUnavailable(_why_stopped(log, port))
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() >= next_report:
            say(f"  still starting Prefect ({time.monotonic() - started:.0f} s)...")
            next_report += REPORT_EVERY
        time.sleep(0.25)
    raise PrefectUnavailable(
        f"Prefect did not start within {STARTUP_LIMIT / 60:.0f} minutes. The machine may be very busy: "
        f"try again, and if it happens again read {log}."
    )


def _why_stopped(log: Path, port: int) -> str:
    tail = log.read_text(encoding="utf-8", errors="replace")[-4000:] if log.exists() else ""
    if any(words in tail.lower() for words in ("already in use", "errno 98")):
        return (f"Prefect could not start: port {port} is already in use on 127.0.0.1. "
                "Stop what uses it, or choose another port (--prefect-port).")
    return (f"Prefect stopped while starting. Read {log} for why; to start Prefect afresh, move its folder "
            f"{log.parent} aside (the reviews are in scr's own store, not there) and run the command again.")


def _drain_prefect_workers() -> None:
    """Send Prefect's last logs and events before its server stops, so nothing is left to fail at exit."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=10, at_exit=False)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
