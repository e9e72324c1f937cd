"""Real-browser tests: Playwright driving Debian's Chromium (installed by scripts/browser.sh, as `make test` does).

Screenshots of every page a test visits are kept in test-output/screenshots/ (one folder per test).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from scr.bootstrap import backend_for
from scr.config import review_from_config
from scr.demo.run import example_config, free_port
from scr.domain.model import Stage
from scr.entrypoints.webserver import BackgroundWebServer, build_app
from scr.services.advancing import advance
from scr.services.backend import Backend
from scr.settings import Runtime
from tests.browser.pages import read_links

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# What works for Debian's Chromium here, as root and with no network beyond loopback (shared/facts.md).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # every expect waits on its condition, up to this on a busy machine
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed: run scripts/browser.sh (make test does)"
    assert AXE.exists(), "axe-core is not installed: run scripts/browser.sh (make test does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(request) -> Path:
    """This test's screenshot folder, emptied first."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    context.set_default_timeout(60_000)  # generous: each wait is on a condition, and the machine may be busy
    yield context.new_page()
    context.close()


@dataclass
class Site:
    """The example board's review in a fresh store, its web app served on loopback, invitations sent."""

    runtime: Runtime
    backend: Backend
    review_id: str
    outbox: Path

    def links(self, kind: str) -> dict[str, str]:
        return read_links(self.outbox, kind)


@pytest.fixture
def site_with_reviewers(site):
    """`site` once every member has answered (over HTTP, as browsers post) and the summary is with the reviewers."""
    import httpx

    from scr.demo.answers import member_answers
    from tests.flows.browser import submit

    form = site.backend.member_form
    agencies = [o.value for o in form.options_for(form.item("A5"), example_config().agencies) if o.value != "other"]
    with httpx.Client(timeout=30) as client:
        for index, link in enumerate(site.links("f").values()):
            assert submit(client, link, member_answers(index, agencies)).status_code == 200
    assert advance(site.backend, site.review_id) is Stage.WITH_REVIEWERS
    return site


@pytest.fixture
def site(tmp_path):
    config = example_config()
    port = free_port()
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}", out_dir=str(tmp_path),
                                  base_url=f"http://127.0.0.1:{port}", poll_seconds=0.01)
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    advance(backend, review.review_id)
    with BackgroundWebServer(build_app(runtime), "127.0.0.1", port):
        yield Site(runtime, backend, review.review_id, Path(tmp_path) / review.review_id / "outbox")
