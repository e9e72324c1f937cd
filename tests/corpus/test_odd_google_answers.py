"""Odd answers from the Google APIs (loopback emulator), as the Google backend's channels read them.

Member responses come from Forms (``GoogleFormChannel.collect``), reviewers' comments from Drive
(``GoogleReviewerDocs.collect``), on each reviewer's own copy of the summary; Drive names a comment's author by
display name only, never by address. Whatever shape Google answers with, nothing crashes: a member's answers
are kept as typed, anyone else's are held apart and recorded, what cannot be mapped is recorded as a
problem. No event, held record or problem carries the text that was answered.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scr.backends.google.channels import GoogleFormChannel
from scr.backends.google.comments import GoogleComments
from scr.backends.google.documents import GoogleDocuments
from scr.backends.google.form_layout import FieldRef
from scr.backends.google.forms import GoogleForms
from scr.backends.google.reviewer_docs import GoogleReviewerDocs
from scr.config import load_board_config, review_from_config
from scr.domain.forms import MemberForm, load_member_form, load_reviewer_form
from scr.domain.model import Review
from scr.domain.schedule import Schedule
from scr.rendering import parse_document
from scr.store.store import SqlStore
from tests.corpus.cases import (
    GOOGLE,
    HELD_APART,
    NOTHING,
    REPORTED,
    SECRET,
    VERBATIM,
    VERSIONS,
    Case,
    params,
    unique,
)
from tests.corpus.documents import SummaryText
from tests.google_emulator import GoogleEmulator

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
DEADLINE = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)
HELEN = "helen.okafor@northshire-nhs.example.org"
SARAH = "sarah.blake@northshire-police.example.org"
STRANGER = "curious.person@example.com"
REVIEWER = "jane.whitfield@independent-reviews.example.org"
NAMES = {REVIEWER: "Jane Whitfield", STRANGER: "Curious Person", REVIEWER.upper(): "Jane Whitfield"}
RTL_MIXED = ("\u0627\u0644\u0623\u0645 \u0642\u0627\u0644\u062a "
             "\u00ab\u05dc\u05d0 \u05d9\u05d5\u05d3\u05e2\u05ea\u00bb then \u6bcd\u4eb2\u8bf4 "
             "\u200f\u202eoverride\u202c (\u05e1\u05d5\u05e3)")
HTML_TEMPLATE = "<script>alert(1)</script> <b>bold</b> {{ 7*6007 }} {% raw %}x{% endraw %} &amp;"
HUGE = f"{SECRET} " + "\u05d0\u05d1\u05d2 " * 50_000  # 200,000 characters
SUMMARY = """# Factor summary

Written for the lead reviewers.

## B1: types of strengths and vulnerabilities of the family and carers

Members rated this central.

## A1: the breadth and depth of the investigation

Most members chose a standard review.
"""


@dataclass
class Google:
    """One review on the Google backend's channels, over an emulator, with a fresh store."""

    emu: GoogleEmulator
    store: SqlStore
    review: Review
    form: MemberForm
    forms: GoogleFormChannel
    reviewers: GoogleReviewerDocs
    folder: Path
    doc_id: str = ""

    @property
    def form_id(self) -> str:
        return self.store.google_form(self.review.review_id).form_id

    def qid(self, item_id: str, field: str) -> str:
        questions = self.store.google_form(self.review.review_id).questions
        return next(q for q, ref in questions.items() if FieldRef(*ref) == FieldRef(item_id, field))

    def respond(self, email: str | None, minutes: int = 0, comment: str = "", **answers: Any) -> dict[str, Any]:
        """A response as a person submits it: every factor rated, B1 commented, `answers` by question id."""
        given = {self.qid(f.id, "rating"): self.form.scale[1].label for f in self.form.factors()}
        given |= {self.qid("B1", "comment"): comment} if comment else {}
        return self.emu.add_response(self.form_id, email, given | answers, at=T0 + dt.timedelta(minutes=minutes))

    def collect(self) -> int:
        return self.forms.collect(self.review, self.store.schedule(self.review.review_id))

    def summary_doc(self) -> str:
        """Jane Whitfield's own copy of the factor summary, the Google Doc she comments on."""
        if not self.doc_id:
            urls = self.reviewers.documents.write(self.review.review_id, "factor-summary", parse_document(SUMMARY))
            self.store.set_document(self.review.review_id, "factor-summary", urls, T0)
            self.reviewers.link_for(self.review, self.review.reviewer(REVIEWER), urls)
            self.doc_id = self.store.google_reviewer_copies(self.review.review_id)[REVIEWER].file_id
        return self.doc_id

    def comment(self, email: str, content: str, quoted: str | None, minutes: int = 0) -> dict[str, Any]:
        doc_id = self.summary_doc()
        if email == STRANGER:  # a colleague the folder is shared with reaches the copy through it
            self.emu.share(self.emu.state.files[doc_id]["parents"][0], STRANGER, "commenter")
        return self.emu.add_comment(doc_id, email, NAMES[email], content, quoted, at=T0 + dt.timedelta(minutes=minutes))


@pytest.fixture
def google(tmp_path: Path) -> Iterator[Google]:
    from scr.backends.google.errors import configure_retries

    configure_retries(0.001)
    review = review_from_config(load_board_config(ROOT / "config" / "example-board.yaml"))
    form = load_member_form(ROOT / "forms" / "member-form.yaml")
    store = SqlStore.for_data_dir(tmp_path / "data")
    store.create_review(review, Schedule(response_deadline=DEADLINE))
    with GoogleEmulator(seed=5, clock=lambda: T0) as emu:
        emu.add_accounts({REVIEWER: "Jane Whitfield"})
        drive, docs = emu.build("drive"), emu.build("docs")
        forms = GoogleFormChannel(store, GoogleForms(emu.build("forms")), form)
        folder = drive.files().create(body={"name": "SCR", "mimeType": "application/vnd.google-apps.folder"},
                                      fields="id").execute()["id"]
        reviewers = GoogleReviewerDocs(store, GoogleComments(drive, docs), GoogleDocuments(drive, docs, folder),
                                       load_reviewer_form(ROOT / "forms" / "reviewer-form.yaml"))
        forms.open(review)
        emu.share(store.google_form(review.review_id).form_id, None, "reader", view="published")
        yield Google(emu, store, review, form, forms, reviewers, tmp_path)
        assert emu.emulator_errors() == []
    store.close()
    configure_retries(1.0)


Scenario = Callable[[Google], None]


def case(id: str, outcome: str, scenario: Scenario, **expect: Any) -> Case:
    return Case(id, GOOGLE, outcome, {"scenario": scenario, **expect})


def _no_answers(g: Google) -> None:
    g.respond(HELEN, 0, comment=SECRET)
    later = g.respond(HELEN, 5, comment="to be dropped")
    g.emu.alter_response(g.form_id, later["responseId"], drop=("answers",))


def _unknown_question(g: Google) -> None:
    response = g.respond(HELEN, comment=RTL_MIXED)
    g.emu.alter_response(g.form_id, response["responseId"], raw_answers={"0badc0de": [SECRET]})


def _not_an_option(g: Google) -> None:
    response = g.respond(HELEN, comment=RTL_MIXED)
    g.emu.alter_response(g.form_id, response["responseId"], raw_answers={g.qid("B2", "rating"): [SECRET]})


def _blank_pages_first(g: Google) -> None:
    for n, email in enumerate((HELEN, SARAH, STRANGER)):
        g.respond(email, n, comment=RTL_MIXED)
    g.emu.blank_pages("forms.forms.responses.list", 2)


def _read_twice(g: Google) -> None:
    g.respond(HELEN, 0, comment=SECRET)
    g.respond(HELEN, 5, comment=RTL_MIXED)
    g.collect()
    g.store.update_google_form(g.review.review_id, responses_since=None)  # read it all again: a lost checkpoint


def _no_submitted_time(g: Google) -> None:
    response = g.respond(HELEN, comment=RTL_MIXED)
    g.emu.alter_response(g.form_id, response["responseId"], drop=("lastSubmittedTime",))


def _no_time_at_all(g: Google) -> None:
    response = g.respond(HELEN, comment=RTL_MIXED)
    g.emu.alter_response(g.form_id, response["responseId"], drop=("lastSubmittedTime", "createTime"))


def _reply_by_someone_else(g: Google) -> None:
    comment = g.comment(REVIEWER, RTL_MIXED, "Members rated this central.")
    g.comment(STRANGER, "warm-up", None)  # gives the stranger access through the folder
    g.emu.add_reply(g.summary_doc(), comment["id"], STRANGER, NAMES[STRANGER], SECRET, at=T0 + dt.timedelta(minutes=1))


def _by_the_tool_itself(g: Google) -> None:
    g.emu.build("drive").comments().create(fileId=g.summary_doc(), fields="id", body={"content": SECRET}).execute()


RESPONSES = [
    case("response-without-respondent-email", HELD_APART, lambda g: g.respond(None, comment=SECRET),
         held=["(no address)"], versions={}),
    case("responses-from-unknown-respondents", HELD_APART,
         lambda g: [g.respond(STRANGER, 0, comment=SECRET), g.respond(HELEN, 1, comment=RTL_MIXED),
                    g.respond(STRANGER.upper(), 2, comment=SECRET)],
         held=[STRANGER, STRANGER.upper()], versions={HELEN: 1}, latest={HELEN: RTL_MIXED}),
    case("response-without-answers", VERSIONS, _no_answers, versions={HELEN: 2}, latest={HELEN: ""}),
    case("answer-to-an-unknown-question-id", REPORTED, _unknown_question, versions={HELEN: 1},
         latest={HELEN: RTL_MIXED}, problems=["1 answer(s) to questions this review did not create were ignored"]),
    case("answer-not-among-the-options", REPORTED, _not_an_option, versions={HELEN: 1}, latest={HELEN: RTL_MIXED},
         problems=["B2: the answer is not one of the options the form offers"]),
    case("empty-pages-before-the-responses", VERBATIM, _blank_pages_first, versions={HELEN: 1, SARAH: 1},
         held=[STRANGER], latest={HELEN: RTL_MIXED, SARAH: RTL_MIXED}, requests=3),
    case("page-token-with-no-items", NOTHING, lambda g: g.emu.blank_pages("forms.forms.responses.list"),
         versions={}, requests=2),
    case("duplicate-responses-from-one-member", VERSIONS, _read_twice, versions={HELEN: 2},
         latest={HELEN: RTL_MIXED}),
    case("huge-text-answer", REPORTED, lambda g: g.respond(HELEN, comment=HUGE), versions={},
         problems=[f"B1: the answer (comment) is {len(HUGE.strip()):,} characters, over the 5,000 every form allows; "
                   "this response was not saved: ask the member to shorten it in the form and submit again"]),
    case("other-text-one-over-the-limit", REPORTED,
         lambda g: g.respond(SARAH, comment=SECRET, **{g.qid("A1", "choice"): "x" * 5001}), versions={},
         problems=["A1: the answer (other) is 5,001 characters, over the 5,000 every form allows; this response "
                   "was not saved: ask the member to shorten it in the form and submit again"]),
    case("text-exactly-at-the-limit", VERBATIM, lambda g: g.respond(HELEN, comment=SECRET + "q" * 4968),
         versions={HELEN: 1}, latest={HELEN: SECRET + "q" * 4968}),
    case("rtl-and-mixed-scripts", VERBATIM,
         lambda g: g.respond(HELEN, comment=RTL_MIXED, **{g.qid("A1", "choice"): RTL_MIXED}),
         versions={HELEN: 1}, latest={HELEN: RTL_MIXED}, other=RTL_MIXED),
    case("html-and-template-syntax", VERBATIM, lambda g: g.respond(HELEN, comment=HTML_TEMPLATE),
         versions={HELEN: 1}, latest={HELEN: HTML_TEMPLATE}, documents=True),
    case("response-without-submitted-time", VERBATIM, _no_submitted_time, versions={HELEN: 1},
         latest={HELEN: RTL_MIXED}),
    case("response-without-any-time", REPORTED, _no_time_at_all, versions={HELEN: 1}, latest={HELEN: RTL_MIXED},
         problems=["a response came without a submission time; kept with the time it was read"]),
]

COMMENTS = [
    case("comment-by-someone-else-on-a-reviewers-copy", HELD_APART,
         lambda g: g.comment(STRANGER, SECRET, "Members rated this central."), comments={}, not_counted=[None]),
    case("reply-by-someone-else-on-a-reviewers-copy", HELD_APART, _reply_by_someone_else,
         comments={"B1": [RTL_MIXED]}, not_counted=[None, None]),
    case("comment-by-the-tools-own-account", NOTHING, _by_the_tool_itself, comments={}, not_counted=[]),
    case("comment-without-quoted-content", VERBATIM, lambda g: g.comment(REVIEWER, RTL_MIXED, None),
         comments={"general": [RTL_MIXED]}),
    case("comment-anchored-nowhere", VERBATIM,
         lambda g: g.comment(REVIEWER.upper(), HTML_TEMPLATE, "text that is in no section of the summary"),
         comments={"general": [HTML_TEMPLATE]}),
    case("huge-comment-on-a-decision", VERBATIM,
         lambda g: g.comment(REVIEWER, HUGE, "Most members chose a standard review."), comments={"A1": [HUGE]}),
]

CASES = unique(RESPONSES, COMMENTS)


def _nothing_typed_in_events_or_logs(g: Google, logged: str) -> None:
    details = [f"{e.person_email} {e.detail}" for e in g.store.events(g.review.review_id)] + [logged]
    assert not any(SECRET in d or RTL_MIXED in d or "<script>" in d for d in details), details


@pytest.mark.parametrize("case", params(RESPONSES))
def test_a_response_is_kept_held_apart_or_reported_never_lost(case: Case, google: Google, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    g, review_id = google, google.review.review_id
    case.data["scenario"](g)
    g.emu.reset_counts()
    g.collect()
    if "requests" in case.data:
        assert g.emu.counts() == {"forms.forms.responses.list": case.data["requests"]}
    store = g.store
    assert store.response_versions(review_id) == case.data["versions"]
    latest = {r.member_email: r for r in store.latest_responses(review_id)}
    for email, comment in case.data.get("latest", {}).items():
        assert latest[email].answers["B1"].comment == comment
    if "other" in case.data:
        assert (latest[HELEN].answers["A1"].choice, latest[HELEN].answers["A1"].other) == ("other", case.data["other"])
    held = case.data.get("held", [])
    assert [email for email, _ in store.held_responses(review_id)] == held
    assert len(store.events(review_id, "held_apart")) == len(held)
    assert not {h.lower() for h in held} & {e.lower() for e in latest}  # held apart, never merged
    problems = [e.detail for e in store.events(review_id, "form_problem")]
    assert problems == case.data.get("problems", [])
    if case.outcome == NOTHING:
        assert g.collect() == 0 and store.google_form(review_id).responses_since is None
    _nothing_typed_in_events_or_logs(g, caplog.text)
    if case.data.get("documents"):
        document = SummaryText(store, review_id, g.form, g.folder)
        assert document.shows(HTML_TEMPLATE) and "42042" not in document.markdown


@pytest.mark.parametrize("case", params(COMMENTS))
def test_a_comment_is_kept_by_section_or_recorded_as_not_counted(case: Case, google: Google, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    g, review_id = google, google.review.review_id
    case.data["scenario"](g)
    g.reviewers.collect(g.review)
    g.reviewers.collect(g.review)  # a second poll re-reads what changed since: nothing is kept or recorded twice
    [mine, other] = g.store.reviewer_inputs(review_id)
    kept: dict[str, list[str]] = {}
    for comment in mine.comments:
        kept.setdefault(comment.section_id, []).append(comment.text)
    assert kept == case.data["comments"] and not other.comments
    assert mine.completed_at is None and not mine.proposals
    not_counted = g.store.events(review_id, "comment_not_counted")
    assert [e.person_email for e in not_counted] == case.data.get("not_counted", [])
    assert all("not counted" in e.detail and "'Curious Person'" in e.detail for e in not_counted)
    _nothing_typed_in_events_or_logs(g, caplog.text)
