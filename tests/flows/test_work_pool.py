"""The scale-out the README promises: `prefect deploy` from prefect.yaml, a process worker on a work pool, a
Prefect server on PostgreSQL and the store on PostgreSQL, taking one review from invitations to its ToR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import yaml

from scr.demo.answers import REVIEWER_COMMENTS, member_answers
from scr.domain.forms import load_member_form
from scr.entrypoints.serve import STEERING_AT_ONCE
from tests.flows.browser import submit
from tests.flows.processes import free_port, up, wait_for
from tests.flows.test_serve import REVIEW, fresh_postgres_database, links

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POOL = "scr-reviews"  # as prefect.yaml names it


def test_a_process_worker_takes_a_review_to_its_terms_of_reference(tmp_path, monkeypatch):
    api_port = free_port()
    api = f"http://127.0.0.1:{api_port}/api"
    store_url = fresh_postgres_database("scr_store")
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT"), "web_port": 8765,
                    "store_url_env": "SCR_STORE_URL"}
    config = tmp_path / "board.yaml"
    config.write_text(yaml.safe_dump(raw))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_API_DATABASE_CONNECTION_URL=fresh_postgres_database("prefect").replace(
                   "postgresql+psycopg", "postgresql+asyncpg"),
               SCR_STORE_URL=store_url, SCR_BOARD_CONFIG=str(config), PREFECT_WORKER_QUERY_SECONDS="1")

    def run(*command: str) -> subprocess.CompletedProcess:
        done = subprocess.run(command, cwd=ROOT, env={**env, "PREFECT_API_URL": api}, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        return done

    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port",
                               str(api_port)], cwd=tmp_path, env=env, stdout=open(tmp_path / "server.log", "wb"),
                              stderr=subprocess.STDOUT)
    worker = None
    try:
        wait_for(lambda: up(f"{api}/health"), "the Prefect server on PostgreSQL", seconds=300)
        run(str(BIN / "prefect"), "work-pool", "create", POOL, "--type", "process")
        run(str(BIN / "prefect"), "deploy", "--all", "--no-prompt")
        worker = subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", POOL], cwd=tmp_path,
                                  env={**env, "PREFECT_API_URL": api}, stdout=open(tmp_path / "worker.log", "wb"),
                                  stderr=subprocess.STDOUT)
        run(sys.executable, "-m", "scr.entrypoints.cli", "start", str(config), "--detach")
        steer_the_review_while_it_advances(api, run, raw)

        monkeypatch.setenv("SCR_STORE_URL", store_url)
        [decision] = store_of(raw).events(REVIEW, "decision")  # the steering run's, recorded with who decided
        assert decision.person_email == raw["board"]["business_manager"]["email"]
        assert decision.detail.startswith("extended the members' deadline by 2 working day(s)")
        web = web_client(raw)
        form = load_member_form(ROOT / "forms" / "member-form.yaml")
        agencies = [o.value for o in form.options_for(form.item("A5"), list(dict.fromkeys(
            m["agency"] for m in raw["members"]))) if o.value != "other"]
        invited = links(tmp_path / "OUT", "f")
        for index, member in enumerate(raw["members"]):
            assert submit(web, invited[member["email"].lower()], member_answers(index, agencies)).status_code == 200

        run(str(BIN / "prefect"), "deployment", "run", "advance-reviews/advance-reviews")
        wait_for(lambda: len(links(tmp_path / "OUT", "r")) == 2, "the worker's run to send the summary", seconds=300)
        for number, link in enumerate(links(tmp_path / "OUT", "r").values()):
            submit(web, link, REVIEWER_COMMENTS[number])
            submit(web, f"{link}/complete", page=link)
        run(str(BIN / "prefect"), "deployment", "run", "advance-reviews/advance-reviews")
        wait_for(lambda: (tmp_path / "OUT" / REVIEW / "terms-of-reference-draft.docx").exists(), "the draft ToR",
                 seconds=300)
        record_the_decisions(raw)  # the business manager, after the partners' meeting (as `scr decide` does)
        run(str(BIN / "prefect"), "deployment", "run", "advance-reviews/advance-reviews")
        wait_for(lambda: (tmp_path / "OUT" / REVIEW / "terms-of-reference.docx").exists(), "the agreed ToR",
                 seconds=300)

        def completed_by_the_worker() -> list[dict]:
            runs = httpx.post(f"{api}/flow_runs/filter", timeout=10, json={
                "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}).json()
            return [r for r in runs if r["work_pool_name"] == POOL and r["deployment_id"]]

        wait_for(lambda: len(completed_by_the_worker()) >= 3, "every run to complete on the work pool")

        def review_runs() -> list[dict]:
            return httpx.post(f"{api}/flow_runs/filter", timeout=10, json={
                "flow_runs": {"tags": {"all_": [f"review:{REVIEW}"]}}}).json()

        # The detached start's run, then one per worker run that found a step due. How many there are depends on
        # timing: on a slow machine the run that circulated the summary may itself find the reviewers done and
        # draft, leaving the next worker run nothing to do. What holds: every one of them completes, and the
        # last names the review complete.
        def the_reviews_own_runs() -> list[dict]:
            runs = review_runs()
            over = all(r["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") for r in runs)
            return runs if over and any(r["name"] == f"{REVIEW} · complete · 13 of 13 answered" for r in runs) else []

        def what_the_review_has() -> str:
            return "; ".join(f"{r['name']!r} {r['state_type']} ({r['state_name']})" for r in review_runs())

        per_review = wait_for(the_reviews_own_runs, "the review's own runs to end", seen=what_the_review_has)
        assert len(per_review) >= 2, what_the_review_has()  # the detached start's and the worker's
        assert all(r["state_type"] == "COMPLETED" for r in per_review), what_the_review_has()
        assert all(r["name"].startswith(f"{REVIEW} · ") for r in per_review), what_the_review_has()
        outbox = tmp_path / "OUT" / REVIEW / "outbox"
        assert any("documents are ready" in p.read_text() for p in outbox.glob("*.eml")), "the review finished"
    except AssertionError as failure:  # what the worker and the server said (counts and stages, no answer text)
        logs = "\n".join(f"--- the end of {name} ---\n{tail(tmp_path / name)}" for name in ("worker.log", "server.log"))
        raise AssertionError(f"{failure}\n{logs}") from failure
    finally:
        for process in (worker, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)


def steer_the_review_while_it_advances(api: str, run, raw: dict) -> None:
    """The business manager runs steer-review on the pool; while it waits paused on its form, the scheduled
    advance-reviews still runs (separate limits); resumed, it extends the members' deadline and records who."""
    deployments = {d["name"]: d for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()}
    limit = deployments["steer-review"]["global_concurrency_limit"]
    assert limit and limit["limit"] == STEERING_AT_ONCE, "as many may wait as under scr serve"
    for name in ("advance-reviews", "steer-review"):  # simple parameters: the UI's Quick run dialog opens
        schema = deployments[name]["parameter_openapi_schema"]
        assert schema["required"] == ["board_config"] and schema["properties"]["board_config"]["type"] == "string"
    run(str(BIN / "prefect"), "deployment", "run", "steer-review/steer-review")

    def paused() -> str | None:
        runs = httpx.post(f"{api}/flow_runs/filter", timeout=10, json={
            "flow_runs": {"state": {"type": {"any_": ["PAUSED"]}}}}).json()
        return runs[0]["id"] if runs else None

    steering = wait_for(paused, "the steering run to pause for the business manager's form", seconds=300)
    before = len(finished_advances(api))
    run(str(BIN / "prefect"), "deployment", "run", "advance-reviews/advance-reviews")
    wait_for(lambda: len(finished_advances(api)) > before, "an advance while the steering run waits", seconds=300)
    assert httpx.get(f"{api}/flow_runs/{steering}", timeout=10).json()["state"]["type"] == "PAUSED"
    manager = raw["board"]["business_manager"]["email"]
    resumed = httpx.post(f"{api}/flow_runs/{steering}/resume", timeout=30, json={"run_input": {
        "review_id": REVIEW, "decision": "extend the members' deadline", "working_days": 2, "decided_by": manager}})
    assert resumed.json()["status"] == "ACCEPT", resumed.text

    def steered() -> str | None:
        state = httpx.get(f"{api}/flow_runs/{steering}", timeout=10).json()["state"]["type"]
        return state if state in ("COMPLETED", "FAILED", "CRASHED") else None

    assert wait_for(steered, "the steering run to apply the decision", seconds=300) == "COMPLETED"


def finished_advances(api: str) -> list[dict]:
    return httpx.post(f"{api}/flow_runs/filter", timeout=10, json={
        "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
        "flows": {"name": {"any_": ["advance-reviews"]}}}).json()


def store_of(raw: dict):
    from scr.bootstrap import backend_for
    from scr.config import parse_config
    from scr.settings import Runtime

    return backend_for(Runtime.from_config(parse_config(raw))).store


def record_the_decisions(raw: dict) -> None:
    from scr.bootstrap import backend_for
    from scr.config import parse_config
    from scr.domain.model import Stage
    from scr.services import deciding
    from scr.settings import Runtime
    from tests import samples

    backend = backend_for(Runtime.from_config(parse_config(raw)))
    wait_for(lambda: backend.store.stage(REVIEW) is Stage.DRAFTED, "the draft to be with the partners")
    review = backend.store.get_review(REVIEW)
    inputs = backend.store.reviewer_inputs(REVIEW)
    deciding.record_decisions(backend, REVIEW, samples.board_record(review, backend.member_form,
                                                                    backend.reviewer_form, inputs))


def web_client(raw: dict):
    """The local web app on the same store, as `scr serve --web-only` would run it."""
    from fastapi.testclient import TestClient

    from scr.config import parse_config
    from scr.entrypoints.webserver import build_app
    from scr.settings import Runtime

    return TestClient(build_app(Runtime.from_config(parse_config(raw))), base_url="http://127.0.0.1:8765")


def tail(path: Path, lines: int = 40) -> str:
    """The log's states and errors, then its last lines."""
    if not path.exists():
        return "(none)"
    every = path.read_text(errors="replace").splitlines()
    telling = [line for line in every if any(word in line for word in ("ERROR", "Finished in state", "Traceback"))]
    return "\n".join(telling[-lines:] + ["..."] + every[-lines:])
