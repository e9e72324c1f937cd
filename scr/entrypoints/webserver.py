"""Run the local web app in a background thread, for `scr start` and the demo."""

from __future__ import annotations

import logging
import threading
import time

import uvicorn

from scr.bootstrap import backend_for
from scr.services.drafting import assemble, current_summary
from scr.settings import Runtime

log = logging.getLogger("scr.web")


def build_app(runtime: Runtime):
    """The local web app wired to this runtime's backend."""
    from scr.entrypoints.web import create_app
    from scr.entrypoints.web.board import BoardPages
    from scr.services.deciding import record_decisions

    backend = backend_for(runtime)
    return create_app(
        store=backend.store, member_form=backend.member_form, reviewer_form=backend.reviewer_form,
        clock=backend.clock, renderer=backend.renderer,
        summary_for=lambda review_id: current_summary(backend, review_id),
        board_pages=BoardPages(
            rationale_for=lambda review_id: assemble(backend, review_id, with_record=False).rationale,
            record=lambda review_id, record: record_decisions(backend, review_id, record),
        ),
    )


class BackgroundWebServer:
    """uvicorn in a daemon thread; no access log, since paths carry personal tokens."""

    def __init__(self, app, host: str, port: int):
        config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="scr-web", daemon=True)

    def __enter__(self) -> BackgroundWebServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the local web app did not start; is the port already in use?")
            time.sleep(0.02)
        return self

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
