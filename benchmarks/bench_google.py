"""Benchmark of the Google backend's requests, against the loopback Google emulator. Prints figures; asserts nothing.

1. One whole review on `backend: google` with 30 members and 3 lead reviewers, simulated people answering the
   Google Form and commenting on the summary's Google Doc: requests per API method id and per API, and the
   messages each member was sent (their invitation, and a reminder for each reminder day they had not answered).
2. Requests per poll while waiting, calling the services' poll steps directly (members: collect_answers and
   member_progress; reviewers: collect_reviewer_input and reviewer_progress) for 10, 30 and 100 members with
   2 and 3 lead reviewers: with no new input, after 30 new answers between two polls, and after 20 new comments
   (each reviewer comments on their own copy of the summary: one drive.comments.list per copy per poll).
3. Looks at a review waiting for its members, as the scheduled run makes them: how many find a step due (each
   would be an advance-review run in Prefect), and the requests each look makes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":  # run by `make bench`: quiet; imported by a test, it leaves Prefect's logging alone
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the emulator and the simulated people live in tests/

from scr.backends.google.errors import configure_retries  # noqa: E402
from scr.bootstrap import backend_for  # noqa: E402
from scr.config import Config, parse_config, review_from_config  # noqa: E402
from scr.demo.run import DAY, example_config  # noqa: E402
from scr.services import drafting, members, reviewers  # noqa: E402
from scr.settings import Runtime  # noqa: E402
from tests.flows.google_people import GooglePeople, GooglePlan  # noqa: E402
from tests.google_emulator import GoogleEmulator  # noqa: E402

WHOLE_RUN_MEMBERS = 30
POLL_SIZES = (10, 30, 100)
POLL_REVIEWERS = (2, 3)
NEW_ANSWERS, NEW_COMMENTS = 30, 20
THIRD_REVIEWER = {"name": "Ruth Okonjo", "email": "ruth.okonjo@independent-reviews.example.org"}
INVITATION, REMINDER = "your input is needed", "Reminder"


def google_config(emu: GoogleEmulator, size: int, lead_reviewers: int = 3) -> Config:
    """The example board with `size` synthetic members and 2 or 3 lead reviewers, on the emulator."""
    drive = emu.build("drive", "v3")
    folder = drive.files().create(body={"name": "Reviews", "mimeType": "application/vnd.google-apps.folder"},
                                  fields="id").execute()["id"]
    raw = example_config(size).model_dump(mode="json")
    raw["lead_reviewers"] = (raw["lead_reviewers"] + [THIRD_REVIEWER])[:lead_reviewers]
    raw["backend"] = "google"
    raw["google"] = {"credentials": "anonymous", "api_root": emu.origin, "drive_folder_id": folder,
                     "mail": "gmail", "retry_seconds": 0.001}
    return parse_config(raw)


def start_review(emu: GoogleEmulator, out: Path, size: int, lead_reviewers: int = 3, **runtime) -> tuple:
    config = google_config(emu, size, lead_reviewers)
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{out / 'scr.sqlite3'}", out_dir=str(out), **runtime)
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    return review, runtime, backend


# -- 1. one whole review ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WholeRun:
    counts: dict[str, int]
    sent: list[dict]
    plans: dict[str, set[str]]  # what the simulated people were planned to do, by member address
    emails: list[str]
    seconds: float
    errors: list[str]  # what the simulated people hit, if anything
    reviewers_complete: int
    runs: int  # advance-review runs in Prefect: one per look at which a step was due


def whole_review(out: Path) -> WholeRun:
    """Run the flow once with simulated people; the requests it made, the mail sent and what people did."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.advance_review import follow

    with prefect_test_harness(server_startup_timeout=60), GoogleEmulator(seed=3) as emu:
        review, runtime, backend = start_review(emu, out, WHOLE_RUN_MEMBERS, poll_seconds=0.05,
                                                clock_speed=DAY / 0.4)
        emails = [m.email.lower() for m in review.members]
        plan = GooglePlan(revise={emails[2], emails[4]}, after_reminder={emails[9], emails[19], emails[29]},
                          late={emails[10]})
        def decide() -> int:  # the business manager runs `scr decide` after the partners' meeting
            from scr.services import deciding
            from tests import samples

            inputs = backend.store.reviewer_inputs(review.review_id)
            record = samples.board_record(review, backend.member_form, backend.reviewer_form, inputs)
            return deciding.record_decisions(backend, review.review_id, record)

        people = GooglePeople(emu, backend.store, review, backend.member_form, backend.clock, plan, decide)
        emu.reset_counts()  # the product's requests only, not the set-up's
        started = time.perf_counter()
        people.start()
        try:
            follow(review.review_id, runtime, runtime.poll_seconds)
        finally:
            people.stop()
        seconds = time.perf_counter() - started
        plans = {"answered after a reminder": plan.after_reminder, "answered late": plan.late,
                 "revised their answer": plan.revise}
        complete = sum(1 for i in backend.store.reviewer_inputs(review.review_id) if i.completed_at is not None)
        return WholeRun(emu.counts(), emu.sent_messages(), plans, emails, seconds, list(people.errors), complete,
                        advance_review_runs())


def advance_review_runs() -> int:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    runs, page = 0, 200  # the server's largest page
    with get_client(sync_client=True) as client:
        while True:
            found = len(client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["advance-review"])),
                                              limit=page, offset=runs))
            runs += found
            if found < page:
                return runs


def print_whole_review(run: WholeRun) -> None:
    counts = run.counts
    print(f"\n1. One whole review on backend google: {len(run.emails)} members, 3 lead reviewers "
          f"({run.seconds:.1f} s, a day passing in 0.4 s, polls every 0.05 s)")
    print(f"Lead reviewers marked complete from the Doc: {run.reviewers_complete} of 3; "
          f"simulated people's errors: {run.errors or 'none'}")
    print(f"advance-review runs in Prefect: {run.runs} (a look gives the review a run only when a step is due; "
          f"at most {run.seconds / 0.05:.0f} looks in {run.seconds:.1f} s)")
    print(f"{'method id':<38} {'requests':>8}")
    for method, n in sorted(counts.items()):
        print(f"{method:<38} {n:>8}")
    per_api = Counter()
    for method, n in counts.items():
        per_api[method.split(".", 1)[0]] += n
    print(f"{'-' * 38} {'-' * 8}")
    for api, n in sorted(per_api.items()):
        print(f"{'total ' + api:<38} {n:>8}")
    print(f"{'total':<38} {sum(per_api.values()):>8}")
    print("forms.forms.responses.list is one per poll of either wait (members', then reviewers'): it grows with the")
    print("time spent waiting over the poll interval, not with the number of members.")
    print_messages_per_member(run.sent, run.plans, run.emails)


def message_kind(subject: str) -> str:
    return "invitation" if INVITATION in subject else "reminder" if f"{REMINDER}:" in subject else "other"


def print_messages_per_member(sent: list[dict], plans: dict[str, set[str]], emails: list[str]) -> None:
    kinds: dict[str, Counter] = {email: Counter() for email in emails}
    for message in sent:
        for to in (a.lower() for a in message["to"] + message["cc"] + message["bcc"]):
            if to in kinds:
                kinds[to][message_kind(message["subject"])] += 1
    shape = {e: (k["invitation"], k["reminder"], k["other"]) for e, k in kinds.items()}
    print("\nMessages sent to each member (gmail.users.messages.send, to, cc or bcc):")
    print(f"{'invitations':>11} {'reminders':>9} {'other':>5} {'members':>7}  who")
    for (invitations, reminded, other), n in sorted(Counter(shape.values()).items()):
        who = [e for e, s in shape.items() if s == (invitations, reminded, other)]
        said = "; ".join(f"{e} ({', '.join(p for p, s in plans.items() if e in s) or 'no plan'})" for e in who)
        print(f"{invitations:>11} {reminded:>9} {other:>5} {n:>7}  "
              f"{said if reminded or other else 'answered before the first reminder day'}")
    to_members = sum(sum(k.values()) for k in kinds.values())
    print(f"Messages to members: {to_members} for {len(emails)} members ({to_members / len(emails):.2f} per member); "
          f"all messages sent: {len(sent)}")


# -- 2. requests per poll -----------------------------------------------------------------------------------

def poll_answers(emu: GoogleEmulator, backend, review_id: str) -> tuple[dict[str, int], int]:
    emu.reset_counts()
    kept = members.collect_answers(backend, review_id)
    members.member_progress(backend, review_id)
    return emu.counts(), kept


def poll_comments(emu: GoogleEmulator, backend, review_id: str) -> tuple[dict[str, int], int]:
    emu.reset_counts()
    kept = reviewers.collect_reviewer_input(backend, review_id)
    reviewers.reviewer_progress(backend, review_id)
    return emu.counts(), kept


def comment(emu: GoogleEmulator, review, form, copies: dict, i: int) -> None:
    """Comment `i`, by one reviewer after another, each on their own copy of the summary."""
    reviewer = review.lead_reviewers[i % len(review.lead_reviewers)]
    item = form.items[i % len(form.items)]
    emu.add_comment(copies[reviewer.email.lower()].file_id, reviewer.email, reviewer.name,
                    f"Comment {i + 1} on {item.id}.", item.label)


def polls_for(out: Path, size: int, lead_reviewers: int = 3) -> list[tuple[str, str, dict[str, int], int]]:
    """A review with its form published, every member answered and the summary Doc written; then the polls."""
    with GoogleEmulator(seed=size) as emu:
        review, _, backend = start_review(emu, out, size, lead_reviewers, poll_seconds=0.05)
        members.invite_members(backend, review.review_id)
        people = GooglePeople(emu, backend.store, review, backend.member_form, backend.clock, GooglePlan())
        emails = [m.email.lower() for m in review.members]
        for email in emails:
            people.answer(email)
        members.collect_answers(backend, review.review_id)
        drafting.write_factor_summary(backend, review.review_id)
        reviewers.circulate_summary(backend, review.review_id)
        copies = backend.store.google_reviewer_copies(review.review_id)
        reviewers.collect_reviewer_input(backend, review.review_id)
        rows = [("answers", "no new input", *poll_answers(emu, backend, review.review_id)),
                ("comments", "no new input", *poll_comments(emu, backend, review.review_id))]
        for i in range(NEW_ANSWERS):
            people.answer(emails[i % size], revised=True)
        rows.append(("answers", f"{NEW_ANSWERS} new answers", *poll_answers(emu, backend, review.review_id)))
        rows.append(("answers", "then no new input", *poll_answers(emu, backend, review.review_id)))
        for batch in ("first", "second"):
            for i in range(NEW_COMMENTS):
                comment(emu, review, backend.member_form, copies, i + (NEW_COMMENTS if batch == "second" else 0))
            rows.append(("comments", f"{NEW_COMMENTS} new comments ({batch})",
                         *poll_comments(emu, backend, review.review_id)))
        rows.append(("comments", "then no new input", *poll_comments(emu, backend, review.review_id)))
        return rows


def print_polls(results: dict[tuple[int, int], list]) -> None:
    print("\n2. Requests per poll while waiting, with the form published and the summary Doc written")
    print("   answers poll: collect_answers + member_progress; comments poll: collect_reviewer_input + "
          "reviewer_progress")
    print(f"{'members':>7} {'reviewers':>9}  {'poll':<8} {'situation':<28} {'kept':>4} {'requests':>8}  by method id")
    for (size, leads), rows in results.items():
        for source, situation, counts, kept in rows:
            methods = ", ".join(f"{m} {n}" for m, n in sorted(counts.items())) or "-"
            print(f"{size:>7} {leads:>9}  {source:<8} {situation:<28} {kept:>4} {sum(counts.values()):>8}  {methods}")
    print("   'kept': answers or reviewer inputs brought into the store by that poll. The comments poll reads the")
    print("   summary's sections (docs.documents.get) once, the first time it finds comments, and keeps them in")
    print("   the store; after that each poll is one drive.comments.list per reviewer's copy (per 100 changed")
    print("   comments on it).")


def print_poll_table(results: dict[tuple[int, int], list]) -> None:
    """The requests of each poll, one row per review size and one column per situation."""
    situations = list(dict.fromkeys((source, situation) for rows in results.values()
                                    for source, situation, _, _ in rows))
    heads = [f"{source}: {situation}" for source, situation in situations]
    width = max(len(h) for h in heads)
    print("\nRequests per poll, by members and lead reviewers (columns: members x reviewers)")
    print(f"{'poll':<{width}} " + " ".join(f"{f'{m} x {r}':>9}" for m, r in results))
    for head, key in zip(heads, situations, strict=True):
        cells = []
        for rows in results.values():
            found = {(source, situation): sum(counts.values()) for source, situation, counts, _ in rows}
            cells.append(f"{found.get(key, '-'):>9}")
        print(f"{head:<{width}} " + " ".join(cells))


# -- 3. looks at a review waiting for people ------------------------------------------------------------------

LOOKS = 20


def looks_while_waiting(out: Path, size: int = 30) -> tuple[int, dict[str, int], float]:
    """A review whose members were invited and have not answered, looked at LOOKS times as the scheduled run
    does (``advancing.is_due``): how many looks find a step due (each would be an advance-review run), the
    requests made, and the seconds per look."""
    from scr.services import advancing

    with GoogleEmulator(seed=5) as emu:
        review, _runtime, backend = start_review(emu, out, size)  # real days: no reminder or deadline comes
        advancing.advance(backend, review.review_id)  # the invitations
        emu.reset_counts()
        started = time.perf_counter()
        due = sum(advancing.is_due(backend, review.review_id) for _ in range(LOOKS))
        return due, emu.counts(), (time.perf_counter() - started) / LOOKS


def print_looks(due: int, counts: dict[str, int], seconds: float) -> None:
    print(f"\n3. A review waiting for its members (invited, none answered yet), looked at {LOOKS} times as the "
          "scheduled advance-reviews run does")
    print(f"Looks finding a step due (each an advance-review run): {due} of {LOOKS}; requests: "
          f"{dict(counts) or 'none'}; {seconds * 1000:.0f} ms per look")


def main() -> int:
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    configure_retries(0.001)
    with tempfile.TemporaryDirectory() as tmp:
        print_whole_review(whole_review(Path(tmp) / "whole"))
        results = {(size, leads): polls_for(Path(tmp) / f"poll{size}-{leads}", size, leads)
                   for size in POLL_SIZES for leads in POLL_REVIEWERS}
        looks = looks_while_waiting(Path(tmp) / "looks")
    print_polls(results)
    print_poll_table(results)
    print_looks(*looks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
