"""The business manager steers a waiting review from the Prefect UI, in a real browser: runs the steer-review
deployment that `scr serve` serves, opens the paused run, reads where every open review stands in the resume
form, chooses the review and a decision, and resumes it: the decision is applied to that review and recorded
with who made it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from playwright.sync_api import expect

from scr.config import load_board_config
from scr.entrypoints.cli import main as scr
from scr.settings import Runtime
from tests.browser.pages import snap
from tests.flows.processes import free_port, up, wait_for

ROOT = Path(__file__).resolve().parents[2]
REVIEW = "SCR-2026-014"
SECOND = "SCR-2026-015"  # a second open review on the same board: the form offers both


@pytest.fixture
def served(tmp_path):
    """Two reviews collecting member input, and `scr serve` (Prefect server, deployments, web app) running."""
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT"),
                    "web_host": "127.0.0.1", "web_port": free_port()}
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump({**raw, "case": {**raw["case"], "review_id": SECOND}}))
    config = tmp_path / "board.yaml"
    config.write_text(yaml.safe_dump(raw))
    assert scr(["start", str(config), "--detach"]) == 0
    assert scr(["start", str(second), "--detach"]) == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_RUNNER_POLL_FREQUENCY="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    with open(tmp_path / "serve.log", "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "scr.entrypoints.cli", "serve", str(config),
                                    "--advance-minutes", "600", "--prefect-port", str(port)],
                                   cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
    ui = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: up(f"{ui}/api/health"), "the Prefect server", seconds=300)
        wait_for(lambda: {"advance-reviews", "steer-review"} <= {d["name"] for d in api(ui, "deployments/filter")},
                 "the deployments to be served", seconds=300)
        yield ui, Runtime.from_config(load_board_config(config))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def served_log(runtime: Runtime) -> str:
    """The end of `scr serve`'s output, for a failure message (it holds run states, never answers)."""
    log = Path(runtime.out_dir).parent / "serve.log"
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no serve.log)"


def open_quick_run(page, ui: str, deployment: str, shots):
    """Deployments, the deployment, Run, Quick run: the Run Deployment dialog, as the README's steps say."""
    page.goto(f"{ui}/deployments")
    page.get_by_role("link", name=deployment).first.click()
    expect(page.get_by_text(f"flows/{deployment.replace('-', '_')}.py:{deployment.replace('-', '_')}").first
           ).to_be_visible()
    snap(page, shots, f"prefect-deployment-{deployment}")
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("Quick run", exact=True).click()
    dialog = page.locator(".p-modal", has_text="Run Deployment")
    expect(dialog).to_be_visible()
    snap(page, shots, f"prefect-run-dialog-{deployment}")
    return dialog


def press_run(page, ui: str, dialog, deployment: str, shots) -> str:
    """Press the dialog's Run until the server has the run. On a busy machine the server can answer the first
    press with an error (the UI's "Something went wrong"): a person dismisses it and presses Run again."""
    created: list[str] = []  # what the server said to each request to create the run, for a failure message
    page.on("response", lambda r: created.append(f"{r.status} {r.text()[:300]}") if "create_flow_run" in r.url
            else None)
    page.on("requestfailed", lambda r: created.append(f"failed: {r.failure}") if "create_flow_run" in r.url
            else None)
    wanted = next(d["id"] for d in api(ui, "deployments/filter") if d["name"] == deployment)
    earlier = {r["id"] for r in api(ui, "flow_runs/filter") if r["deployment_id"] == wanted}  # scheduled ones

    def run_created() -> str | None:
        return next((r["id"] for r in api(ui, "flow_runs/filter")
                     if r["deployment_id"] == wanted and r["id"] not in earlier), None)

    for attempt in range(1, 4):
        dismiss_toasts(page)  # a toast covers the dialog's Run button
        dialog.get_by_role("button", name="Run", exact=True).click()
        try:
            return wait_for(run_created, f"the {deployment} run to be created", seconds=120)
        except AssertionError:
            snap(page, shots, f"prefect-run-dialog-still-open-{attempt}")
            if attempt == 3:
                raise AssertionError(f"the run was not created; the server said: {created}") from None


def dismiss_toasts(page) -> None:
    """Close the UI's toasts as a person would. A toast under the pointer stops counting down, and its countdown
    ring lies over its close button, so the click is sent to the button itself."""
    page.mouse.move(0, 0)
    for toast in page.locator(".p-toast__card").all():
        toast.get_by_role("button").last.dispatch_event("click")
    expect(page.locator(".p-toast__card")).to_have_count(0, timeout=30_000)


def api(ui: str, path: str) -> list[dict]:
    return httpx.post(f"{ui}/api/{path}", json={}, timeout=30).json()


def test_the_business_manager_resumes_a_waiting_review_from_the_prefect_ui_form(served, page, shots):
    from scr.bootstrap import backend_for

    ui, runtime = served
    before = backend_for(runtime).store.schedule(SECOND).response_deadline
    dialog = open_quick_run(page, ui, "steer-review", shots)
    expect(dialog.get_by_text("review_id (Optional)")).to_be_visible()  # no review given: it is chosen in the form
    expect(dialog.locator("textarea").first).to_have_value("local")  # the runtime's values are loaded
    press_run(page, ui, dialog, "steer-review", shots)
    snap(page, shots, "prefect-run-created")

    def paused_run() -> str | None:
        runs = [r for r in api(ui, "flow_runs/filter") if r["state_type"] == "PAUSED"]
        return runs[0]["id"] if runs else None

    try:
        run_id = wait_for(paused_run, "the steer-review run to pause for the decision", seconds=480)
    except AssertionError:
        states = [(r["name"], r["state_name"]) for r in api(ui, "flow_runs/filter")]
        raise AssertionError(f"no paused run; runs: {states}; see {served_log(runtime)}") from None
    page.goto(f"{ui}/runs/flow-run/{run_id}")
    expect(page.get_by_text("Paused", exact=True).first).to_be_visible()
    snap(page, shots, "prefect-paused-run")
    page.get_by_role("button", name="Resume").first.click()

    form = page.locator(".p-modal")
    expect(form.get_by_text("Open reviews (2)")).to_be_visible()  # where every open review stands, no answers
    expect(form.get_by_text(f"{REVIEW} (Child T): collecting member input")).to_be_visible()
    expect(form.get_by_text(f"{SECOND} (Child T): collecting member input")).to_be_visible()
    expect(form.get_by_text("0 of 13 answered").first).to_be_visible()
    by_agency = form.get_by_role("cell", name="0 of").first  # answered of invited, by agency
    by_agency.scroll_into_view_if_needed()
    expect(by_agency).to_be_in_viewport()  # the form's description scrolls: every review's counts can be read
    snap(page, shots, "prefect-resume-form-opened")
    review = form.locator(".schema-form-property").filter(has_text="the open review this decision is about").last
    review.get_by_role("button").last.press("ArrowDown")  # Prefect's select (no review chosen yet) opens
    page.get_by_role("option", name=SECOND).click()
    form.get_by_role("button", name="no change").press("ArrowDown")
    page.get_by_role("option", name="extend the members' deadline").click()
    form.locator(".schema-form-property", has_text="Working Days").locator("input").fill("3")
    snap(page, shots, "prefect-resume-form")

    def state() -> str:
        return httpx.get(f"{ui}/api/flow_runs/{run_id}", timeout=30).json()["state"]["type"]

    # The run leaves Paused once the UI has sent the input. On a busy machine the UI can miss the first
    # press (its request times out and the form stays open): a person presses Submit again, and so does this.
    answers: list[str] = []  # what the server said to each resume request, for a failure message
    page.on("response", lambda r: answers.append(f"{r.status} {r.text()[:300]}") if "/resume" in r.url else None)
    for attempt in range(1, 4):
        form.get_by_role("button", name="Submit").click()
        try:
            wait_for(lambda: state() != "PAUSED", "the run to leave Paused", seconds=120,
                     seen=lambda: f"{state()}; resume answers: {answers}")
            break
        except AssertionError:
            snap(page, shots, f"prefect-resume-form-still-open-{attempt}")
            if attempt == 3 or not form.is_visible():
                raise
            dismiss_toasts(page)  # the UI's "something went wrong" covers Submit

    def finished() -> str | None:
        now = state()
        return now if now in ("COMPLETED", "FAILED", "CRASHED") else None

    def seen() -> str:
        return f"state {state()}; {served_log(runtime)}"

    assert wait_for(finished, "the resumed run to finish", seconds=600, seen=seen) == "COMPLETED"
    page.reload()
    expect(page.get_by_text("Completed", exact=True).first).to_be_visible()
    snap(page, shots, "prefect-run-completed")
    [decision] = backend_for(runtime).store.events(SECOND, "decision")
    assert decision.person_email == "priya.shah@northshire-scp.example.org"  # the form's pre-filled manager
    assert decision.detail.startswith("extended the members' deadline by 3 working day(s) to ")
    assert backend_for(runtime).store.schedule(SECOND).response_deadline > before
    assert backend_for(runtime).store.events(REVIEW, "decision") == [], "the review not chosen is untouched"


def test_the_business_manager_advances_every_review_now_from_the_prefect_ui(served, page, shots):
    """Deployments, advance-reviews, Run, Quick run, Run: the run the schedule would make, now (after recording
    a decision, say). The dialog shows which board it is for, and the run completes."""
    ui, runtime = served
    dialog = open_quick_run(page, ui, "advance-reviews", shots)
    expect(dialog.locator("textarea").first).to_have_value("local")  # the runtime's values are loaded
    run_id = press_run(page, ui, dialog, "advance-reviews", shots)

    def finished() -> str | None:
        state = httpx.get(f"{ui}/api/flow_runs/{run_id}", timeout=30).json()["state"]["type"]
        return state if state in ("COMPLETED", "FAILED", "CRASHED") else None

    assert wait_for(finished, "the advance-reviews run to finish", seconds=480,
                    seen=lambda: served_log(runtime)) == "COMPLETED"
