"""Benchmark: invitations, and many reviews waiting at once, on the embedded backend. Prints figures; asserts nothing.

1. Invitations to 300 members: one at a time (a token and an "invited" event, each its own transaction, per
   member, as before) against one round (``invite_members``: the tokens in one transaction, the events in one).
2. 1,000 reviews waiting for their members (invited, some answered), checked once in a fresh process:
   a. listing the open reviews with their stage and schedule;
   b. each one's members' counts (answered against invited, by agency);
   c. the standing of each, for the board overview;
   read review by review (``open_reviews``, then ``waiting.check_members``/``members_done`` and
   ``overview.standing`` for each) against read at once (``overview.open_reviews_at_once``/``standings``).
   Goal: one check of all of them under 10 s. Then one `scr advance` pass over them all, as it runs today.
3. Memory: peak RSS of the web app serving a store of 1,000 reviews against an empty one; and how long a
   member's answer takes to show in the progress artifact of an in-process flow.
"""

from __future__ import annotations

import dataclasses
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REVIEWS = 1000
INVITED = 300
GOAL_SECONDS = 10.0
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the sample answers live in tests/


def backend_on(out: Path, members: int | None = None):
    from scr.bootstrap import backend_for
    from scr.demo.run import example_config
    from scr.settings import Runtime

    config = example_config(members)
    url = f"sqlite:///{out / 'scr.sqlite3'}"
    runtime = Runtime.from_config(config, store_url=url, out_dir=str(out), base_url="http://127.0.0.1:9")
    return config, url, backend_for(runtime)


def make_store(out: Path, reviews: int) -> str:
    """A store with `reviews` reviews of the example board, each invited and waiting for its members; in the
    n-th review the first n % 10 members have answered (some late)."""
    from scr.config import review_from_config
    from scr.services.advancing import advance
    from scr.services.members import invite_members
    from tests.samples import random_answers

    config, url, backend = backend_on(out)
    base, rng = review_from_config(config), random.Random(14)
    for number in range(reviews):
        review = dataclasses.replace(base, review_id=f"SCR-2026-{number + 1000:04d}")
        backend.store.create_review(review, config.deadlines.schedule())
        invite_members(backend, review.review_id)
        for i, member in enumerate(review.members[: number % 10]):
            backend.store.save_response(review.review_id, member.email,
                                        random_answers(backend.member_form, review.agencies, rng),
                                        backend.clock.now(), late=i == 3)
        advance(backend, review.review_id)  # as the scheduled run did: the answers so far are reported
    return url


# -- 1. invitations ------------------------------------------------------------------------------------------

def invitations(out: Path) -> tuple[float, int, float, int]:
    """Seconds and store write transactions for 300 invitations one at a time, then as one round."""
    from sqlalchemy import event

    from scr.config import review_from_config
    from scr.services import messages
    from scr.services.members import invite_members, open_response_window

    config, _, backend = backend_on(out, INVITED)
    review = review_from_config(config)
    one_by_one = dataclasses.replace(review, review_id="SCR-2026-001")
    for r in (review, one_by_one):
        backend.store.create_review(r, config.deadlines.schedule())
        open_response_window(backend, r.review_id)
    writes: list[int] = []
    event.listen(backend.store._engine, "begin",
                 lambda conn: writes.append(1) if conn.get_execution_options().get("scr_write") else None)
    deadline = backend.store.schedule(one_by_one.review_id).response_deadline
    messages.compose(backend.renderer, review, "invitation", "x", "x@example.org", member=review.members[0],
                     link="x", due="x", personal=True)  # the templates load before either is timed
    started = time.perf_counter()
    for member in one_by_one.members:  # as invite_members sent them before it sent a round
        messages.send_link(backend, one_by_one, "invitation", member, backend.forms.link_for(one_by_one, member),
                           event="invited", member=member, deadline=deadline, personal=True)
    single, single_writes = time.perf_counter() - started, len(writes)
    writes.clear()
    started = time.perf_counter()
    assert invite_members(backend, review.review_id) == INVITED
    return single, single_writes, time.perf_counter() - started, len(writes)


def print_invitations(single: float, single_writes: int, round_: float, round_writes: int) -> None:
    print(f"\n1. Invitations to {INVITED} members (embedded backend: tokens and events in SQLite, .eml files)")
    print(f"{'':<44} {'seconds':>8} {'store transactions':>19}")
    print(f"{'one at a time (a token, an event each)':<44} {single:>8.2f} {single_writes:>19}")
    print(f"{'one round (invite_members)':<44} {round_:>8.2f} {round_writes:>19}")
    print(f"{'one at a time / one round':<44} {single / round_:>8.2f} {single_writes / max(round_writes, 1):>19.0f}")
    print("   (the round's transactions: the tokens before the first email, the events after the last; what is left")
    print("   is composing and writing each .eml file)")


# -- 2. one check of 1,000 waiting reviews --------------------------------------------------------------------

CHECK = """
import sys, time
from scr.bootstrap import backend_for
from scr.demo.run import example_config
from scr.services import waiting
from scr.services.advancing import OPEN, open_reviews
from scr.services.overview import open_reviews_at_once, standing, standing_of, standings
from scr.settings import Runtime
runtime = Runtime.from_config(example_config(), store_url=sys.argv[1], out_dir=sys.argv[2], base_url="http://x")
backend = backend_for(runtime)
clock = time.perf_counter
t0 = clock(); states = backend.store.review_states(OPEN); t1 = clock()
read = open_reviews_at_once(backend, states); t2 = clock()
board = standings(backend); t3 = clock()  # the board overview on its own, reading what it needs
start = clock()  # one check: list, count, say what is due, and the overview from what was read
read = open_reviews_at_once(backend)
now = backend.clock.now()
due = sum(1 for r in read if r.schedule.response_deadline is None or r.schedule.close_now
          or r.members.answered >= r.members.invited or now >= r.schedule.response_deadline
          or bool(r.schedule.reminders_due(now)))  # not yet invited, closed, all answered, late, or a reminder
overview = [standing_of(r, now) for r in read]
t4 = clock()
store = backend.store  # as open_reviews listed them before it read them at once, with each one's schedule
ids = [r for r in store.review_ids() if store.stage(r) in OPEN and store.schedule(r)]; t5 = clock()
assert ids == open_reviews(backend)
for review_id in ids:
    waiting.members_done(backend, review_id, waiting.check_members(backend, review_id))
t6 = clock()
each = [standing(backend, review_id) for review_id in ids]; t7 = clock()
assert each == board == overview and len(board) == len(states)
from scr.services import advancing  # the product's own check, as the scheduled advance-reviews run makes it
t8 = clock(); real_due = advancing.due_reviews(backend); real_board = standings(backend); t9 = clock()
print(len(ids), due, t1 - t0, t2 - t1, t3 - t2, t4 - start, t5 - t4, t6 - t5, t7 - t6, t7 - t4, len(real_due), t9 - t8)
"""

ADVANCE = """
import resource, sys, time
from scr.bootstrap import backend_for
from scr.demo.run import example_config
from scr.services.advancing import advance, open_reviews
from scr.settings import Runtime
runtime = Runtime.from_config(example_config(), store_url=sys.argv[1], out_dir=sys.argv[2], base_url="http://x")
backend = backend_for(runtime)
start = time.perf_counter()
stages = [advance(backend, r) for r in open_reviews(backend)]
print(len(stages), time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def print_check(figures: list[str]) -> None:
    reviews, due = int(figures[0]), int(figures[1])
    a, b, c, at_once, a1, b1, c1, each = (float(f) for f in figures[2:10])
    real_due, real = int(figures[10]), float(figures[11])
    print(f"\n2. One check of {reviews} waiting reviews of 13 members, in a fresh process ({due} of them have come to")
    print("   a reminder's day, their deadline or every answer)")
    print(f"{'':<54} {'review by review':>16} {'at once':>8} {'ratio':>6}")
    rows = [("a. open reviews with stage and schedule", a1, a),
            ("b. members' counts (one by one: check_members, done?)", b1, b),
            ("c. standing of each, for the board overview", c1, c),
            ("one check of all of them (a, b, what is due, c)", each, at_once)]
    for label, slow, fast in rows:
        print(f"{label:<54} {slow:>15.2f}s {fast:>7.2f}s {slow / fast:>6.1f}")
    print(f"Goal: under {GOAL_SECONDS:.0f} s. Review by review: {each:.2f} s ({each / GOAL_SECONDS:.2f} of the goal); "
          f"at once: {at_once:.2f} s ({at_once / GOAL_SECONDS:.3f} of the goal)")
    print("   ('at once' reads every open review's stage, schedule, people, invitations and latest answers' times in")
    print("   four reads of the store, and no answer text; 'review by review' reads the store several times a review.")
    print("   The check at once reads once for b and c, where the rows above each read on their own.)")
    print("The scheduled run's own check (scr.services.advancing.due_reviews: each open review's state and its due")
    print(f"steps, then the board overview's standings): {real:.2f} s for {reviews} reviews, {real_due} with a "
          f"step due ({real / GOAL_SECONDS:.2f} of the goal)")


def run(code: str, *args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                            check=True, env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    return result.stdout.split()


WEB = """
import resource, sys
from fastapi.testclient import TestClient
from scr.demo.run import example_config
from scr.entrypoints.webserver import build_app
from scr.settings import Runtime
runtime = Runtime.from_config(example_config(), store_url=sys.argv[1], out_dir=sys.argv[2], base_url="http://x")
client = TestClient(build_app(runtime))
assert client.get("/healthz").status_code == 200
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> int:
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        print_invitations(*invitations(Path(tmp) / "invitations"))
        busy, empty = Path(tmp) / "busy", Path(tmp) / "empty"
        started = time.perf_counter()
        url = make_store(busy, REVIEWS)
        print(f"\n(Set-up: {REVIEWS} reviews created and invited in {time.perf_counter() - started:.1f} s)")
        print_check(run(CHECK, url, str(busy)))
        reviews, seconds, rss = run(ADVANCE, url, str(busy))
        print(f"One `scr advance` pass over all {reviews} (a lease, and each review read as it is today): "
              f"{float(seconds):.2f} s ({1000 * float(seconds) / int(reviews):.1f} ms a review); "
              f"peak RSS {int(rss) / 1024:.0f} MB")
        empty_url = make_store(empty, 0)
        web_busy = int(run(WEB, url, str(busy))[0])
        web_empty = int(run(WEB, empty_url, str(empty))[0])
        print(f"\n3. Web app peak RSS: {web_busy / 1024:.0f} MB with {REVIEWS} reviews, {web_empty / 1024:.0f} MB with "
              f"none (ratio {web_busy / web_empty:.2f})")
        print("Processes held while the reviews wait: 0 (each advance pass exits when it is done)")
    print(f"This process: peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for poll in (0.5, 1.0):
        print(f"Member's submit to the progress artifact showing it, in-process flow checking every {poll} s: "
              f"{latency(poll):.2f} s")
    print("(With `scr advance` on a schedule, the artifact changes at the next run; `scr status` shows an answer "
          "at once.)")
    return 0


LATENCY = """
import sys, threading, time, os
from pathlib import Path
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
import httpx
from prefect.client.orchestration import get_client
from prefect.testing.utilities import prefect_test_harness
from flows.advance_review import follow
from scr.bootstrap import backend_for
from scr.config import review_from_config
from scr.demo.answers import member_answers
from scr.demo.people import with_form_token
from scr.demo.run import example_config, free_port
from scr.entrypoints.webserver import BackgroundWebServer, build_app
from scr.settings import Runtime

out, poll = Path(sys.argv[1]), float(sys.argv[2])
config = example_config()
port = free_port()
runtime = Runtime.from_config(config, store_url=f"sqlite:///{out / 'scr.sqlite3'}", out_dir=str(out),
                              base_url=f"http://127.0.0.1:{port}", poll_seconds=poll)
backend = backend_for(runtime)
review = review_from_config(config)
backend.store.create_review(review, config.deadlines.schedule())
key = review.review_id.lower() + "-member-answers"
with prefect_test_harness(), BackgroundWebServer(build_app(runtime), "127.0.0.1", port):
    threading.Thread(target=lambda: follow(review.review_id, runtime, poll), daemon=True).start()
    outbox = out / review.review_id / "outbox"
    while len(list(outbox.glob("*.eml"))) < len(review.members):
        time.sleep(0.05)
    link = next(line for line in sorted(outbox.glob("*.eml"))[0].read_text().splitlines() if "/f/" in line)
    form = backend.member_form
    agencies = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != "other"]
    with get_client(sync_client=True) as client:
        def answered() -> float:
            artifact = client.read_latest_artifacts()  # the latest version of each key
            found = [a for a in artifact if a.key == key]
            return float(found[0].data) if found else 0.0
        time.sleep(2 * poll)
        page = httpx.get(link.strip(), timeout=30).text  # the member opens the form, then sends it
        start = time.perf_counter()
        fields = with_form_token(page, member_answers(0, agencies))
        assert httpx.post(link.strip(), data=fields, timeout=30).status_code == 200
        while answered() == 0.0:
            time.sleep(0.02)
        print(time.perf_counter() - start)
"""


def latency(poll: float) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        return float(run(LATENCY, tmp, str(poll))[-1])


if __name__ == "__main__":
    sys.exit(main())
