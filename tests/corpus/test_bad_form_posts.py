"""Odd and hostile posts to the local web app's member form and reviewer page.

A post the app cannot accept answers 422 (each problem named next to its field, everything typed shown
again), 403 (a forged or stale post), 404 (a closed link) or 413 (too large), and saves nothing. A post it
accepts keeps the text exactly as typed (control characters aside), shows it escaped on the page and
literally in the documents. No message and no log line carries what was typed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from scr.config import load_board_config, review_from_config
from scr.domain.forms import MemberForm, load_member_form, load_reviewer_form
from scr.domain.model import Review, Role
from scr.domain.schedule import Schedule
from scr.entrypoints.web import create_app
from scr.entrypoints.web.guard import REFUSED as REFUSED_TEXT
from scr.rendering import Renderer
from scr.store.store import SqlStore
from tests.corpus.cases import FORM_POSTS, IGNORED, REFUSED, SECRET, VERBATIM, Case, params, unique
from tests.corpus.documents import SummaryText
from tests.web.conftest import DEADLINE, FixedClock, csrf_of, small_summary, valid_answers

ROOT = Path(__file__).resolve().parents[2]
Fields = dict[str, list[str]]

RTL_MIXED = ("Mother said \u00ab\u0644\u0627 \u0623\u0639\u0631\u0641\u00bb, then \u05d0\u05de\u05d0 "
             "\u05d0\u05de\u05e8\u05d4 \u05e9\u05dc\u05d5\u05dd; \u6bcd\u4eb2\u8bf4\u4e0d\u77e5\u9053 \u200f"
             "\u202eoverride\u202c end \u05e1\u05d5\u05e3")
EMOJI_ZERO_WIDTH = ("Child drew \U0001f469\u200d\U0001f467\u200d\U0001f466 and \U0001f3e0\u200b, "
                    "zero\u200dwidth, \ufeffmark")
CONTROL = "Line one\x00 with NUL,\x07 bell and \x1b[31mescape"
HTML = "<script>alert('x')</script><img src=x onerror=alert(1)> & <b>bold</b> &amp; &lt;"
TEMPLATE = "{{ 7*6007 }} {% raw %}{{ config }}{% endraw %} {# hidden #} ${7*6007} <%= 7*6007 %>"
EVALUATED = "42042"  # what 7*6007 would become if any template evaluated what was typed
LONG = f"{SECRET} {'x' * 6000}"
MARKDOWN = "# Not a heading\n| a | b |\n|---|---|\n**not bold** [link](http://evil.example)\n> not a quote"


def edit(**fields: str | list[str] | None) -> Callable[[Fields], None]:
    """Change a valid post: ``B1__comment="..."`` sets the field B1.comment (a list sends it repeatedly), None
    leaves it out."""
    def apply(post: Fields) -> None:
        for name, value in fields.items():
            key = name.replace("__", ".")
            if value is None:
                post.pop(key, None)
            else:
                post[key] = [value] if isinstance(value, str) else list(value)
    return apply


def member(id: str, outcome: str, change: Callable[[Fields], None], **data) -> Case:
    return Case(id, FORM_POSTS, outcome, {"page": "member", "change": change, **data})


def reviewer(id: str, outcome: str, fields: dict[str, str | list[str]], **data) -> Case:
    posted = {name: [value] if isinstance(value, str) else value for name, value in fields.items()}
    return Case(id, FORM_POSTS, outcome, {"page": "reviewer", "fields": posted, **data})


MEMBER_REFUSALS = [
    member("missing-required-rating", REFUSED, edit(B2__rating=None, B1__comment=SECRET), status=422,
           problem=("B2-rating", "B2: choose how much this factor should weigh")),
    member("rating-outside-the-scale", REFUSED, edit(B1__rating="11", B1__comment=SECRET), status=422,
           problem=("B1-rating", "B1: choose one of the options shown.")),
    member("unknown-option-value", REFUSED, edit(A1__choice="nuclear_option", B1__comment=SECRET), status=422,
           problem=("A1-choice", "A1: choose from the options shown.")),
    member("rating-sent-twice-with-two-values", REFUSED, edit(B1__rating=["central", "minor"], B1__comment=SECRET),
           status=422, problem=("B1-rating", "B1: choose one of the options shown.")),
    member("single-choice-sent-twice", REFUSED, edit(A1__choice=["focused", "standard"], B1__comment=SECRET),
           status=422, problem=("A1-choice", "A1: choose only one of the options shown.")),
    member("answer-over-5000-characters", REFUSED, edit(B1__comment=LONG), status=422,
           problem=("B1-comment", f"B1: please shorten this to 5000 characters (now {len(LONG)}).")),
    member("three-megabyte-answer", REFUSED, edit(B1__comment=SECRET + "x" * (3 * 1024 * 1024)), status=413,
           says="What you sent was too long, so nothing was saved"),
    member("forged-csrf-token", REFUSED, edit(B1__comment=SECRET), status=403, csrf="0" * 64, says=REFUSED_TEXT),
    member("missing-csrf-token", REFUSED, edit(B1__comment=SECRET), status=403, csrf=None, says=REFUSED_TEXT),
    member("post-from-another-site", REFUSED, edit(B1__comment=SECRET), status=403,
           headers={"Origin": "https://evil.example"}, says=REFUSED_TEXT),
    member("opaque-origin-null-reaching-validation", REFUSED, edit(B2__rating=None, B1__comment=SECRET),
           status=403, headers={"Origin": "null"}, says=REFUSED_TEXT),  # was 422: it reached validation
    member("cross-site-fetch-metadata-with-valid-csrf", REFUSED, edit(B2__rating=None, B1__comment=SECRET),
           status=403, headers={"Sec-Fetch-Site": "cross-site"}, says=REFUSED_TEXT),
    member("closed-link", REFUSED, edit(B1__comment=SECRET), status=404, closed=True, says="Not found"),
]

MEMBER_KEPT = [
    member("rtl-and-mixed-scripts", VERBATIM, edit(B1__comment=RTL_MIXED), kept={"B1.comment": RTL_MIXED}),
    member("other-answer-in-mixed-scripts", VERBATIM, edit(A1__choice="other", A1__other=RTL_MIXED),
           kept={"A1.other": RTL_MIXED}),
    member("emoji-and-zero-width-characters", VERBATIM, edit(B1__comment=EMOJI_ZERO_WIDTH),
           kept={"B1.comment": EMOJI_ZERO_WIDTH}),
    member("nul-and-control-characters-dropped", VERBATIM, edit(B1__comment=CONTROL),
           kept={"B1.comment": "Line one with NUL, bell and [31mescape"}),  # control characters are never meant
    member("html-and-script-tags", VERBATIM, edit(B1__comment=HTML), kept={"B1.comment": HTML}),
    member("jinja-and-template-syntax", VERBATIM, edit(B1__comment=TEMPLATE), kept={"B1.comment": TEMPLATE}),
    member("markdown-syntax", VERBATIM, edit(B1__comment=MARKDOWN), kept={"B1.comment": MARKDOWN}),
    member("comment-sent-twice-keeps-both", VERBATIM, edit(B1__comment=[SECRET, RTL_MIXED]),
           kept={"B1.comment": f"{SECRET}\n\n{RTL_MIXED}"}),
    member("unknown-field-names", IGNORED, edit(Z9__rating="central", B1__colour=SECRET, evil=SECRET),
           kept={}),
]

REVIEWER_CASES = [
    reviewer("reviewer-comment-sent-twice-keeps-both", VERBATIM, {"comment.general": [SECRET, RTL_MIXED]},
             kept={"general": f"{SECRET}\n\n{RTL_MIXED}"}),
    reviewer("reviewer-html-and-template-comment", VERBATIM, {"comment.B1": HTML + " " + TEMPLATE},
             kept={"B1": HTML + " " + TEMPLATE}),
    reviewer("reviewer-rtl-proposal", VERBATIM, {"proposal.scope": RTL_MIXED}, kept={"proposal:scope": RTL_MIXED}),
    reviewer("reviewer-comment-on-unknown-section", IGNORED, {"comment.Z9": SECRET, "comment.B1": RTL_MIXED},
             kept={"B1": RTL_MIXED}),
    reviewer("reviewer-comment-too-long", REFUSED, {"comment.B1": SECRET + "y" * 6000}, status=422,
             problem=("comment-B1", "Your comment on B1: please shorten this to 5000 characters")),
    reviewer("reviewer-types-then-completes", VERBATIM, {"comment.B1": RTL_MIXED, "proposal.scope": SECRET,
                                                          "complete": "1"},
             kept={"B1": RTL_MIXED, "proposal:scope": SECRET}, completed=True),
    reviewer("reviewer-old-complete-route-with-text", VERBATIM, {"comment.general": HTML}, complete=True,
             kept={"general": HTML}, completed=True),
    reviewer("reviewer-complete-from-an-opaque-origin", REFUSED, {"comment.B1": SECRET}, status=403, complete=True,
             headers={"Origin": "null"}, says=REFUSED_TEXT),
    reviewer("reviewer-complete-without-token", REFUSED, {}, status=403, complete=True, csrf=None, says=REFUSED_TEXT),
]

CASES = unique(MEMBER_REFUSALS, MEMBER_KEPT, REVIEWER_CASES)


@dataclass
class App:
    store: SqlStore
    review: Review
    form: MemberForm
    client: TestClient
    folder: Path

    def url(self, case: Case) -> str:
        if case.data["page"] == "member":
            return f"/f/{self.store.issue_token(self.review.review_id, self.review.members[0].email, Role.MEMBER)}"
        token = self.store.issue_token(self.review.review_id, self.review.lead_reviewers[0].email, Role.REVIEWER)
        return f"/r/{token}"

    def post(self, case: Case, url: str, fields: Fields):
        """Post as a browser does (the page's own csrf field), unless the case sends another or none."""
        csrf = case.data.get("csrf", csrf_of(self.client.get(url).text))
        if case.data.get("closed"):
            self.store.close_tokens(self.review.review_id, Role.MEMBER)
        data = {**fields, **({"csrf": csrf} if csrf is not None else {})}
        target = url + ("/complete" if case.data.get("complete") else "")
        return self.client.post(target, data=data, headers=case.data.get("headers", {}))


@pytest.fixture
def app(tmp_path: Path):
    store = SqlStore.for_data_dir(tmp_path / "data")
    review = review_from_config(load_board_config(ROOT / "config" / "example-board.yaml"))
    store.create_review(review, Schedule(response_deadline=DEADLINE))
    clock = FixedClock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    form = load_member_form(ROOT / "forms" / "member-form.yaml")
    web = create_app(store, form, load_reviewer_form(ROOT / "forms" / "reviewer-form.yaml"), clock, Renderer(),
                     lambda _id: small_summary(review))
    with TestClient(web) as client:
        yield App(store, review, form, client, tmp_path)
    store.close()


def _member_post(app: App, case: Case) -> Fields:
    fields = valid_answers(app.form, app.review)
    case.data["change"](fields)
    return fields


def _error_messages(html: str) -> dict[str, str]:
    """The problem shown next to each field, by the field's id."""
    found = re.findall(r'<p class="error-message" id="([\w-]+)-error"><span class="visually-hidden">Error: </span>'
                       r"(.*?)</p>", html)
    return dict(found)


def _nothing_saved(app: App) -> None:
    review_id = app.review.review_id
    assert app.store.latest_responses(review_id) == []
    inputs = app.store.reviewer_inputs(review_id)
    assert all(not i.comments and not i.proposals and i.completed_at is None for i in inputs)


@pytest.mark.parametrize("case", params([c for c in CASES if c.outcome == REFUSED]))
def test_a_post_that_cannot_be_accepted_saves_nothing_and_says_why(case: Case, app: App, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    url = app.url(case)
    fields = _member_post(app, case) if case.data["page"] == "member" else case.data["fields"]
    page = app.post(case, url, fields)
    assert page.status_code == case.data["status"]
    _nothing_saved(app)
    if "problem" in case.data:  # 422: the problem is named next to its field, and everything typed is shown again
        field_id, message = case.data["problem"]
        errors = _error_messages(page.text)
        assert message in errors[field_id], errors
        assert f'href="#{field_id}' in page.text  # the error summary links to the field
        assert not any(SECRET in text for text in errors.values())
        typed = next(value for values in fields.values() for value in values if SECRET in value)
        assert str(escape(typed)) in page.text
    else:
        assert case.data["says"] in page.text
    if page.status_code == 403 and (case.data["page"] == "member" or "comment.B1" in fields):
        assert str(escape(SECRET)) in page.text  # a refused post gives back what was typed
    if page.status_code == 404:
        assert SECRET not in page.text and len(page.text) < 300
    if page.status_code == 413:  # the post was never read: nothing of it comes back, the way back is explained
        assert SECRET not in page.text and len(page.text) < 4000 and "Back" in page.text
    assert SECRET not in caplog.text


@pytest.mark.parametrize("case", params([c for c in CASES if c.outcome in (VERBATIM, IGNORED)]))
def test_an_accepted_post_keeps_the_text_as_typed_shows_it_escaped_and_writes_it_literally(
    case: Case, app: App, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    url = app.url(case)
    fields = _member_post(app, case) if case.data["page"] == "member" else case.data["fields"]
    page = app.post(case, url, fields)
    assert page.status_code == 200, page.text[:500]
    kept = case.data["kept"]
    stored = _stored(app, case)
    for name, text in kept.items():
        assert stored[name] == text
    if case.outcome == IGNORED:
        assert SECRET not in repr(stored)
        if case.data["page"] == "member":
            expected = valid_answers(app.form, app.review)
            assert stored["B1.rating"] == expected["B1.rating"][0] and stored["A2.comment"] == "Answer to A2"
    shown = app.client.get(url).text  # the form or page again, prefilled with what was kept
    for text in kept.values():
        assert str(escape(text)) in shown
    assert "<script>" not in shown and EVALUATED not in shown
    if case.data["page"] == "member":
        document = SummaryText(app.store, app.review.review_id, app.form, app.folder)
        for text in kept.values():
            assert document.shows(text), (text, document.texts())
        assert "Not a heading" not in " ".join(document.headings()) and EVALUATED not in document.markdown
        assert all(text in document.word for text in kept.values() if "\n" not in text)
    assert not any(text in caplog.text for text in kept.values()) and SECRET not in caplog.text
    if case.data.get("completed"):  # "complete" saved every box first
        assert app.store.reviewer_inputs(app.review.review_id)[0].completed_at is not None


def _stored(app: App, case: Case) -> dict[str, str]:
    """What the store keeps, by field: member answers as "B1.comment", reviewer input by section or proposal."""
    review_id = app.review.review_id
    if case.data["page"] == "member":
        [response] = app.store.latest_responses(review_id)
        return {f"{item_id}.{part}": getattr(answer, part) for item_id, answer in response.answers.items()
                for part in ("rating", "choice", "other", "comment")}
    mine = app.store.reviewer_inputs(review_id)[0]
    return {**{c.section_id: c.text for c in mine.comments},
            **{f"proposal:{key}": text for key, text in mine.proposals.items()}}
