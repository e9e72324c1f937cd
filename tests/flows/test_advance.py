"""A review taken on by short `scr advance` runs (no process waits), some killed with SIGKILL part-way:
it still ends with every answer kept, each message sent once, and the documents written."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from scr.bootstrap import backend_for
from scr.config import parse_config
from scr.demo.answers import REVIEWER_COMMENTS, member_answers
from scr.demo.people import record_board_decisions
from scr.domain.model import Stage
from scr.settings import Runtime
from tests.flows.browser import submit

ROOT = Path(__file__).resolve().parents[2]
KILL_AFTER = (0.35, 0.45, 0.55, 0.65, 0.75)  # seconds into an `scr advance` run (a run takes 0.6-0.8 s)


def scr(*args: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *args], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def kill_advances(config: Path, env: dict) -> None:
    for delay in KILL_AFTER:
        process = subprocess.Popen([sys.executable, "-m", "scr.entrypoints.cli", "advance", str(config)], cwd=ROOT,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.kill()
        process.wait()


def outbox(out: Path) -> list:
    parse = BytesParser(policy=policy.default).parsebytes
    return [parse(p.read_bytes()) for p in sorted((out / "SCR-2026-014" / "outbox").glob("*.eml"))]


def links(messages, kind: str) -> dict[str, str]:
    found = {}
    for message in messages:
        match = re.search(rf"http://\S+/{kind}/\S+", message.get_content())
        if match:
            found[message["To"].addresses[0].addr_spec.lower()] = match.group(0)
    return found


def test_short_runs_killed_part_way_still_finish_with_everything_once(tmp_path):
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT"),
                    "web_host": "127.0.0.1", "web_port": 8799}
    config_path = tmp_path / "board.yaml"
    config_path.write_text(yaml.safe_dump(raw))
    config = parse_config(raw)
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    runtime = Runtime.from_config(config)
    web = TestClient(build_web(runtime), base_url="http://127.0.0.1:8799")

    started = scr("start", str(config_path), "--detach", env=env)
    assert "collecting member input" in started.stdout
    member_links = links(outbox(tmp_path / "OUT"), "f")
    assert len(member_links) == len(config.members)

    form = backend_for(runtime).member_form
    agencies = [o.value for o in form.options_for(form.item("A5"), config.agencies) if o.value != "other"]
    for index, member in enumerate(config.members):
        page = submit(web, member_links[member.email.lower()], member_answers(index, agencies))
        assert page.status_code == 200

    kill_advances(config_path, env)
    for _ in range(5):
        if "with lead reviewers" in scr("advance", str(config_path), env=env).stdout:
            break
    reviewer_links = links(outbox(tmp_path / "OUT"), "r")
    assert sorted(reviewer_links) == sorted(r.email.lower() for r in config.lead_reviewers)
    for number, link in enumerate(reviewer_links.values()):
        assert submit(web, link, REVIEWER_COMMENTS[number]).status_code == 200
        assert submit(web, f"{link}/complete", page=link).status_code == 200

    kill_advances(config_path, env)
    for _ in range(5):
        if "terms of reference drafted" in scr("advance", str(config_path), env=env).stdout:
            break
    (manager, board_link), = links(outbox(tmp_path / "OUT"), "b").items()
    assert manager == config.board.business_manager.email.lower()
    assert record_board_decisions(web, board_link, dt.date(2026, 12, 18)).status_code == 200

    kill_advances(config_path, env)
    for _ in range(5):
        if "No open reviews" in scr("advance", str(config_path), env=env).stdout:
            break

    store = backend_for(runtime).store
    assert store.stage("SCR-2026-014") is Stage.COMPLETE
    assert len(store.latest_responses("SCR-2026-014")) == len(config.members)
    subjects = [(m["To"].addresses[0].addr_spec, str(m["Message-ID"])) for m in outbox(tmp_path / "OUT")]
    assert len(subjects) == len(set(subjects)), "no message went out twice"
    kinds = [m.get_content() for m in outbox(tmp_path / "OUT")]
    assert sum("/f/" in body for body in kinds) == len(config.members)
    assert sum("/r/" in body for body in kinds) == len(config.lead_reviewers)
    assert sum("/b/" in body for body in kinds) == 1
    assert sum("terms of reference are agreed" in str(m["Subject"]) for m in outbox(tmp_path / "OUT")) == \
        len(config.members) + len(config.lead_reviewers)
    assert store.decision_versions("SCR-2026-014") == 1
    for name in ("factor-summary", "terms-of-reference-draft", "terms-of-reference", "qm6-evidence"):
        for suffix in (".md", ".docx"):
            assert (tmp_path / "OUT" / "SCR-2026-014" / f"{name}{suffix}").stat().st_size > 500
    tor = (tmp_path / "OUT" / "SCR-2026-014" / "terms-of-reference.md").read_text()
    assert "Jane Whitfield" in tor and "Samuel Osei" in tor


def build_web(runtime: Runtime):
    from scr.entrypoints.webserver import build_app

    return build_app(runtime)
