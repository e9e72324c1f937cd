"""`scr serve` on one machine (Prefect server, scheduled advance-reviews runs, web app), killed with SIGKILL
mid-review and started again: the review finishes, every answer is kept, nothing is sent twice."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import pytest
import yaml

from scr.demo.answers import REVIEWER_COMMENTS, member_answers
from scr.demo.people import record_board_decisions
from scr.domain.forms import load_member_form
from tests.flows.browser import submit
from tests.flows.processes import free_port, up, wait_for

ROOT = Path(__file__).resolve().parents[2]
REVIEW = "SCR-2026-014"


def messages(out: Path) -> list:
    parse = BytesParser(policy=policy.default).parsebytes
    return [parse(p.read_bytes()) for p in sorted((out / REVIEW / "outbox").glob("*.eml"))]


def links(out: Path, kind: str) -> dict[str, str]:
    found = {}
    for message in messages(out):
        match = re.search(rf"http://\S+/{kind}/\S+", message.get_content())
        if match:
            found[message["To"].addresses[0].addr_spec.lower()] = match.group(0)
    return found


def fresh_postgres_database(prefix: str) -> str:
    """A new, empty database on the test cluster `make test` starts; its SQLAlchemy URL (psycopg)."""
    import uuid

    import sqlalchemy

    base = os.environ.get("SCR_TEST_POSTGRES_URL")
    assert base, "no PostgreSQL: run `make test`, which starts a throwaway PostgreSQL for the tests"
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


MEETING = dt.date(2026, 12, 18)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_serve_survives_sigkill_of_everything_and_finishes_the_review(tmp_path, database):
    web, prefect = free_port(), free_port()
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT"),
                    "web_host": "127.0.0.1", "web_port": web}
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_RUNNER_POLL_FREQUENCY="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    if database == "postgresql":  # the store and the Prefect server both on PostgreSQL
        raw["local"]["store_url_env"] = "SCR_STORE_URL"
        env["SCR_STORE_URL"] = fresh_postgres_database("scr_store")
        prefect_db = fresh_postgres_database("prefect").replace("postgresql+psycopg", "postgresql+asyncpg")
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = prefect_db
    config = tmp_path / "board.yaml"
    config.write_text(yaml.safe_dump(raw))
    out = tmp_path / "OUT"

    def serve() -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-m", "scr.entrypoints.cli", "serve", str(config),
                                    "--advance-minutes", "0.05", "--prefect-port", str(prefect)],
                                   cwd=ROOT, env=env, start_new_session=True,
                                   stdout=open(tmp_path / "serve.log", "ab"), stderr=subprocess.STDOUT)
        wait_for(lambda: up(f"http://127.0.0.1:{web}/healthz") and up(f"http://127.0.0.1:{prefect}/api/health"),
                 "scr serve to be up")
        return process

    def kill(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    form = load_member_form(ROOT / "forms" / "member-form.yaml")
    agencies = [o.value for o in form.options_for(form.item("A5"), list(dict.fromkeys(
        m["agency"] for m in raw["members"]))) if o.value != "other"]

    def answer(indices) -> None:
        invited = links(out, "f")
        for index in indices:
            member = raw["members"][index]
            page = submit(httpx, invited[member["email"].lower()], member_answers(index, agencies), timeout=30)
            assert page.status_code == 200

    first = serve()  # the members' wait: half of them answer, then everything is killed
    try:
        started = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", "start", str(config), "--detach"],
                                 cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert started.returncode == 0, started.stderr
        answer(range(0, 6))
    finally:
        kill(first)
    assert not up(f"http://127.0.0.1:{web}/healthz"), "everything was killed"

    second = serve()  # the rest answer; the summary goes out; killed again in the reviewers' wait
    try:
        answer(range(6, len(raw["members"])))
        wait_for(lambda: len(links(out, "r")) == 2, "the summary to go to both reviewers")
    finally:
        kill(second)

    third = serve()
    try:
        for number, link in enumerate(links(out, "r").values()):
            assert submit(httpx, link, REVIEWER_COMMENTS[number], timeout=30, follow_redirects=True).is_success
            assert submit(httpx, f"{link}/complete", page=link, timeout=30, follow_redirects=True).status_code == 200
        wait_for(lambda: len(links(out, "b")) == 1, "the business manager's link to record the board's decisions")
        (board_link,) = links(out, "b").values()
        assert record_board_decisions(httpx.Client(timeout=30), board_link, MEETING).status_code == 200
        wait_for(lambda: (out / REVIEW / "terms-of-reference.docx").exists()
                 and any("documents are ready" in str(m["Subject"]) for m in messages(out)), "the ToR")
        runs = httpx.post(f"http://127.0.0.1:{prefect}/api/flow_runs/filter",
                          json={"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}, timeout=10).json()
        assert runs, "the review was advanced by scheduled Prefect runs"
    finally:
        kill(third)

    sent = [(m["To"].addresses[0].addr_spec, m.get_content().split("\n", 1)[0], str(m["Subject"]))
            for m in messages(out)]
    assert len(sent) == len(set(sent)), "nothing was sent twice"
    assert len(links(out, "f")) == len(raw["members"]) == sum("/f/" in m.get_content() for m in messages(out))
    assert sum("/r/" in m.get_content() for m in messages(out)) == 2
    tor = (out / REVIEW / "terms-of-reference.md").read_text()
    assert rationale(tor) == rationale(reference_tor(tmp_path / "reference", agencies)), "as with no restart"


def rationale(tor: str) -> str:
    return tor.split("## 5.", 1)[1].split("## 6.", 1)[0]


def reference_tor(folder: Path, agencies: list[str]) -> str:
    """The same review, the same answers and comments, taken on by plain `scr advance` runs: no restart."""
    from fastapi.testclient import TestClient

    from scr.config import parse_config
    from scr.entrypoints.webserver import build_app
    from scr.settings import Runtime

    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(folder / "data"), "out_dir": str(folder / "OUT"), "web_port": 8765}
    config = folder / "board.yaml"
    folder.mkdir()
    config.write_text(yaml.safe_dump(raw))
    web = TestClient(build_app(Runtime.from_config(parse_config(raw))), base_url="http://127.0.0.1:8765")
    cli = [sys.executable, "-m", "scr.entrypoints.cli"]
    subprocess.run([*cli, "start", str(config), "--detach"], cwd=ROOT, check=True, capture_output=True, timeout=120)
    invited = links(folder / "OUT", "f")
    for index, member in enumerate(raw["members"]):
        assert submit(web, invited[member["email"].lower()], member_answers(index, agencies)).status_code == 200
    subprocess.run([*cli, "advance", str(config)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    for number, link in enumerate(links(folder / "OUT", "r").values()):
        submit(web, link, REVIEWER_COMMENTS[number])
        submit(web, f"{link}/complete", page=link)
    subprocess.run([*cli, "advance", str(config)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    (board_link,) = links(folder / "OUT", "b").values()
    assert record_board_decisions(web, board_link, MEETING).status_code == 200
    subprocess.run([*cli, "advance", str(config)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    return (folder / "OUT" / REVIEW / "terms-of-reference.md").read_text()
