"""The crash-point test's tools: copies of a review's state, runs of `scr advance` on them, and what a run left.

A `Site` is one copy of a review (its store, documents and outbox, a board configuration pointing there, and
on Google an emulator holding its form, Docs and sent mail); a `Snapshot` keeps a site's state to start copies
from. Runs are processes: `reference_run` starts one as cron would; a `ForkServer` forks each run from a
process that has imported the product once. An `Outcome` says what a run left in words that can be compared
and printed: names, counts and digests, never what anyone wrote.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from scr.backends.google.documents import document_url
from scr.backends.local.outbox import read_outbox
from scr.config import load_board_config, review_from_config
from scr.domain.model import ItemAnswer
from scr.store.store import SqlStore
from tests.flows.crashing_advance import PREFIX
from tests.flows.google_people import doc_text
from tests.google_emulator import GoogleEmulator
from tests.google_emulator.state import State

ROOT = Path(__file__).resolve().parents[2]
REVIEW = "SCR-2026-014"
MEMBERS = ("helen.okafor", "sarah.blake", "angela.moss", "lucy.chen")  # one member from each of four agencies
DOC = "application/vnd.google-apps.document"
ENV = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME", "/tmp/scr-crash-points-prefect")}
# a deadline in a subject: wall clock time, with its weekday
MOMENT = re.compile(r"([A-Z][a-z]+day )?\d{1,2} [A-Z][a-z]+ \d{4}(, \d{2}:\d{2}| at \d{2}:\d{2})?")


# -- a review's state, copied -------------------------------------------------------------------------
@dataclass
class Site:
    """One copy of a review: a folder with its store, documents and outbox, the board's configuration
    pointing there, and on Google the emulator holding its form, Docs and sent mail."""

    root: Path
    raw: dict
    emu: GoogleEmulator | None = None

    @property
    def config(self) -> Path:
        return self.root / "board.yaml"

    def write_config(self) -> None:
        raw = copy.deepcopy(self.raw)
        raw["local"] = {"data_dir": str(self.root / "data"), "out_dir": str(self.root / "OUT"),
                        "web_host": "127.0.0.1", "web_port": 8799}
        if self.emu is not None:
            raw["google"]["api_root"] = self.emu.origin
        self.config.write_text(yaml.safe_dump(raw))

    def store(self) -> SqlStore:
        return SqlStore.for_data_dir(self.root / "data")


@dataclass(frozen=True)
class Snapshot:
    """The state a phase began with: the store and files, and what the emulated Google held."""

    files: Path
    google: State | None

    def restore(self, root: Path, raw: dict) -> Site:
        for part in ("data", "OUT"):
            if (self.files / part).exists():
                shutil.copytree(self.files / part, root / part)
        emu = GoogleEmulator(state=self.google.copy()).start() if self.google is not None else None
        site = Site(root, raw, emu)
        site.write_config()
        return site


def snapshot(site: Site, where: Path) -> Snapshot:
    for part in ("data", "OUT"):
        if (site.root / part).exists():
            shutil.copytree(site.root / part, where / part)
    return Snapshot(where, site.emu.snapshot() if site.emu is not None else None)


def board(backend: str, folder: str | None = None) -> dict:
    """The example board with four members, its two lead reviewers and its case."""
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["members"] = [m for m in raw["members"] if m["email"].split("@")[0] in MEMBERS]
    raw["backend"] = backend
    if backend == "google":
        raw["google"] = {"credentials": "anonymous", "api_root": "http://127.0.0.1:9", "drive_folder_id": folder,
                         "mail": "gmail", "retry_seconds": 0.001}
    return raw


def create_review(site: Site) -> None:
    """What `scr start` does before it first advances the review."""
    config = load_board_config(site.config)
    store = site.store()
    store.create_review(review_from_config(config), config.deadlines.schedule())
    store.close()


# -- runs -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ran:
    returncode: int
    output: str  # what it printed, stdout and stderr

    @property
    def effects(self) -> list[str]:
        return [line.removeprefix(PREFIX) for line in self.output.splitlines() if line.startswith(PREFIX)]


def reference_run(site: Site) -> Ran:
    """`scr advance` with its side effects listed, not killed: a process of its own, as cron would start it."""
    done = subprocess.run([sys.executable, "-m", "tests.flows.crashing_advance", str(site.config), "0"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=ENV)
    return Ran(done.returncode, done.stdout + done.stderr)


class ForkServer:
    """A process that has imported the product once and forks a fresh process for each run asked of it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.flows.crashing_advance", "--fork-server"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=ENV)

    def run(self, site: Site, kill_after: int | None) -> Ran:
        """`scr advance` killed just after side effect `kill_after`, or (None) `scr advance` as cron runs it."""
        out = site.root / f"run-{kill_after}.out"
        self.process.stdin.write(json.dumps({"config": str(site.config), "kill_after": kill_after,
                                             "out": str(out)}) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, "the fork server stopped"
        return Ran(json.loads(answer)["returncode"], out.read_text())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


# -- what a run left ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What a run left, comparable between runs: names, counts and digests, never what anyone wrote."""

    stage: str
    messages: tuple[tuple[str, str], ...]  # (recipient, subject) of every message sent, sorted
    links: tuple[tuple[str, bool], ...]  # local: (recipient, whether their personal link opens for them)
    documents: tuple[str, ...]  # local: files in the review's folder; Google: each Doc's kind in the folder
    forms: tuple[tuple[str, int, bool], ...]  # Google: (title, items, accepting responses) of every form
    shared: tuple[tuple[str, str, str], ...]  # Google: (document, person, role) of every permission granted
    answers: tuple[tuple[str, int, bool, str], ...]  # (member, version, late, digest of the answers)
    reviewers: tuple[tuple[str, int, int, bool], ...]  # (reviewer, comments, proposals, completed)
    rationale: str  # digest of the ToR's rationale for a proportionate approach ("" before it is drafted)

    def differences(self, expected: Outcome) -> list[str]:
        found = []
        for name in (f.name for f in fields(self)):
            got, wanted = getattr(self, name), getattr(expected, name)
            if got == wanted:
                continue
            if isinstance(got, tuple):
                extra, missing = Counter(got) - Counter(wanted), Counter(wanted) - Counter(got)
                found.append(f"{name}: {sorted(extra.elements())} more, {sorted(missing.elements())} fewer")
            else:
                found.append(f"{name}: {got!r} instead of {wanted!r}")
        return found


def sent(to: str, subject: str) -> tuple[str, str]:
    """Who was sent what: the deadline a subject names depends on when the run began, so it is left out."""
    return to.lower(), MOMENT.sub("<deadline>", subject)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def as_posted(answers: dict[str, ItemAnswer]) -> dict[str, list[str]]:
    """Answers in the shape a browser posts them (``B1.rating``, ``A5.choice``, ``B1.comment`` -> values)."""
    posted: dict[str, list[str]] = {}
    for item, answer in answers.items():
        choices = [answer.choice] if answer.choice else list(answer.choices)
        for part, values in (("rating", [answer.rating] if answer.rating else []), ("choice", choices),
                             ("comment", [answer.comment] if answer.comment else [])):
            if values:
                posted[f"{item}.{part}"] = values
    return posted


def answers_digest(posted: dict[str, list[str]]) -> str:
    """One digest of a member's answers, whichever way they came: the same for the same answers."""
    return digest(json.dumps({key: sorted(values) for key, values in posted.items()}, sort_keys=True))


def from_store(store: SqlStore) -> dict:
    answers = tuple((r.member_email.lower(), r.version, r.late, answers_digest(as_posted(r.answers)))
                    for r in sorted(store.latest_responses(REVIEW), key=lambda r: r.member_email.lower()))
    reviewers = tuple((i.reviewer.email.lower(), len(i.comments), len(i.proposals), i.completed_at is not None)
                      for i in store.reviewer_inputs(REVIEW))
    return {"stage": store.stage(REVIEW).value, "answers": answers, "reviewers": reviewers}


def outcome(site: Site) -> Outcome:
    store = site.store()
    try:
        kept = from_store(store)
        return google_outcome(site, kept) if site.emu is not None else local_outcome(site, store, kept)
    finally:
        store.close()


def local_outcome(site: Site, store: SqlStore, kept: dict) -> Outcome:
    folder = site.root / "OUT" / REVIEW
    mails = read_outbox(folder / "outbox") if (folder / "outbox").exists() else []
    messages = sorted(sent(m["To"].addresses[0].addr_spec, str(m["Subject"])) for m in mails)
    links = []
    for message in mails:
        to = message["To"].addresses[0].addr_spec.lower()
        for token in re.findall(r"http://\S+/[frb]/([A-Za-z0-9_-]+)", message.get_content()):
            grant = store.resolve_token(token)
            links.append((to, grant is not None and grant.email.lower() == to))
    tor = folder / "terms-of-reference.md"  # the agreed ToR, else the draft
    tor = tor if tor.exists() else folder / "terms-of-reference-draft.md"
    rationale = section(tor.read_text(), "## 5. Rationale", "## 6. Scope") if tor.exists() else ""
    return Outcome(
        messages=tuple(messages), links=tuple(sorted(links)), forms=(), shared=(),
        documents=tuple(sorted(p.name for p in folder.iterdir() if p.name != "outbox")) if folder.exists() else (),
        rationale=digest(rationale) if rationale else "", **kept,
    )


def google_outcome(site: Site, kept: dict) -> Outcome:
    state, folder = site.emu.state, site.raw["google"]["drive_folder_id"]
    docs = {i: f for i, f in state.files.items()
            if f["mimeType"] == DOC and folder in f["parents"] and not f["trashed"]}
    kind = {i: f["appProperties"].get("scr_kind", "?") for i, f in docs.items()}
    tor = ([i for i, k in kind.items() if k == "terms-of-reference"]  # the agreed ToR, else the draft
           or [i for i, k in kind.items() if k == "terms-of-reference-draft"])
    rationale = section(doc_text(site.emu, document_url(tor[0])), "Rationale for a proportionate approach",
                        "6. Scope") if len(tor) == 1 else ""
    return Outcome(
        messages=tuple(sorted(sent(m["to"][0], m["subject"]) for m in state.sent)), links=(),
        documents=tuple(sorted(kind.values())),
        forms=tuple(sorted((f["info"]["title"], len(f.get("items", [])),
                            f["publishSettings"]["publishState"]["isAcceptingResponses"])
                           for f in state.forms.values())),
        shared=tuple(sorted((kind.get(c["fileId"], c["fileId"]), c["emailAddress"], c["role"])
                            for c in state.permission_calls)),
        rationale=digest(rationale) if rationale else "", **kept,
    )
