"""Simulated people on Google Workspace: they read their Gmail (in the emulator) and answer the Google Form
or comment on the summary's Google Doc through the emulator's hooks, as they would in Google's own pages."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from scr.demo.answers import member_answers
from scr.domain.forms import OTHER, MemberForm
from scr.domain.model import Review
from scr.ports import Clock, ReviewStore

UNKNOWN = "someone.else@elsewhere.example.org"
STRANGER = "pat.stranger@northshire-lscb.example.org"


@dataclass
class GooglePlan:
    revise: set[str] = field(default_factory=set)
    after_reminder: set[str] = field(default_factory=set)
    late: set[str] = field(default_factory=set)  # answers once the deadline-passed message has gone out
    edit: set[str] = field(default_factory=set)  # edits their submitted response (same response id)
    unknown_answers: bool = True  # someone the form was shared with by hand, not a member, answers
    stranger_comments: bool = True  # someone who reached a reviewer's copy through the folder comments on it


class GooglePeople(threading.Thread):
    def __init__(self, emu, store: ReviewStore, review: Review, form: MemberForm, clock: Clock, plan: GooglePlan,
                 decide: Callable[[], object] | None = None):
        """``decide``: what the business manager does when asked for the board's decisions (on Google, there
        is no local web page: `scr decide`, which records through the same service)."""
        super().__init__(name="google-people", daemon=True)
        self.emu, self.store, self.review, self.form, self.clock, self.plan = emu, store, review, form, clock, plan
        self.decide = decide
        self.agency_values = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != OTHER]
        self.errors: list[str] = []
        self.done: set[str] = set()
        self.responses: dict[str, str] = {}  # member's address -> their response id
        emu.add_accounts({p.email: p.name for p in [*review.members, *review.lead_reviewers]})
        self._stop_event = threading.Event()
        self._seen = 0

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)

    def run(self) -> None:
        while not self._stop_event.is_set():
            messages = self.emu.sent_messages()
            for message in messages[self._seen:]:
                try:
                    self._act_on(message)
                except Exception as exc:  # reported by the test, never swallowed
                    self.errors.append(f"{message['subject']}: {type(exc).__name__}: {exc}")
            self._seen = len(messages)
            self._stop_event.wait(0.02)

    def _act_on(self, message: dict) -> None:
        to, subject = message["to"][0].lower(), message["subject"]
        reviewer = self.review.reviewer(to)
        if reviewer is not None and "factor summary is ready" in subject:
            self.comment_on_summary(self.review.lead_reviewers.index(reviewer), reviewer)
        elif to == self.review.business_manager.email.lower() and "decision" in subject and self.decide:
            self.decide()
        elif to == self.review.business_manager.email.lower() and "deadline" in subject:
            for email in sorted(self.plan.late):
                self.answer(email)
        elif self.review.member(to) is not None and to not in self.done and to not in self.plan.late:
            if to in self.plan.after_reminder and "Reminder:" not in subject:
                return
            self.answer(to)
            if to in self.plan.revise:
                self.answer(to, revised=True)
            if to in self.plan.edit:
                self.answer(to, revised=True, edit=True)
            if self.plan.unknown_answers and len(self.done) == 3:
                form_id = self.store.google_form(self.review.review_id).form_id
                self.emu.share(form_id, UNKNOWN, "reader", view="published")  # by hand, in Forms' UI
                self.answer(UNKNOWN, index=0)

    def answer(self, email: str, revised: bool = False, index: int | None = None, edit: bool = False) -> None:
        """`email` submits the Google Form with the demo answers of member `index` (theirs by default), or
        with `edit` changes the response they submitted."""
        form = self.store.google_form(self.review.review_id)
        emails = [m.email.lower() for m in self.review.members]
        fields = member_answers(emails.index(email) if index is None else index, self.agency_values)
        if revised:
            fields["A3.choice"] = ["silp"]
        answers = self._by_question(form.questions, fields)
        if edit:
            self.emu.edit_response(form.form_id, self.responses[email], answers, self.clock.now())
        else:
            self.responses[email] = self.emu.add_response(form.form_id, email, answers,
                                                          self.clock.now())["responseId"]
        self.done.add(email)

    def _by_question(self, questions: dict, fields: dict) -> dict[str, list[str]]:
        answers = {}
        for question_id, (item_id, part) in questions.items():
            item = self.form.item(item_id)
            if part == "rating" and fields.get(f"{item_id}.rating"):
                answers[question_id] = [self.form.scale_label(fields[f"{item_id}.rating"][0])]
            elif part in ("choice", "choices") and fields.get(f"{item_id}.choice"):
                labels = {o.value: o.label for o in self.form.options_for(item, self.review.agencies)}
                answers[question_id] = [labels[v] for v in fields[f"{item_id}.choice"]]
            elif part == "comment" and fields.get(f"{item_id}.comment"):
                answers[question_id] = fields[f"{item_id}.comment"]
        return answers

    def comment_on_summary(self, number: int, reviewer) -> None:
        """Lead reviewer `number` comments on their own copy of the factor summary and marks their review complete
        (the link in their email is their copy)."""
        file_id = self.store.google_reviewer_copies(self.review.review_id)[reviewer.email.lower()].file_id
        say = lambda text, quoted=None: self.emu.add_comment(  # noqa: E731
            file_id, reviewer.email, reviewer.name, text, quoted, self.clock.now())
        if self.plan.stranger_comments and number == 0:
            folder = self.emu.state.files[file_id]["parents"][0]
            self.emu.share(folder, STRANGER, "commenter")  # the folder is shared with a colleague
            self.emu.add_comment(file_id, STRANGER, "Pat Stranger", "COMPLETE", None, self.clock.now())
        if number == 0:
            say("Agree this is central; the screening of referrals needs looking at.", self.form.item("B2").label)
            say("Proposed change: Learning Together with a staged start, practitioner conversations after "
                "the charging decision.", self.form.item("A3").label)
            say("COMPLETE, no further comments.")
        else:
            comment = say("The 2024 review's findings should be the starting point.", self.form.item("C1").label)
            self.emu.add_reply(file_id, comment["id"], reviewer.email, reviewer.name, "COMPLETE - thank you.",
                               None, self.clock.now())


def doc_text(emu, url: str) -> str:
    """The text of the Google Doc at `url` in the emulator, tables included."""
    file_id = url.split("/d/", 1)[1].split("/", 1)[0]
    document = emu.build("docs", "v1").documents().get(documentId=file_id).execute()

    def text(content):
        out = []
        for element in content:
            for run in (element.get("paragraph") or {}).get("elements", []):
                out.append((run.get("textRun") or {}).get("content", ""))
            for row in (element.get("table") or {}).get("tableRows", []):
                for cell in row.get("tableCells", []):
                    out.append(text(cell.get("content", [])))
        return "".join(out)

    return text(document["body"]["content"])
