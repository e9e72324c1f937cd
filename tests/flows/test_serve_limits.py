"""`scr serve` keeps separate room for steering and advancing: paused steer-review runs, waiting on the
business manager's form, never hold up the scheduled advance-reviews runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import yaml

from scr.entrypoints.serve import STEERING_AT_ONCE
from tests.flows.processes import free_port, up, wait_for

ROOT = Path(__file__).resolve().parents[2]


def test_paused_steering_runs_never_block_the_scheduled_advance(tmp_path):
    web, port = free_port(), free_port()
    api = f"http://127.0.0.1:{port}/api"
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT"), "web_port": web}
    config = tmp_path / "board.yaml"
    config.write_text(yaml.safe_dump(raw))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_RUNNER_POLL_FREQUENCY="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    cli = [sys.executable, "-m", "scr.entrypoints.cli"]
    subprocess.run([*cli, "start", str(config), "--detach"], cwd=ROOT, env=env, check=True, capture_output=True)
    serve = subprocess.Popen([*cli, "serve", str(config), "--advance-minutes", "0.05", "--prefect-port", str(port)],
                             cwd=ROOT, env=env, start_new_session=True, stdout=open(tmp_path / "serve.log", "wb"),
                             stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: up(f"{api}/health") and up(f"http://127.0.0.1:{web}/healthz"), "scr serve", seconds=300)
        steer = wait_for(lambda: deployment(api, "steer-review/steer-review"), "the steer-review deployment")
        runs = [wait_for(lambda: created(api, steer["id"]), "a steering run") for _ in range(STEERING_AT_ONCE)]
        wait_for(lambda: all(state(api, run) == "PAUSED" for run in runs), "every steering run to pause", seconds=300)

        before = len(completed_advances(api))
        wait_for(lambda: len(completed_advances(api)) >= before + 2, "two more scheduled advances", seconds=300)
        assert all(state(api, run) == "PAUSED" for run in runs), "the steering runs still wait for their form"
    finally:
        os.killpg(serve.pid, signal.SIGKILL)
        serve.wait()


def deployment(api: str, name: str) -> dict | None:
    found = httpx.get(f"{api}/deployments/name/{name}", timeout=10)
    return found.json() if found.status_code == 200 else None


def state(api: str, run_id: str) -> str:
    return httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()["state"]["type"]


def completed_advances(api: str) -> list[dict]:
    return httpx.post(f"{api}/flow_runs/filter", timeout=10, json={
        "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
        "flows": {"name": {"any_": ["advance-reviews"]}}}).json()


def created(api: str, deployment_id: str) -> str | None:
    """A new run's id; None while the server answers 503 (a busy SQLite database), so that it is asked again."""
    response = httpx.post(f"{api}/deployments/{deployment_id}/create_flow_run", json={}, timeout=30)
    assert response.status_code in (201, 503), response.text
    return response.json()["id"] if response.status_code == 201 else None
