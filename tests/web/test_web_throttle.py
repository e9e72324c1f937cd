"""Guessing links is slowed down per client address; valid links and other addresses are unaffected."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from scr.domain.model import Role
from scr.entrypoints.web.throttle import BadLinkThrottle


def bad_links(world) -> list[str]:
    """Ten paths with a bad link each: unknown, malformed, closed and for another role."""
    closed = world.member_token(world.review.members[1])
    world.store.close_tokens(world.review.review_id, Role.MEMBER)
    reviewer = world.reviewer_token()
    unknown = [f"/f/{'x' * 40}{n:03d}" for n in range(6)]
    return [*unknown, "/f/%3Cscript%3E", f"/f/{closed}", f"/f/{reviewer}", "/r/" + "y" * 43]


def test_the_eleventh_bad_link_in_a_minute_gets_429_while_valid_links_still_work(world, caplog):
    caplog.set_level(logging.DEBUG)
    paths = bad_links(world)
    reviewer = world.reviewer_token()
    first = [world.client.get(path) for path in paths]
    assert {(p.status_code, p.text) for p in first} == {(404, first[0].text)}
    assert "retry-after" not in first[0].headers

    eleventh = world.client.get("/f/" + "z" * 43)
    assert eleventh.status_code == 429 and eleventh.headers["retry-after"] == "60"
    assert "wait a minute" in eleventh.text and "x-frame-options" in eleventh.headers
    assert world.client.post(paths[0], data={"csrf": "0" * 64}).status_code == 429

    page = world.client.get(f"/r/{reviewer}")
    assert page.status_code == 200
    assert world.client.get(f"/r/{reviewer}").status_code == 200
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    assert all(path.rsplit("/", 1)[1] not in logged for path in paths[:6] + paths[7:])


def test_bad_links_from_another_address_are_not_affected(world):
    for path in bad_links(world) + ["/f/" + "z" * 43]:
        world.client.get(path)
    assert world.client.get("/f/" + "z" * 43).status_code == 429
    with TestClient(world.client.app, client=("203.0.113.9", 50000)) as elsewhere:
        assert [elsewhere.get("/f/" + "z" * 43).status_code for _ in range(10)] == [404] * 10
        assert elsewhere.get("/f/" + "z" * 43).status_code == 429


class Ticks:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_lasts_for_the_rest_of_the_minute_then_is_forgotten():
    clock = Ticks()
    throttle = BadLinkThrottle(limit=10, window=60, now=clock)
    assert [throttle.too_many("a") for _ in range(10)] == [False] * 10
    clock.now += 59
    assert throttle.too_many("a") and throttle.too_many("a")
    assert not throttle.too_many("b")
    clock.now += 1
    assert not throttle.too_many("a")
    clock.now += 120
    assert not throttle.too_many("c")
    assert len(throttle) == 1  # "a" and "b" were forgotten


def test_the_table_is_bounded():
    clock = Ticks()
    throttle = BadLinkThrottle(limit=2, window=60, max_addresses=100, now=clock)
    for n in range(1000):
        throttle.too_many(f"10.0.{n // 256}.{n % 256}")
        clock.now += 0.01
    assert len(throttle) == 100
    assert [throttle.too_many("10.0.3.231") for _ in range(2)] == [False, True]  # its count was kept
    assert [throttle.too_many("10.0.0.0") for _ in range(2)] == [False, False]  # the oldest was forgotten
