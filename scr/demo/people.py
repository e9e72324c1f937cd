"""Simulated people for the demo: they read their messages in the outbox and follow their links over HTTP,
exactly as a board member's or a lead reviewer's browser would."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx

from scr.demo.answers import (
    BOARD_AGREED_BY,
    BOARD_CHOICES,
    BOARD_REASONS,
    BOARD_TAKES,
    REVIEWER_COMMENTS,
    member_answers,
)
from scr.demo.browser import form_fields

LINK = re.compile(r"https?://[^\s/]+/(?P<kind>[frb])/[A-Za-z0-9_-]+")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def with_form_token(page_html: str, fields: dict) -> dict:
    """The fields a browser posts: what was typed, plus the form's hidden anti-forgery token."""
    found = CSRF.search(page_html)
    return {**fields, "csrf": found.group(1)} if found else dict(fields)


def record_board_decisions(http, link: str, meeting: dt.date):
    """The business manager after the board's meeting, on their page: keeps the pre-filled options and factors
    (choosing where the page pre-selects none), writes the board's reasons, says how each lead reviewer's
    proposal was taken, and records. ``http`` is an httpx client (or Starlette's TestClient)."""
    opened = http.get(link)
    if opened.status_code != 200:
        return opened
    fields = form_fields(opened.text)
    fields |= {"meeting_date": [meeting.isoformat()], "agreed_by": [BOARD_AGREED_BY]}
    fields |= {f"{item}.reasons": [text] for item, text in BOARD_REASONS.items()}
    fields |= {f"{item}.option": [value] for item, value in BOARD_CHOICES.items() if f"{item}.option" not in fields}
    for name in re.findall(r'name="(A\d\.taken\.[^"]+)"', opened.text):
        item, _, key = name.partition(".taken.")
        taken, reason = BOARD_TAKES.get(key.partition(".")[0], ("adopted", ""))
        fields |= {name: [taken], f"{item}.reason.{key}": [reason]}
    return http.post(link, data=fields, follow_redirects=True)


@dataclass
class Plan:
    """Who does what. Members not named answer when invited."""

    after_reminder: set[str] = field(default_factory=set)
    revise: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)


class DemoPeople(threading.Thread):
    """Acts on every new message in the outbox until stopped; records the time of the last input."""

    def __init__(self, outbox: Path, member_order: list[str], agency_values: list[str], plan: Plan, seed: int):
        super().__init__(name="scr-demo-people", daemon=True)
        self.outbox, self.plan, self.seed = outbox, plan, seed
        self.member_order = [e.lower() for e in member_order]
        self.agency_values = agency_values
        self.http = httpx.Client(follow_redirects=True, timeout=30)
        self.errors: list[str] = []
        self.last_input_at = 0.0
        self.answered: set[str] = set()
        self._seen: set[str] = set()
        self._reviewers = 0
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)
        self.http.close()

    def run(self) -> None:
        while not self._stop_event.is_set():
            for path in sorted(self.outbox.glob("*.eml")) if self.outbox.exists() else []:
                if path.name not in self._seen:
                    self._seen.add(path.name)
                    try:
                        self._act_on(path)
                    except Exception as exc:  # reported by the demo after the run, never swallowed
                        self.errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
            self._stop_event.wait(0.02)

    def _act_on(self, path: Path) -> None:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        to = message["To"].addresses[0].addr_spec.lower()
        found = LINK.search(message.get_body(preferencelist=("plain",)).get_content())
        if not found:
            return
        link = found.group(0)
        if found.group("kind") == "b":
            self._record_board_decisions(link, message["Date"].datetime.date())
        elif found.group("kind") == "r":
            self._review(link)
        elif to not in self.answered and to not in self.plan.silent:
            is_reminder = "remind" in str(message["Subject"]).lower() or "-reminder-" in path.name
            if to in self.plan.after_reminder and not is_reminder:
                return
            self._answer(link, to)

    def _answer(self, link: str, email: str) -> None:
        index = self.member_order.index(email)
        fields = member_answers(index, self.agency_values, self.seed)
        self._post(link, fields)
        self.answered.add(email)
        if email in self.plan.revise:
            fields["A3.choice"] = ["silp"]
            self._post(link, fields)

    def _review(self, link: str) -> None:
        comments = REVIEWER_COMMENTS[self._reviewers % len(REVIEWER_COMMENTS)]
        self._reviewers += 1
        self._post(link, comments)
        self._post(f"{link}/complete", {}, page=link)

    def _record_board_decisions(self, link: str, meeting: dt.date) -> None:
        self._ok(record_board_decisions(self.http, link, meeting))
        self.last_input_at = time.time()

    def _post(self, url: str, fields: dict, page: str | None = None) -> None:
        """Open the page, as a person does, then post the form with its hidden token."""
        opened = self.http.get(page or url)
        self._ok(opened)
        self._ok(self.http.post(url, data=with_form_token(opened.text, fields)))
        self.last_input_at = time.time()

    @staticmethod
    def _ok(response: httpx.Response) -> None:
        if response.status_code != 200:
            raise RuntimeError(f"{response.request.method} {response.url.path[:3]}... answered "
                               f"{response.status_code}")
