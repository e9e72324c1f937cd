"""Run the whole workflow on the embedded backend with the example board, days passing in seconds."""

from __future__ import annotations

import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from scr import assets
from scr.config import Config, parse_config, review_from_config
from scr.demo.people import DemoPeople, Plan
from scr.domain.forms import OTHER
from scr.services.advancing import documents_by_label
from scr.settings import Runtime

DAY = 86400.0


@dataclass(frozen=True)
class DemoResult:
    documents: dict[str, list[str]]
    review_id: str
    started_at: float
    last_input_at: float
    finished_at: float


def example_config(members: int | None = None) -> Config:
    """The example board; with ``members``, as many synthetic members spread over its agencies."""
    path = assets.example_config_path()
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if members is not None:
        base = raw["members"]
        raw["members"] = [
            {**base[i % len(base)], "name": f"Member {i + 1}", "email": f"member{i + 1}@board.example.org"}
            for i in range(members)
        ]
    return parse_config(raw, str(path))


def run_demo(out: Path, *, members: int | None = None, everyone_answers: bool = False, seed: int = 14,
             day_seconds: float = 0.3, poll_seconds: float = 0.05) -> DemoResult:
    """Commission the example review end to end; the demo owns ``out`` and starts it afresh."""
    from flows.advance_review import follow
    from scr.bootstrap import backend_for
    from scr.entrypoints.webserver import BackgroundWebServer, build_app

    started_at = time.time()
    config = example_config(members)
    review = review_from_config(config)
    out = out.resolve()
    for stale in (out / ".scr-data", out / review.review_id):
        shutil.rmtree(stale, ignore_errors=True)
    port = free_port()
    runtime = Runtime.from_config(
        config, store_url=f"sqlite:///{out / '.scr-data' / 'scr.sqlite3'}", out_dir=str(out),
        base_url=f"http://127.0.0.1:{port}", poll_seconds=poll_seconds, clock_speed=DAY / day_seconds,
    )
    backend_for(runtime).store.create_review(review, config.deadlines.schedule())
    form = backend_for(runtime).member_form
    agency_values = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != OTHER]
    emails = [m.email for m in review.members]
    plan = Plan() if everyone_answers else Plan(
        after_reminder={emails[9].lower()}, revise={emails[2].lower()}, silent={emails[10].lower()}
    )
    people = DemoPeople(out / review.review_id / "outbox", emails, agency_values, plan, seed)
    with BackgroundWebServer(build_app(runtime), "127.0.0.1", port):
        people.start()
        try:
            follow(review.review_id, runtime, poll_seconds)
        finally:
            people.stop()
    if people.errors:
        raise RuntimeError("the demo's simulated people hit problems: " + "; ".join(people.errors))
    return DemoResult(documents_by_label(backend_for(runtime), review.review_id), review.review_id,
                      started_at, people.last_input_at, time.time())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
