"""The business manager's page for the board's decisions, over HTTP: behind their personal link only, each
decision shown with its evidence and pre-filled, a refused record re-shown with everything typed and each
problem named, a forged post refused, and every good post a new version."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from scr.config import load_board_config
from scr.demo.browser import form_fields
from scr.domain.model import Role, Stage
from scr.entrypoints.webserver import build_app
from scr.services import advancing
from scr.settings import Runtime
from tests.drafted import drafted_review
from tests.web.conftest import csrf_of

TYPED = "The board weighed capacity heavily, REASON-TYPED-HERE."


@pytest.fixture
def page(tmp_path):
    config_path, backend, review = drafted_review(tmp_path)
    runtime = Runtime.from_config(load_board_config(config_path))
    outbox = sorted((tmp_path / "OUT" / review.review_id / "outbox").glob("*board-decision*.eml"))
    assert len(outbox) == 1, "the business manager is asked once"
    link = re.search(r"http://\S+/b/[A-Za-z0-9_-]+", outbox[0].read_text()).group(0)
    with TestClient(build_app(runtime), base_url="http://127.0.0.1:8765") as client:
        yield client, link.removeprefix("http://127.0.0.1:8765"), backend, review


def filled(client, path: str) -> dict:
    """The page's pre-filled form, completed as the business manager would."""
    fields = form_fields(client.get(path).text)
    fields |= {"meeting_date": ["2026-12-18"], "agreed_by": ["The board at its meeting"],
               "A1.option": ["standard"], "A3.option": ["learning_together"], "A5.option": ["northshire_police"]}
    fields |= {f"A{n}.reasons": [f"Reasons for A{n}. {TYPED}"] for n in range(1, 6)}
    fields |= {"A2.text": ["Why were referrals closed?"], "A4.text": ["Infant injury."]}
    taken = next(name for name in re.findall(r'name="(A3\.taken\.[^"]+)"', client.get(path).text))
    return fields | {taken: ["adapted"], taken.replace(".taken.", ".reason."): ["Staged, but sooner."]}


def test_the_page_shows_each_decision_with_its_evidence(page):
    client, path, _, review = page
    shown = client.get(path)
    assert shown.status_code == 200
    for item_id in ("A1", "A2", "A3", "A4", "A5"):
        assert f'id="d-{item_id}"' in shown.text
    assert "A systems method suits the practice concerns." in shown.text  # Jane's comment on A3
    assert "Use Learning Together with a case group of frontline practitioners." in shown.text  # her proposal
    assert f'name="A3.taken.method.{review.lead_reviewers[0].email}"' in shown.text
    assert '<label for="A1-reasons">' in shown.text and 'name="A1.reasons" rows="4"></textarea>' in shown.text


def test_only_the_business_managers_link_opens_it(page):
    client, path, backend, review = page
    member = backend.store.issue_token(review.review_id, review.members[0].email, Role.MEMBER)
    assert client.get(f"/b/{member}").status_code == 404
    assert client.get(path.replace("/b/", "/f/")).status_code == 404
    assert client.get(path.replace("/b/", "/r/")).status_code == 404


def test_a_refused_record_is_shown_again_with_everything_typed_and_each_problem_named(page):
    client, path, backend, review = page
    fields = filled(client, path)
    fields |= {"A1.option": ["exhaustive"], "A2.reasons": [""], "csrf": [csrf_of(client.get(path).text)]}
    refused = client.post(path, data=fields)
    assert refused.status_code == 422
    assert "A1.option: exhaustive is not an option of A1" in refused.text
    assert "A2.reasons: give the board&#39;s reasons for A2" in refused.text
    assert refused.text.count(TYPED) == 4, "what was typed is all still there"
    assert backend.store.decision_versions(review.review_id) == 0


def test_a_forged_post_records_nothing_and_keeps_what_was_typed(page):
    client, path, backend, review = page
    forged = client.post(path, data=filled(client, path), headers={"Origin": "https://elsewhere.example.org"})
    assert forged.status_code == 403 and TYPED in forged.text
    assert backend.store.decision_versions(review.review_id) == 0


def test_each_good_post_is_a_new_version_then_the_review_completes_and_the_link_closes(page):
    client, path, backend, review = page
    fields = filled(client, path) | {"csrf": [csrf_of(client.get(path).text)]}
    first = client.post(path, data=fields, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].endswith("?saved=1")
    assert "Recorded as version 1." in client.get(first.headers["location"]).text
    again = client.get(path)
    assert "Version 1 was recorded on" in again.text and TYPED in again.text, "the page now shows the record"
    assert client.post(path, data=fields, follow_redirects=False).headers["location"].endswith("?saved=2")
    record = backend.store.decision_record(review.review_id)
    assert record.recorded_by == review.business_manager.email
    assert [p.taken.value for p in record.decision("A3").proposals] == ["adapted"]
    assert advancing.advance(backend, review.review_id) is Stage.COMPLETE
    assert client.get(path).status_code == 404
