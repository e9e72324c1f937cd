"""`scr start` and `scr status` as a business manager runs them on one machine, in real time."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import httpx
import yaml

from tests.flows.browser import submit
from tests.flows.processes import free_port, up, wait_for
from tests.flows.test_commission_review import REVIEW

ROOT = Path(__file__).resolve().parents[2]


def board_config(tmp_path: Path, port: int) -> Path:
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT"),
                    "web_host": "127.0.0.1", "web_port": port}
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def scr(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, **kwargs)


def test_start_invites_serves_the_form_and_status_follows_answers(tmp_path):
    port = free_port()
    config = board_config(tmp_path, port)
    outbox = tmp_path / "OUT" / REVIEW.review_id / "outbox"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    # Its output goes to files, not pipes: a pipe nobody reads fills up (Prefect logs a lot on a busy machine)
    # and then blocks the process it should only record.
    out_file, err_file = tmp_path / "start.out", tmp_path / "start.err"
    with out_file.open("w") as out_handle, err_file.open("w") as err_handle:
        process = subprocess.Popen([sys.executable, "-m", "scr.entrypoints.cli", "start", str(config),
                                    "--poll-minutes", "0.01"], cwd=ROOT, env=env, text=True,
                                   stdout=out_handle, stderr=err_handle)

    def seen() -> str:
        state = "running" if process.poll() is None else f"exited with {process.returncode}"
        return (f"{len(list(outbox.glob('*.eml')))} of {len(REVIEW.members)} invitations; scr start {state}; "
                f"its stderr ends: {err_file.read_text()[-1500:]}")

    def invited() -> list[Path] | None:
        assert process.poll() is None, f"scr start stopped: {seen()}"
        found = sorted(outbox.glob("*.eml"))
        return found if len(found) == len(REVIEW.members) else None

    try:
        invitations = wait_for(invited, "the invitations", seconds=480, seen=seen)
        link = re.search(r"http://\S+/f/\S+", invitations[0].read_text()).group(0)
        assert link.startswith(f"http://127.0.0.1:{port}/f/")
        assert wait_for(lambda: up(link), "the member's form")

        status = scr("status", str(config), env=env)
        assert status.returncode == 0, status.stderr
        assert f"0 of {len(REVIEW.members)} answered" in status.stdout
        assert REVIEW.members[0].name in status.stdout and "invited" in status.stdout

        fields = {f"{f}.rating": "central" for f in ("B1", "B2", "B3", "C1", "C2", "C3", "C4", "C5", "C6")}
        fields["B1.comment"] = "CANARY-status-must-not-show-this"
        assert submit(httpx, link, fields, timeout=30).status_code == 200
        status = scr("status", str(config), env=env)
        assert f"1 of {len(REVIEW.members)} answered" in status.stdout
        assert "CANARY" not in status.stdout + status.stderr

        again = scr("start", str(config), env=env)
        assert again.returncode == 1 and "already started" in again.stderr
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
        out, err = out_file.read_text(), err_file.read_text()
    assert process.returncode == 130, err
    assert "loopback only" in out
    # the business manager watching the terminal sees a line each time the review moves on, never an answer
    progress = [line.split("  ", 1)[1] for line in out.splitlines() if f"{REVIEW.review_id} · " in line]
    assert progress.count(f"{REVIEW.review_id} · collecting member input · 1 of {len(REVIEW.members)} answered") == 1
    assert all(a != b for a, b in pairwise(progress)), "a line is printed only when something changed"
    assert "Prefect is ready" in out and str(tmp_path / "prefect") in out
    assert "Everything received so far is kept" in err
    assert "CANARY" not in out + err


def test_a_detached_start_shows_in_prefect_at_once_named_and_tagged_for_the_review(tmp_path):
    import sqlite3

    config = board_config(tmp_path, free_port())
    home = tmp_path / "prefect"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    started = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", "start", str(config), "--detach"],
                             capture_output=True, text=True, timeout=900, cwd=ROOT, env=env)
    assert started.returncode == 0, started.stderr
    assert f"{REVIEW.review_id}: collecting member input" in started.stdout
    # the run is in the Prefect database the UI reads (scr serve later starts its server on the same home)
    with sqlite3.connect(home / "prefect.db") as db:
        runs = db.execute("SELECT flow_run.name, flow_run.tags, flow_run.state_type FROM flow_run "
                          "JOIN flow ON flow.id = flow_run.flow_id WHERE flow.name = 'advance-review'").fetchall()
    (name, tags, state), = runs
    assert name == f"{REVIEW.review_id} · collecting member input · 0 of {len(REVIEW.members)} answered"
    assert f"review:{REVIEW.review_id}" in tags and "board:northshire-safeguarding-children-partnership" in tags
    assert state == "COMPLETED"
