"""Headers on every response, a health check, and nothing sensitive in the logs."""

from __future__ import annotations

import logging

import pytest

from scr.entrypoints.web.app import MAX_BODY, SECURITY_HEADERS, _is_loopback

EXPECTED = {
    "content-security-policy": "default-src 'none'; style-src 'self' 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}


def test_the_headers_are_the_ones_asked_for():
    assert {k.lower(): v for k, v in SECURITY_HEADERS.items()} == EXPECTED


def test_health_check(world):
    page = world.client.get("/healthz")
    assert page.status_code == 200 and page.json() == {"ok": True}


def test_every_response_carries_the_security_headers(world, answers):
    token, reviewer = world.member_token(), world.reviewer_token()
    pages = [
        world.client.get("/healthz"),
        world.client.get(f"/f/{token}"),
        world.post_form(f"/f/{token}", {}),
        world.post_form(f"/f/{token}", answers),
        world.client.get("/f/unknown"),
        world.client.get("/nowhere"),
        world.client.post(f"/f/{token}", content=b"x" * (MAX_BODY + 1)),
        world.client.get(f"/r/{reviewer}"),
        world.post_form(f"/r/{reviewer}/complete", page=f"/r/{reviewer}", follow_redirects=False),
    ]
    assert [p.status_code for p in pages] == [200, 200, 422, 200, 404, 404, 413, 200, 303]
    for page in pages:
        for name, value in EXPECTED.items():
            assert page.headers[name] == value, (page.request.url.path, name)


def test_no_api_docs_are_served(world):
    assert world.client.get("/docs").status_code == 404
    assert world.client.get("/openapi.json").status_code == 404


def test_nothing_typed_and_no_token_reaches_the_logs(world, answers, caplog):
    caplog.set_level(logging.DEBUG)
    token = world.member_token()
    answers["B1.comment"] = ["SECRET-ANSWER-TEXT"]
    world.post_form(f"/f/{token}", answers)
    world.post_form(f"/r/{world.reviewer_token()}", {"comment.B1": "SECRET-REVIEWER-TEXT"})
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")  # httpx: the test client
    assert "SECRET" not in logged and token not in logged and world.reviewer_token() not in logged
    assert "response was saved" in logged


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_loopback_detection(host, loopback):
    assert _is_loopback(host) is loopback


def test_public_names():
    import scr.backends.local as local
    import scr.entrypoints.web as web

    assert set(web.__all__) == {"MAX_BODY", "create_app", "serve"}
    assert {"OutboxMailer", "SqlStore", "read_outbox"} <= set(local.__all__)
