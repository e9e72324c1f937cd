"""A newcomer's first run: Prefect starts on a cold database, in the Prefect home scr chooses, and when it
cannot start the command says so in one plain line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def cold_env(tmp_path: Path) -> dict[str, str]:
    """No PREFECT_HOME, no PREFECT_API_URL, an empty HOME: what a new user's shell has."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    (tmp_path / "home").mkdir()
    return {**env, "HOME": str(tmp_path / "home")}


def scr(*args: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)})


def test_the_first_demo_passes_on_a_cold_prefect_home_and_the_second_reuses_it(tmp_path):
    env = cold_env(tmp_path)

    first = scr("demo", "--out", "out", env=env, cwd=tmp_path)

    assert first.returncode == 0, first.stderr[-3000:]
    assert "the first start creates the database" in first.stdout
    assert "Prefect is ready after" in first.stdout
    assert (tmp_path / "out" / "prefect" / "prefect.db").is_file(), "Prefect's database beside the demo's data"
    assert not (tmp_path / "home" / ".prefect" / "prefect.db").exists(), "nothing in ~/.prefect"
    assert (tmp_path / "out" / "SCR-2026-014" / "terms-of-reference.docx").is_file()
    assert "Traceback" not in first.stderr

    second = scr("demo", "--out", "out", env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "first start" not in second.stdout and "Prefect is ready after" in second.stdout


def test_prefect_home_set_by_the_user_is_kept(tmp_path):
    from scr.entrypoints.prefect_api import use_prefect_home

    saved = os.environ.get("PREFECT_HOME")
    try:
        os.environ["PREFECT_HOME"] = str(tmp_path / "mine")
        assert use_prefect_home(tmp_path / "data") == tmp_path / "mine"
        del os.environ["PREFECT_HOME"]
        assert use_prefect_home(tmp_path / "data") == tmp_path / "data" / "prefect"
        assert os.environ["PREFECT_HOME"] == str(tmp_path / "data" / "prefect")
    finally:
        os.environ.pop("PREFECT_HOME", None)
        if saved is not None:
            os.environ["PREFECT_HOME"] = saved


def test_a_prefect_that_cannot_start_is_one_plain_line_saying_what_to_do(tmp_path):
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"].update(data_dir=str(tmp_path / "data"), out_dir=str(tmp_path / "OUT"))
    config = tmp_path / "board.yaml"
    config.write_text(yaml.safe_dump(raw))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = scr("serve", str(config), "--prefect-port", str(port), env=cold_env(tmp_path), cwd=tmp_path)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert f"port {port} is already in use" in result.stderr and "--prefect-port" in result.stderr


def test_a_configured_prefect_server_that_does_not_answer_is_named(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/api"
    env = {**cold_env(tmp_path), "PREFECT_API_URL": dead}

    result = scr("demo", "--out", "out", env=env, cwd=tmp_path)

    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"PREFECT_API_URL ({dead}) does not answer" in result.stderr and "unset PREFECT_API_URL" in result.stderr
