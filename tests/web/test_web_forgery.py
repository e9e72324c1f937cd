"""Forged posts are refused: every form carries a csrf field tied to its link, and other sites' posts get 403."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from scr.domain.model import Role
from scr.domain.schedule import Schedule
from scr.entrypoints.web import create_app
from scr.entrypoints.web.guard import REFUSED
from scr.rendering import Renderer
from scr.store.store import SqlStore
from tests.web.conftest import csrf_of, small_summary

WRONG = "0" * 64


class Forms(HTMLParser):
    """The hidden csrf values inside each form on a page, and any outside a form."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[str]] = []
        self.outside: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self._open = True
        elif tag == "input" and attrs.get("name") == "csrf":
            assert attrs.get("type") == "hidden"
            (self.forms[-1] if self._open else self.outside).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = False


def forms_of(html: str) -> Forms:
    parser = Forms()
    parser.feed(html)
    return parser


def expected_csrf(world, token: str) -> str:
    secret = world.store.web_secret()
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()


def test_every_form_carries_the_csrf_field_of_its_own_link(world):
    member, reviewer = world.member_token(), world.reviewer_token()
    for token, path, count in [(member, f"/f/{member}", 1), (reviewer, f"/r/{reviewer}", 1)]:
        found = forms_of(world.client.get(path).text)
        assert len(found.forms) == count and not found.outside
        assert all(values == [expected_csrf(world, token)] for values in found.forms), path
    assert expected_csrf(world, member) != expected_csrf(world, reviewer)


def test_the_secret_is_kept_apart_from_every_review(world):
    assert len(world.store.web_secret()) == 32
    assert world.store.review_ids() == [world.review.review_id]


@pytest.mark.parametrize("csrf", [None, "", WRONG, "not hex at all"])
def test_a_member_post_without_the_right_csrf_is_refused_and_keeps_what_was_typed(world, answers, csrf):
    token = world.member_token()
    answers["B1.comment"] = ["<script>alert('x')</script> & more"]
    page = world.client.post(f"/f/{token}", data=answers if csrf is None else {**answers, "csrf": [csrf]})
    assert page.status_code == 403
    html = page.text
    assert REFUSED in html and "open the link from your invitation email again" in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</textarea>" in html
    assert 'name="B3.rating" value="significant" checked' in html and "Answer to Q1</textarea>" in html
    assert world.store.latest_responses(world.review.review_id) == []
    assert world.store.events(world.review.review_id) == []


def test_the_csrf_of_another_members_link_is_refused(world, answers):
    mine, theirs = world.member_token(), world.member_token(world.review.members[1])
    page = world.client.post(f"/f/{mine}", data={**answers, "csrf": csrf_of(world.client.get(f"/f/{theirs}").text)})
    assert page.status_code == 403
    assert world.store.latest_responses(world.review.review_id) == []


def test_the_refused_member_form_can_be_sent_again_as_it_stands(world, answers):
    token = world.member_token()
    refused = world.client.post(f"/f/{token}", data={**answers, "csrf": WRONG})
    assert refused.status_code == 403
    page = world.client.post(f"/f/{token}", data={**answers, "csrf": csrf_of(refused.text)})
    assert page.status_code == 200 and "version 1" in page.text


@pytest.mark.parametrize("csrf", [None, WRONG])
def test_a_reviewer_post_without_the_right_csrf_is_refused(world, csrf):
    token = world.reviewer_token()
    data = {"comment.B1": "Weigh <this> heavily", "proposal.scope": "Extend to 24 months"}
    page = world.client.post(f"/r/{token}", data=data if csrf is None else {**data, "csrf": csrf})
    assert page.status_code == 403
    assert REFUSED in page.text
    assert "Weigh &lt;this&gt; heavily</textarea>" in page.text and "<this>" not in page.text
    done = world.client.post(f"/r/{token}", data={**data, "complete": "1"} if csrf is None
                             else {**data, "complete": "1", "csrf": csrf})  # fmt: skip
    assert done.status_code == 403 and REFUSED in done.text and "Weigh &lt;this&gt; heavily</textarea>" in done.text
    [mine, _] = world.store.reviewer_inputs(world.review.review_id)
    assert mine.comments == () and mine.proposals == {} and mine.completed_at is None
    assert world.store.events(world.review.review_id) == []


@pytest.mark.parametrize("header", [{"Origin": o} for o in (
    "https://evil.example", "http://testserver.evil.example", "http://testserver:81", "https://testserver", "",
    "http://[bad", "null", "NULL")] + [{"Sec-Fetch-Site": s} for s in ("cross-site", "same-site", "Cross-Site", "x")]
    + [{"Origin": "http://testserver", "Sec-Fetch-Site": "cross-site"}, {"Origin": "null", "Sec-Fetch-Site": "none"},
       {"Origin": "null", "Sec-Fetch-Site": "cross-site"}])  # fmt: skip
def test_a_post_from_another_origin_is_refused_even_with_the_right_csrf(world, answers, header):
    member, reviewer = world.member_token(), world.reviewer_token()
    member_csrf, reviewer_csrf = expected_csrf(world, member), expected_csrf(world, reviewer)
    page = world.client.post(f"/f/{member}", data={**answers, "csrf": member_csrf}, headers=header)
    assert page.status_code == 403 and REFUSED in page.text
    saved = world.client.post(f"/r/{reviewer}", data={"comment.B1": "x", "csrf": reviewer_csrf}, headers=header)
    done = world.client.post(f"/r/{reviewer}/complete", data={"csrf": reviewer_csrf}, headers=header)
    assert saved.status_code == 403 and done.status_code == 403
    assert world.store.latest_responses(world.review.review_id) == []
    assert world.store.events(world.review.review_id) == []


@pytest.mark.parametrize("header", [{"Origin": "http://testserver"}, {"Origin": "http://TESTSERVER:80"},
                                    {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"},
                                    {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
                                    {"Origin": "null", "Sec-Fetch-Site": "same-origin"}])  # fmt: skip
def test_a_post_from_the_apps_own_origin_is_accepted(world, answers, header):
    token = world.member_token()
    page = world.client.post(f"/f/{token}", data={**answers, "csrf": expected_csrf(world, token)}, headers=header)
    assert page.status_code == 200
    assert len(world.store.latest_responses(world.review.review_id)) == 1


def test_a_form_opened_before_a_restart_can_be_sent_after_it(world, answers, tmp_path):
    token = world.member_token()
    opened = csrf_of(world.client.get(f"/f/{token}").text)
    with restarted(world, SqlStore.for_data_dir(tmp_path / "data")) as (client, store):
        page = client.post(f"/f/{token}", data={**answers, "csrf": opened})
        assert page.status_code == 200 and "version 1" in page.text
        assert len(store.latest_responses(world.review.review_id)) == 1


def test_a_new_store_has_its_own_secret(world, tmp_path):
    other = SqlStore.for_data_dir(tmp_path / "other")
    other.create_review(world.review, Schedule())
    token = other.issue_token(world.review.review_id, world.member.email, Role.MEMBER)
    with restarted(world, other) as (client, _):
        assert csrf_of(client.get(f"/f/{token}").text) != expected_csrf(world, token)


@contextmanager
def restarted(world, store: SqlStore) -> Iterator[tuple[TestClient, SqlStore]]:
    """A second app instance over ``store``, as after a restart."""
    summary = small_summary(world.review)
    app = create_app(store, world.member_form, world.reviewer_form, world.clock, Renderer(), lambda _id: summary)
    try:
        with TestClient(app) as client:
            yield client, store
    finally:
        store.close()


@pytest.mark.parametrize("header", [{"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}])
def test_an_opaque_or_cross_site_post_is_refused_before_validation_on_every_state_changing_route(world, header):
    """A post with the right csrf but an invalid form used to reach validation (422): it must be refused (403)
    with the forged-post message, and what was typed must come back on the page."""
    posts = sorted(path for path, methods in _routes(world.client.app.routes)
                   if methods & {"POST", "PUT", "PATCH", "DELETE"})  # fmt: skip
    assert posts == ["/f/{token}", "/r/{token}", "/r/{token}/complete"]
    member, reviewer = world.member_token(), world.reviewer_token()
    typed = {"B1.comment": "typed by a member", "comment.B1": "typed by a reviewer"}
    for path, token in [("/f/{token}", member), ("/r/{token}", reviewer), ("/r/{token}/complete", reviewer)]:
        page = world.client.post(path.format(token=token), data={**typed, "csrf": expected_csrf(world, token)},
                                 headers=header)  # fmt: skip
        assert page.status_code == 403, path
        assert REFUSED in page.text and "typed by a" in page.text, path
    [mine, _] = world.store.reviewer_inputs(world.review.review_id)
    assert mine.comments == () and mine.completed_at is None
    assert world.store.latest_responses(world.review.review_id) == []
    assert world.store.events(world.review.review_id) == []


def _routes(routes) -> list[tuple[str, set[str]]]:
    """Every (path, methods) of the app, routers included (FastAPI keeps an included router whole)."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found += _routes(inner.routes) if inner is not None else [(route.path, set(route.methods or ()))]
    return found
