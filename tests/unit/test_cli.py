"""The `scr` command line as a business manager meets it: clear help, clear configuration errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "example-board.yaml"


def scr(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)


def write_config(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load(EXAMPLE.read_text())
    change(raw)
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_help_names_every_command():
    result = scr("--help")
    assert result.returncode == 0
    for command in ("demo", "check", "start", "status", "serve"):
        assert command in result.stdout


def test_check_accepts_the_example_board():
    result = scr("check", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "SCR-2026-014" in result.stdout and "13 members from 9 agencies" in result.stdout


def test_a_bad_field_names_the_file_and_the_field_and_exits_2(tmp_path):
    path = write_config(tmp_path, lambda raw: raw["members"][3].update(email="not-an-address"))
    result = scr("check", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr and "members.3.email" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_field_is_called_a_spelling_problem(tmp_path):
    path = write_config(tmp_path, lambda raw: raw["case"].update(pseudonym="Child T"))
    result = scr("check", str(path))
    assert result.returncode == 2 and "case.pseudonym" in result.stderr and "spelling" in result.stderr


def test_a_reminder_outside_the_window_is_explained(tmp_path):
    path = write_config(tmp_path, lambda raw: raw["deadlines"].update(reminder_working_days=[5, 12]))
    result = scr("check", str(path))
    assert result.returncode == 2 and "reminder_working_days" in result.stderr and "12" in result.stderr


def test_a_name_instead_of_a_pseudonym_is_refused(tmp_path):
    path = write_config(tmp_path, lambda raw: raw["case"].update(child_pseudonym="Tommy James Albert Smith"))
    result = scr("check", str(path))
    assert result.returncode == 2 and "child_pseudonym" in result.stderr and "pseudonym" in result.stderr


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "board.yaml"
    path.write_text("board:\n  name: [unclosed\n")
    result = scr("check", str(path))
    assert result.returncode == 2 and "line" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_file_is_named(tmp_path):
    result = scr("check", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "nope.yaml" in result.stderr and "no such file" in result.stderr


def test_a_person_listed_twice_is_refused(tmp_path):
    def duplicate(raw):
        raw["lead_reviewers"][0]["email"] = raw["members"][0]["email"]
    result = scr("check", str(write_config(tmp_path, duplicate)))
    assert result.returncode == 2 and "appears twice" in result.stderr


def test_a_key_pasted_into_the_configuration_is_refused_without_being_echoed(tmp_path):
    secret = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"

    def paste(raw):
        raw["backend"] = "google"
        raw["google"] = {"credentials": '{"type": "service_account", "private_key": "' + secret + '"}',
                         "drive_folder_id": "1AbCdEfGh"}
    result = scr("check", str(write_config(tmp_path, paste)))
    assert result.returncode == 2 and "looks like the key itself" in result.stderr
    assert "MIIEvQ" not in result.stderr + result.stdout


def test_a_store_url_with_a_password_never_becomes_a_flow_parameter():
    import pytest
    from pydantic import ValidationError

    from scr.settings import Runtime

    with pytest.raises(ValidationError, match="store_url_env") as refused:
        Runtime(store_url="postgresql+psycopg://scr:hunter2@db.example.org/scr", out_dir="/tmp", base_url="http://x")
    assert "hunter2" not in str(refused.value)
