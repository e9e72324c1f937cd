"""Benchmark of the commissioning pipeline on the embedded backend. Prints figures; asserts nothing.

For 10, 30, 100 and 300 members:
  - time per step (Prefect task run times) with every answer and reviewer input already in the store, so
    nothing waits: one advance-review run takes the review to the draft, the partners' decisions are
    recorded, and a second run agrees the terms of reference and finishes;
  - those whole runs against bare Prefect flows with the same number of runs and tasks, in the same process
    (ratio);
  - consolidation and rendering alone (summary, rationale, evidence, three documents as .md and .docx).
At 30 members, the latency from the last reviewer's input (over HTTP) to the ToR being written, in a
full demo run with simulated people, at the poll interval shown.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from prefect import flow, task  # noqa: E402

from flows.advance_review import run_review  # noqa: E402
from scr.bootstrap import backend_for  # noqa: E402
from scr.config import review_from_config  # noqa: E402
from scr.demo.answers import REVIEWER_COMMENTS, member_answers  # noqa: E402
from scr.demo.run import example_config, run_demo  # noqa: E402
from scr.domain.forms import OTHER, parse_submission  # noqa: E402
from scr.domain.model import ReviewerComment, Role  # noqa: E402
from scr.services import drafting  # noqa: E402
from scr.settings import Runtime  # noqa: E402

SIZES = (10, 30, 100, 300)


@task
def _nothing(i: int) -> int:
    return i


@flow(name="bare-flow")
def bare_flow(tasks: int = 8) -> int:
    return sum(_nothing(i) for i in range(tasks))


def prepared_review(out: Path, members: int) -> tuple[str, Runtime]:
    """A review whose members and reviewers have all given their input already."""
    config = example_config(members)
    review = review_from_config(config)
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{out / 'scr.sqlite3'}", out_dir=str(out),
                                  base_url="http://127.0.0.1:9", poll_seconds=0.05)
    backend = backend_for(runtime)
    store, clock, form = backend.store, backend.clock, backend.member_form
    store.create_review(review, config.deadlines.schedule())
    agencies = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != OTHER]
    for i, member in enumerate(review.members):
        store.issue_token(review.review_id, member.email, Role.MEMBER)
        answers = parse_submission(form, member_answers(i, agencies), review.agencies).answers
        store.save_response(review.review_id, member.email, answers, clock.now(), late=False)
    for reviewer, comments in zip(review.lead_reviewers, REVIEWER_COMMENTS, strict=False):
        for field, text in comments.items():
            kind, _, key = field.partition(".")
            if kind == "comment":
                store.add_reviewer_comment(review.review_id, ReviewerComment(reviewer.email, key, text, clock.now()))
            else:
                store.set_proposal(review.review_id, reviewer.email, key, text, clock.now())
        store.mark_reviewer_complete(review.review_id, reviewer.email, clock.now())
    return review.review_id, runtime


def record_decisions(runtime: Runtime, review_id: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the sample decision record lives in tests/
    from scr.services import deciding
    from tests import samples

    backend = backend_for(runtime)
    review = backend.store.get_review(review_id)
    record = samples.board_record(review, backend.member_form, backend.reviewer_form,
                                  backend.store.reviewer_inputs(review_id))
    deciding.record_decisions(backend, review_id, record)


def step_times(*flow_run_ids) -> dict[str, float]:
    """Each task run's time by its step ('invite-members · SCR-2026-014' -> 'invite-members')."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(flow_run_ids))))
    return {run.name.split(" · ")[0]: (run.end_time - run.start_time).total_seconds() for run in runs}


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> int:
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    timed(bare_flow)  # starts the temporary Prefect server once, outside the figures
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            out = Path(tmp) / f"n{size}"
            review_id, runtime = prepared_review(out, size)
            to_draft, first = timed(run_review, review_id, runtime, return_state=True)
            record_decisions(runtime, review_id)  # the partners' decisions, the moment the draft is with them
            to_end, second = timed(run_review, review_id, runtime, return_state=True)
            assert second.result() == "complete", second
            whole = to_draft + to_end
            stages = step_times(first.state_details.flow_run_id, second.state_details.flow_run_id)
            tasks_first = len(stages) - 2  # the second run agrees the terms of reference and finishes
            bare = timed(bare_flow, tasks_first)[0] + timed(bare_flow, 2)[0]
            backend = backend_for(runtime)
            render = sum(timed(step, backend, review_id)[0] for step in (
                drafting.write_factor_summary, drafting.draft_terms_of_reference, drafting.write_qm6_evidence))
            rows.append((size, whole, bare, render, stages))
        demo_out = Path(tmp) / "latency"
        result = run_demo(demo_out, members=30, everyone_answers=True, poll_seconds=0.2)
        tor = Path(result.documents["terms of reference"][0])
        latency = tor.stat().st_mtime - result.last_input_at

    print("\nWhole process with all input already given (two advance-review runs, seconds), against two bare")
    print("Prefect flows with as many tasks, in the same process and run:")
    print(f"{'members':>8} {'pipeline':>9} {'bare':>7} {'ratio':>6} {'consolidate+render':>19}")
    for size, whole, bare, render, _ in rows:
        print(f"{size:>8} {whole:>9.2f} {bare:>7.2f} {whole / bare:>6.2f} {render:>19.3f}")
    print("\nTime per step (Prefect task run, seconds):")
    names = list(rows[0][4])
    print(f"{'step':<26}" + "".join(f"{size:>8}" for size, *_ in rows))
    for name in names:
        print(f"{name:<26}" + "".join(f"{r[4].get(name, float('nan')):>8.3f}" for r in rows))
    print(f"\nLast input to ToR written, 30 members, full demo over HTTP, poll 0.2 s: {latency:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
