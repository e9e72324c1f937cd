"""`scr advance` killed with SIGKILL right after each of its side effects in turn, then run again as usual:
every time the review ends where an uninterrupted run ends it, with one form, one of each document, each
message sent once and every answer kept.

Nothing is timed. `tests/flows/crashing_advance.py` counts a run's side effects (store writes, requests that
change Google, emails, documents) and kills itself just after the Nth. An uninterrupted reference run (a
process of its own) lists them; each then becomes the crash point of one run, started from a copy of the state
its phase began with, and followed by one plain `scr advance`. Those two are processes forked from a server
that has imported the product once (`crashing_advance --fork-server`), which halves the time the test takes.
The phases:

    start      the review was just created: the run invites the members
    answers    every member has answered: the run closes member input, writes the summary, sends it out
    reviewers  both lead reviewers have commented and completed: the run drafts the ToR (0.1) and the evidence,
               and asks the business manager for the board's decisions
    board      the board's decisions are recorded (on the page; on Google, in the store as `scr decide` does):
               the run writes the agreed ToR (1.0) and the evidence, tells members and reviewers, ends

on the local backend and on Google (the loopback emulator, copied for each run). The one thing allowed to
differ from the reference is the known at-least-once window of Gmail: a crash exactly between Gmail
accepting an email and the store recording it sends that email once more on the next run.
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scr.backends.local.outbox import read_outbox
from scr.clock import SystemClock
from scr.config import load_board_config
from scr.demo.answers import REVIEWER_COMMENTS, member_answers
from scr.demo.people import record_board_decisions
from scr.domain.forms import OTHER, load_member_form
from scr.domain.model import Review, Stage
from scr.settings import Runtime
from tests import samples
from tests.flows.browser import submit
from tests.flows.crash_sites import (
    MEMBERS,
    REVIEW,
    ROOT,
    ForkServer,
    Outcome,
    Site,
    Snapshot,
    answers_digest,
    board,
    create_review,
    outcome,
    reference_run,
    sent,
    snapshot,
)
from tests.flows.google_people import GooglePeople, GooglePlan
from tests.google_emulator import GoogleEmulator

WEB = "http://127.0.0.1:8799"
GMAIL_SEND = "google gmail.users.messages.send"
ENDS = {"start": Stage.COLLECTING, "answers": Stage.WITH_REVIEWERS, "reviewers": Stage.DRAFTED,
        "board": Stage.COMPLETE}
MEETING = dt.date(2026, 12, 18)
WORKERS = 2  # the machine's cores: each crash point is two processes run one after the other


@pytest.fixture(scope="module")
def servers() -> Iterator[queue.Queue]:
    """One fork server per worker, each lent to one crash point at a time."""
    started = [ForkServer() for _ in range(WORKERS)]
    idle: queue.Queue = queue.Queue()
    for server in started:
        idle.put(server)
    yield idle
    for server in started:
        server.close()


# -- phases ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Phase:
    name: str
    snapshot: Snapshot
    effects: list[str]  # the side effects of the uninterrupted run, in order
    outcome: Outcome  # what it left
    raw: dict  # the board configuration, without where the copy is
    review: Review


def reference_phase(name: str, site: Site, where: Path) -> Phase:
    """Keep the state the phase begins with, then run it uninterrupted."""
    before = snapshot(site, where)
    ran = reference_run(site)
    assert ran.returncode == 0 and f"{REVIEW}: {ENDS[name]}" in ran.output, ran.output[-2000:]
    store = site.store()
    review = store.get_review(REVIEW)
    store.close()
    return Phase(name, before, ran.effects, outcome(site), site.raw, review)


def crash_at(phase: Phase, number: int, root: Path, server: ForkServer) -> list[str]:
    """Kill the phase's run just after its side effect `number`, run `scr advance` once: what went wrong."""
    site = phase.snapshot.restore(root, phase.raw)
    try:
        killed = server.run(site, number)
        if killed.returncode != -signal.SIGKILL:
            return [f"the run was to be killed but ended with {killed.returncode}: {killed.output[-1500:]}"]
        problems = [] if killed.effects == phase.effects[:number] else ["the run did not retrace the reference"]
        resent = site.emu.state.sent[-1] if site.emu is not None and phase.effects[number - 1] == GMAIL_SEND else None
        again = server.run(site, None)
        if again.returncode != 0 or not (f"{REVIEW}: {ENDS[phase.name]}" in again.output or (
                ENDS[phase.name] is Stage.COMPLETE and "No open reviews." in again.output)):
            problems.append(f"the next `scr advance` did not take the review to {ENDS[phase.name]}: "
                            f"{again.output[-1500:]}")
        got, expected = outcome(site), phase.outcome
        if resent is not None and got.messages != expected.messages:  # Gmail's at-least-once window, no wider
            twice = (*expected.messages, sent(resent["to"][0], resent["subject"]))
            expected = Outcome(**{**expected.__dict__, "messages": tuple(sorted(twice))})
        problems += got.differences(expected)
        if site.emu is not None:
            problems += site.emu.emulator_errors()
        return problems
    finally:
        if site.emu is not None:
            site.emu.stop()
        shutil.rmtree(root, ignore_errors=True)


def crash_after_each_effect(phase: Phase, work: Path, servers: queue.Queue) -> None:
    def crash(number: int) -> list[str]:
        server = servers.get()
        try:
            return crash_at(phase, number, work / f"crash-{number}", server)
        finally:
            servers.put(server)

    numbers = range(1, len(phase.effects) + 1)
    with ThreadPoolExecutor(WORKERS) as pool:
        found = list(pool.map(crash, numbers))
    failures = [f"killed after effect {n} ({phase.effects[n - 1]}): {'; '.join(problems)}"
                for n, problems in zip(numbers, found, strict=True) if problems]
    assert not failures, "\n".join(failures)


def sent_to(outcome: Outcome, subject: str) -> list[str]:
    return [to for to, about in outcome.messages if subject in about]


def demo_answers(review: Review) -> tuple[list[str], dict[str, dict[str, list[str]]]]:
    """The board's agencies as the member form offers them, and what each member submits (by address)."""
    form = load_member_form(ROOT / "forms" / "member-form.yaml")
    agencies = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != OTHER]
    return agencies, {m.email.lower(): member_answers(i, agencies) for i, m in enumerate(review.members)}


def assert_kept_as_submitted(outcome: Outcome, review: Review) -> None:
    """Each member's one version holds what they submitted (compared by digest: no answer in a message)."""
    _, given = demo_answers(review)
    assert [(a[0], a[1], a[2]) for a in outcome.answers] == [(email, 1, False) for email in sorted(given)]
    for email, _, _, kept in outcome.answers:
        assert kept == answers_digest(given[email]), f"the answers kept for {email} are not those submitted"


# -- the local backend ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def local_phases(tmp_path_factory) -> dict[str, Phase]:
    from scr.bootstrap import backend_for
    from scr.entrypoints.webserver import build_app

    base = tmp_path_factory.mktemp("crash-local")
    site = Site(base / "reference", board("local"))
    site.root.mkdir()
    site.write_config()
    create_review(site)
    phases = {"start": reference_phase("start", site, base / "start")}

    runtime = Runtime.from_config(load_board_config(site.config))
    web = TestClient(build_app(runtime), base_url=WEB)
    _, given = demo_answers(backend_for(runtime).store.get_review(REVIEW))
    links = personal_links(site, "/f/")
    assert sorted(links) == sorted(given)
    for email, fields in given.items():
        assert submit(web, links[email], fields).status_code == 200
    backend_for(runtime).store.close()  # a copy is taken next: SQLite's locks do not survive another open file
    phases["answers"] = reference_phase("answers", site, base / "answers")

    for number, link in enumerate(personal_links(site, "/r/").values()):
        assert submit(web, link, REVIEWER_COMMENTS[number]).status_code == 200
        assert submit(web, f"{link}/complete", page=link).status_code == 200
    backend_for(runtime).store.close()
    phases["reviewers"] = reference_phase("reviewers", site, base / "reviewers")

    (board_link,) = personal_links(site, "/b/").values()
    assert record_board_decisions(web, board_link, MEETING).status_code == 200
    backend_for(runtime).store.close()
    phases["board"] = reference_phase("board", site, base / "board")
    return phases


def personal_links(site: Site, kind: str) -> dict[str, str]:
    found = {}
    for message in read_outbox(site.root / "OUT" / REVIEW / "outbox"):
        link = re.search(rf"http://\S+{kind}\S+", message.get_content())
        if link:
            found[message["To"].addresses[0].addr_spec.lower()] = link.group(0)
    return found


def test_the_uninterrupted_local_runs_do_what_each_phase_is_for(local_phases):
    start, answers, reviewers, agreed = (local_phases[p].outcome for p in ENDS)
    assert sorted(to.split("@")[0] for to in sent_to(start, "your input")) == sorted(MEMBERS)
    assert start.links and all(opens for _, opens in start.links)
    assert [effect.split("(")[0] for effect in local_phases["start"].effects].count("mailer.send") == len(MEMBERS)
    assert_kept_as_submitted(answers, local_phases["answers"].review)
    assert len(sent_to(answers, "factor summary is ready")) == 2
    assert {"factor-summary.md", "factor-summary.docx"} <= set(answers.documents)
    assert reviewers.reviewers and all(r[3] for r in reviewers.reviewers)
    assert set(reviewers.documents) == {f"{name}.{suffix}" for suffix in ("md", "docx") for name in
                                        ("factor-summary", "terms-of-reference-draft", "qm6-evidence")}
    assert len(sent_to(reviewers, "ready for the safeguarding partnership's decision")) == 1
    assert set(agreed.documents) == {f"{name}.{suffix}" for suffix in ("md", "docx") for name in
                                     ("factor-summary", "terms-of-reference-draft", "terms-of-reference",
                                      "qm6-evidence")}
    assert len(sent_to(agreed, "terms of reference are agreed")) == len(MEMBERS) + 2
    assert agreed.rationale != reviewers.rationale, "the agreed rationale gives the board's reasons"
    assert agreed.rationale and max(Counter(agreed.messages).values()) == 1


@pytest.mark.parametrize("phase", list(ENDS))
def test_local_run_killed_after_each_side_effect_ends_as_if_never_killed(local_phases, phase, tmp_path, servers):
    crash_after_each_effect(local_phases[phase], tmp_path, servers)


# -- Google -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def google_phases(tmp_path_factory) -> dict[str, Phase]:
    base = tmp_path_factory.mktemp("crash-google")
    with GoogleEmulator(seed=14) as emu:
        folder = emu.build("drive", "v3").files().create(
            body={"name": "Reviews", "mimeType": "application/vnd.google-apps.folder"}, fields="id").execute()["id"]
        site = Site(base / "reference", board("google", folder), emu)
        site.root.mkdir()
        site.write_config()
        create_review(site)
        phases = {"start": reference_phase("start", site, base / "start")}

        store = site.store()
        review = store.get_review(REVIEW)
        people = GooglePeople(emu, store, review, load_member_form(ROOT / "forms" / "member-form.yaml"),
                              SystemClock(), GooglePlan(unknown_answers=False))
        for member in review.members:
            people.answer(member.email.lower())
        store.close()  # a copy is taken next: SQLite's locks do not survive another open file
        phases["answers"] = reference_phase("answers", site, base / "answers")
        for number, reviewer in enumerate(review.lead_reviewers):
            people.comment_on_summary(number, reviewer)
        store.close()
        phases["reviewers"] = reference_phase("reviewers", site, base / "reviewers")
        store = site.store()
        record = samples.board_record(review, load_member_form(ROOT / "forms" / "member-form.yaml"),
                                      samples.reviewer_form(), store.reviewer_inputs(REVIEW))
        store.save_decision_record(record)
        store.close()
        phases["board"] = reference_phase("board", site, base / "board")
        assert emu.emulator_errors() == []
    return phases


def test_the_uninterrupted_google_runs_do_what_each_phase_is_for(google_phases):
    start, answers, reviewers, agreed = (google_phases[p].outcome for p in ENDS)
    assert len(start.forms) == 1 and start.forms[0][1] > 0 and start.forms[0][2]
    assert sorted(to.split("@")[0] for to in sent_to(start, "your input")) == sorted(MEMBERS)
    # no member here has a Google account: Drive invites each to make one, and the business manager is told once
    assert google_phases["start"].effects.count(GMAIL_SEND) == len(MEMBERS) + 1
    assert len(sent_to(start, "cannot open the form yet")) == 1
    assert_kept_as_submitted(answers, google_phases["answers"].review)
    copies = [d for d in answers.documents if d.startswith("factor-summary-for-")]  # one per lead reviewer
    assert len(copies) == 2 and len(sent_to(answers, "factor summary is ready")) == 2
    assert [d for d in answers.documents if d not in copies] == ["factor-summary"]
    assert sorted(reviewers.documents) == sorted(
        ["factor-summary", "qm6-evidence", "terms-of-reference-draft", *copies])
    assert reviewers.reviewers and all(r[3] for r in reviewers.reviewers)
    assert sorted(agreed.documents) == sorted(["factor-summary", "qm6-evidence", "terms-of-reference",
                                               "terms-of-reference-draft", *copies])
    assert agreed.forms == ((start.forms[0][0], start.forms[0][1], False),)
    assert len(agreed.shared) == len(set(agreed.shared)) > 0
    assert any(kind == "terms-of-reference" and role == "reader" for kind, _, role in agreed.shared), \
        "the agreed terms of reference are shared with the members, to read"
    assert agreed.rationale and max(Counter(agreed.messages).values()) == 1


@pytest.mark.parametrize("phase", list(ENDS))
def test_google_run_killed_after_each_side_effect_ends_as_if_never_killed(google_phases, phase, tmp_path, servers):
    crash_after_each_effect(google_phases[phase], tmp_path, servers)
