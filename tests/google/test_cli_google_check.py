"""`scr google-check` against the emulator: every line ok, a missing folder named, key problems explained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scr.bootstrap import check_access
from scr.config import load_board_config
from scr.entrypoints.cli import main
from tests.google_emulator import GoogleEmulator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "example-board.yaml"
KEY_TEXT = '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg'


def _config(tmp_path: Path, **google: object) -> Path:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["local"].update(data_dir=str(tmp_path / "data"), out_dir=str(tmp_path / "out"))
    raw.update(backend="google", google=google)
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def _shared(emu: GoogleEmulator) -> tuple[str, str, str]:
    folder = emu.build("drive").files().create(
        body={"name": "SCR reviews", "mimeType": "application/vnd.google-apps.folder"}).execute()["id"]
    template = emu.build("docs").documents().create(body={"title": "ToR template"}).execute()["documentId"]
    roster = emu.build("sheets").spreadsheets().create(body={"properties": {"title": "Roster"}}).execute()
    return folder, template, roster["spreadsheetId"]


def test_everything_reachable_is_ok_and_exits_0(emu: GoogleEmulator, tmp_path: Path, capsys) -> None:
    folder, template, roster = _shared(emu)
    path = _config(tmp_path, credentials="anonymous", api_root=emu.origin, drive_folder_id=folder,
                   templates={"terms-of-reference": template}, roster_sheet_id=roster)
    emu.reset_counts()
    lines, ok = check_access(load_board_config(path))
    assert ok is True
    assert lines[0] == f"Drive folder {folder}: ok; found 'SCR reviews'"
    assert lines[1].startswith(f"Template document {template}: ok")
    assert lines[2].startswith(f"Roster sheet {roster}: ok")
    assert [line.split(":")[0] for line in lines[3:]] == ["Google Forms API", "Google Docs API",
                                                          "Google Sheets API", "Gmail API"]
    assert lines[-1].startswith("Gmail API: not checked")
    assert emu.counts()["drive.files.get"] == 3 and emu.sent_messages() == []
    capsys.readouterr()
    assert main(["google-check", str(path)]) == 0
    assert f"Drive folder {folder}: ok" in capsys.readouterr().out


def test_a_folder_that_does_not_exist_is_named_and_exits_1(emu: GoogleEmulator, tmp_path: Path, capsys) -> None:
    path = _config(tmp_path, credentials="anonymous", api_root=emu.origin, drive_folder_id="1AbCnoSuchFolder",
                   mail="outbox")
    lines, ok = check_access(load_board_config(path))
    assert ok is False
    assert lines[0].startswith("Drive folder 1AbCnoSuchFolder: PROBLEM; not found or not shared")
    assert not any(line.startswith("Gmail API") for line in lines)  # mail goes to the outbox: Gmail unused
    assert all(": ok;" in line for line in lines[1:])
    capsys.readouterr()
    assert main(["google-check", str(path)]) == 1
    assert "Drive folder 1AbCnoSuchFolder: PROBLEM" in capsys.readouterr().out


def test_a_local_board_has_nothing_to_check(capsys) -> None:
    lines, ok = check_access(load_board_config(EXAMPLE))
    assert ok is True and lines == ["backend is local: nothing to check in Google Workspace."]
    assert main(["google-check", str(EXAMPLE)]) == 0
    assert "nothing to check" in capsys.readouterr().out


def _scr(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


@pytest.mark.parametrize(("key", "said"), [
    (None, "does not exist; give the path to the JSON key"),
    (KEY_TEXT, "is not valid JSON (line 1, column"),
])
def test_a_credentials_problem_exits_2_without_the_key(tmp_path: Path, key: str | None, said: str) -> None:
    key_path = tmp_path / "scr-key.json"
    if key is not None:
        key_path.write_text(key, encoding="utf-8")
    path = _config(tmp_path, credentials=str(key_path), drive_folder_id="1AbCfolder")
    result = _scr("google-check", str(path))
    assert result.returncode == 2
    assert f"credentials file {key_path} {said}" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "PRIVATE KEY" not in result.stderr and "MIIEvQ" not in result.stderr
