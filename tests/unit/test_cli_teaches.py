"""A command line that teaches: a version, an example in every command's help, one table of exit codes,
`scr init` for a new board, `scr status --all`, and hints that work exactly as they are printed."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from scr.demo.run import free_port
from scr.entrypoints.cli import _parser

ROOT = Path(__file__).resolve().parents[2]
HINT = re.compile(r"`(scr [^`]+)`")


def scr(*args: str, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *args], capture_output=True, text=True,
                          timeout=180, cwd=cwd, **kwargs)


def run_hint(hint: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    words = shlex.split(hint)
    assert words[0] == "scr" and "CONFIG" not in words, f"a hint must be a command as written: {hint}"
    return scr(*words[1:], cwd=cwd, env=env)


@pytest.fixture
def board(tmp_path) -> tuple[Path, dict]:
    """A board made with `scr init`, its data in tmp_path; the environment its commands run in."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    made = scr("init", str(tmp_path / "board"), cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "board" / "board.yaml"
    raw = yaml.safe_load(path.read_text())
    raw["local"].update(data_dir=str(tmp_path / "data"), out_dir=str(tmp_path / "OUT"), web_port=free_port())
    path.write_text(yaml.safe_dump(raw))
    return path, env


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_version_is_the_installed_package_version():
    result = scr("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"scr {version('scr-commissioning')}"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_shows_an_example_that_parses(name):
    help_text = subcommands()[name].format_help()
    examples = help_text.split("Example:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert examples and shlex.split(examples[0])[:2] == ["scr", name], f"`scr {name} --help` shows no example"
    for line in examples:
        words = shlex.split(line.split("#", 1)[0])
        assert words[0] == "scr", line
        _parser().parse_args(words[1:])  # argparse exits (status 2) on an example that does not parse


def test_help_gives_the_exit_codes():
    text = scr("--help").stdout
    assert "0 done; 1 a problem found; 2 bad configuration or usage" in text


def test_bad_usage_exits_2_and_names_the_option():
    result = scr("status", "board.yaml", "--every")
    assert result.returncode == 2 and "unrecognized arguments: --every" in result.stderr


def test_init_writes_a_board_to_start_from_and_never_overwrites(tmp_path):
    first = scr("init", str(tmp_path / "northshire"))
    assert first.returncode == 0, first.stderr
    written = tmp_path / "northshire" / "board.yaml"
    assert "case:" in written.read_text() and "child_pseudonym" in written.read_text()
    (check,) = HINT.findall(first.stdout)
    assert run_hint(check, ROOT, dict(os.environ)).returncode == 0

    written.write_text("board: {name: ours}\n")
    again = scr("init", str(tmp_path / "northshire"))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert written.read_text() == "board: {name: ours}\n"


def test_status_all_lists_every_review_with_its_next_step(board, tmp_path):
    path, env = board
    empty = scr("status", str(path), "--all", env=env)
    assert empty.returncode == 0 and f"No reviews in the store yet. Start one with `scr start {path}`" in empty.stdout
    started = scr("start", str(path), "--detach", env=env)
    assert started.returncode == 0, started.stderr

    listed = scr("status", str(path), "--all", env=env)

    assert listed.returncode == 0, listed.stderr
    assert "1 review(s) in the store:" in listed.stdout
    assert "SCR-2026-014 · collecting member input · 0 of 13 answered (Child T)" in listed.stdout
    assert "\n    deadline " in listed.stdout
    assert "next reminder" in listed.stdout and "next: the factor summary is written" in listed.stdout


def test_every_hint_printed_runs_as_written(board, tmp_path):
    path, env = board
    printed = []

    unknown = scr("status", str(path), "--review", "SCR-1999-001", env=env)
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    printed += HINT.findall(unknown.stderr)
    detached = scr("start", str(path), "--detach", env=env)
    printed += HINT.findall(detached.stdout)
    twice = scr("start", str(path), "--detach", env=env)
    assert twice.returncode == 1 and "already started" in twice.stderr
    printed += HINT.findall(twice.stderr)

    assert {shlex.split(h)[1] for h in printed} >= {"status", "start", "advance"}
    for hint in printed:
        if shlex.split(hint)[1] == "start":
            continue  # a foreground start runs for weeks: tried on a second board below
        result = run_hint(hint, tmp_path, env)
        assert result.returncode == 0, (hint, result.stderr)

    fresh = dict(yaml.safe_load(path.read_text()), local={**yaml.safe_load(path.read_text())["local"],
                                                           "data_dir": str(tmp_path / "data2")})
    (tmp_path / "second.yaml").write_text(yaml.safe_dump(fresh))
    (start_hint,) = {h for h in printed if shlex.split(h)[1] == "start"}
    words = shlex.split(start_hint.replace(str(path), str(tmp_path / "second.yaml")))
    process = subprocess.Popen([sys.executable, "-m", "scr.entrypoints.cli", *words[1:]], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:
            if line.startswith("Started SCR-2026-014"):
                break
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
