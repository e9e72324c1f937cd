"""Data minimisation: canary strings typed into every answer and comment of a whole review appear in the
documents and the store, and nowhere else: not in Prefect's database, the run's logs or artifacts, or any
log record written while the review ran (the web app's included). Nor are the personal links' tokens."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

import httpx

from scr.demo.people import LINK, record_board_decisions
from scr.demo.run import free_port
from scr.domain.model import Stage
from tests.flows.browser import submit
from tests.flows.processes import review_runs

CANARY = "CANARY-7f3a"


def canary_answers(form, agencies: list[str], who: int) -> dict:
    """Every text field of the member form filled with a canary, every rating and choice given."""
    fields = {}
    for item in form.items:
        fields[f"{item.id}.comment"] = f"{CANARY}-{who}-{item.id} <b>typed</b>"
        if item.kind == "factor":
            fields[f"{item.id}.rating"] = "significant"
        elif item.kind == "choice":
            fields[f"{item.id}.choice"] = "other"
            fields[f"{item.id}.other"] = f"{CANARY}-{who}-{item.id}-other"
        elif item.kind == "multi":
            fields[f"{item.id}.choice"] = [agencies[0], "other"]
            fields[f"{item.id}.other"] = f"{CANARY}-{who}-{item.id}-other"
    return fields


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_canaries_reach_the_documents_and_the_store_only(prefect_harness, local_review, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler
    from prefect.settings import get_current_settings

    from flows.advance_review import follow
    from scr.entrypoints.webserver import BackgroundWebServer, build_app

    collected = Collect()
    watched = [logging.getLogger(name) for name in ("", "scr", "uvicorn", "prefect")]
    for logger in watched:
        logger.addHandler(collected)
    levels = [logger.level for logger in watched]
    logging.getLogger("scr").setLevel(logging.DEBUG)
    runtime, backend, review = local_review
    port = free_port()
    runtime = runtime.model_copy(update={"base_url": f"http://127.0.0.1:{port}", "poll_seconds": 0.05})
    from scr.bootstrap import backend_for

    backend = backend_for(runtime)
    form = backend.member_form
    agencies = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != "other"]
    outbox = tmp_path / review.review_id / "outbox"
    state, tokens = {}, set()
    started = time.time()
    with BackgroundWebServer(build_app(runtime), "127.0.0.1", port):
        run = threading.Thread(target=lambda: state.update(
            run=follow(review.review_id, runtime, runtime.poll_seconds)))
        run.start()
        answered = set()
        while run.is_alive():
            for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
                found = LINK.search(path.read_text())
                if not found or path.name in answered:
                    continue
                answered.add(path.name)
                link = found.group(0)
                tokens.add(link.rstrip("/").rsplit("/", 1)[1])
                if found.group("kind") == "b":
                    assert record_board_decisions(httpx, link, dt.date(2026, 12, 18)).status_code == 200
                elif found.group("kind") == "f":
                    assert submit(httpx, link, canary_answers(form, agencies, len(answered))).status_code == 200
                else:
                    notes = {f"comment.{i.id}": f"{CANARY}-reviewer-{i.id}" for i in form.items}
                    notes |= {f"proposal.{p.id}": f"{CANARY}-proposal-{p.id}" for p in backend.reviewer_form.proposals}
                    assert submit(httpx, link, notes, follow_redirects=True).status_code == 200
                    assert submit(httpx, f"{link}/complete", page=link, follow_redirects=True).status_code == 200
            time.sleep(0.05)
    for logger, level in zip(watched, levels, strict=True):
        logger.removeHandler(collected)
        logger.setLevel(level)
    assert state["run"] is Stage.COMPLETE

    documents = "".join((tmp_path / review.review_id / f"{n}.md").read_text()
                        for n in ("factor-summary", "terms-of-reference"))
    assert f"{CANARY}-1-B1" in documents and f"{CANARY}-reviewer-A3" in documents
    assert f"{CANARY}-1-B1 &lt;b&gt;typed&lt;/b&gt;" in documents, "typed HTML stays text"
    assert CANARY.encode() in Path(runtime.store_url.removeprefix("sqlite:///")).read_bytes() + _wal(runtime)
    assert CANARY not in (tmp_path / review.review_id / "qm6-evidence.md").read_text()

    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        run_ids = [r.id for r in review_runs(client, review.review_id, started)]
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=run_ids)))
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=run_ids)))
    assert logs and artifacts
    assert CANARY not in " ".join(log.message for log in logs)
    assert CANARY not in " ".join(f"{a.data} {a.description}" for a in artifacts)
    written = "\n".join(collected.lines)
    assert "response was saved" in written, "the web app's own log lines are captured here"
    assert CANARY not in written
    assert len(tokens) == len(review.members) + len(review.lead_reviewers) + 1  # and the business manager's
    everything_logged = written + " ".join(log.message for log in logs)
    assert not [t for t in tokens if t in everything_logged], "no personal link's token is ever logged"
    database = get_current_settings().server.database.connection_url.get_secret_value().split(":///", 1)[1]
    for suffix in ("", "-wal"):
        path = Path(database + suffix)
        if path.exists():
            assert CANARY.encode() not in path.read_bytes(), f"Prefect's database ({path.name}) holds no answer"


def _wal(runtime) -> bytes:
    wal = Path(runtime.store_url.removeprefix("sqlite:///") + "-wal")
    return wal.read_bytes() if wal.exists() else b""
