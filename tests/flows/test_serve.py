"""`scr serve` on one machine (Prefect server, scheduled advance-reviews runs, web app), killed with SIGKILL
mid-review and started again: the review finishes, every answer is kept, nothing is sent twice."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import pytest
import yaml

from scr.demo.answers import member_answers

ROOT = Path(__file__).resolve().parents[2]
REVIEW = "SCR-2026-014"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


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

    first = serve()
    try:
        started = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", "start", str(config), "--detach"],
                                 cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert started.returncode == 0, started.stderr
        members = raw["members"]
        invited = links(out, "f")
        agencies = [a.lower().replace(" ", "_") for a in dict.fromkeys(m["agency"] for m in members)]
        for index, member in enumerate(members):
            answer = member_answers(index, [a for a in agencies if a.isidentifier()][:4])
            assert httpx.post(invited[member["email"].lower()], data=answer, timeout=30).status_code == 200
        wait_for(lambda: len(links(out, "r")) == 2, "the summary to go to both reviewers")
    finally:
        kill(first)
    assert not up(f"http://127.0.0.1:{web}/healthz"), "everything was killed"

    second = serve()
    try:
        for link in links(out, "r").values():
            assert httpx.post(f"{link}/complete", timeout=30, follow_redirects=True).status_code == 200
        wait_for(lambda: (out / REVIEW / "terms-of-reference.docx").exists()
                 and any("documents are ready" in str(m["Subject"]) for m in messages(out)), "the ToR")
        runs = httpx.post(f"http://127.0.0.1:{prefect}/api/flow_runs/filter",
                          json={"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}, timeout=10).json()
        assert runs, "the review was advanced by scheduled Prefect runs"
    finally:
        kill(second)

    sent = [(m["To"].addresses[0].addr_spec, m.get_content().split("\n", 1)[0], str(m["Subject"]))
            for m in messages(out)]
    assert len(sent) == len(set(sent)), "nothing was sent twice"
    assert len(links(out, "f")) == len(raw["members"]) == sum("/f/" in m.get_content() for m in messages(out))
    assert sum("/r/" in m.get_content() for m in messages(out)) == 2
