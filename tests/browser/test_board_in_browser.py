"""The business manager in a real browser: opens the link to record the board's decisions, sees each decision
with its evidence, forgets the meeting date (the page says so and keeps everything typed), then records. The
page passes axe-core."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from scr.demo.answers import REVIEWER_COMMENTS
from scr.domain.model import Stage
from scr.services.advancing import advance
from tests.browser.pages import accessibility_problems, snap
from tests.flows.browser import submit

REASONS = "A standard review: the practice concerns need a multi-agency look, but capacity is stretched."


def test_the_business_manager_records_the_boards_decisions(site_with_reviewers, page, shots):
    site = site_with_reviewers
    with httpx.Client(timeout=30) as client:
        for number, link in enumerate(site.links("r").values()):
            assert submit(client, link, REVIEWER_COMMENTS[number], follow_redirects=True).status_code == 200
            assert submit(client, f"{link}/complete", page=link, follow_redirects=True).status_code == 200
    assert advance(site.backend, site.review_id) is Stage.DRAFTED
    (link,) = site.links("b").values()
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name=re.compile("Record the .*decisions"))).to_be_visible()
    snap(page, shots, "board-decisions")
    assert accessibility_problems(page) == []

    for item_id in ("A1", "A2", "A3", "A4", "A5"):
        region = page.get_by_role("region", name=re.compile(f"^{item_id} "))
        region.get_by_label(re.compile("reasons$")).fill(f"{REASONS} ({item_id})")
    a3 = page.get_by_role("region", name=re.compile("^A3 "))
    a3.get_by_label("SCIE Learning Together (systems model)").check()
    a3.get_by_role("group", name=re.compile("Jane Whitfield's proposal")).get_by_label("Adapted", exact=True).check()
    a3.get_by_label(re.compile("reason \\(needed unless adopted\\)")).first.fill("Staged, but sooner.")
    a1 = page.get_by_role("region", name=re.compile("^A1 "))
    a1.get_by_role("group", name=re.compile("Samuel Osei's proposal")).get_by_label("Adopted", exact=True).check()
    page.get_by_label(re.compile("Who agreed them")).fill("The board at its meeting")
    page.get_by_role("button", name=re.compile("Record the .*decisions")).click()

    expect(page.get_by_role("alert")).to_contain_text("meeting_date: give the date of the meeting")
    expect(page.get_by_label(re.compile("reasons$")).first).to_have_value(f"{REASONS} (A1)")
    snap(page, shots, "board-decisions-problem")
    assert accessibility_problems(page) == []
    assert site.backend.store.decision_versions(site.review_id) == 0

    page.get_by_label(re.compile("Date of the meeting")).fill("2026-12-18")
    page.get_by_role("button", name=re.compile("Record the .*decisions")).click()
    expect(page.get_by_role("status")).to_contain_text("Recorded as version 1")
    snap(page, shots, "board-decisions-recorded")
    record = site.backend.store.decision_record(site.review_id)
    assert record.decision("A1").reasons == f"{REASONS} (A1)"
    assert [p.taken.value for p in record.decision("A3").proposals] == ["adapted"]
    assert advance(site.backend, site.review_id) is Stage.COMPLETE
