"""A lead reviewer in a real browser: reads the factor summary from their invitation's link, comments on two
sections, makes a proposal and marks their review complete. The page passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import accessibility_problems, snap

ON_B2 = "The screening of referrals is the heart of this case; weigh B2 as central."
ON_A3 = "Learning Together fits, staged around the criminal process."
SCOPE = "Period under review: 18 months before the admission."


def test_a_lead_reviewer_comments_on_two_sections_and_marks_the_review_complete(site_with_reviewers, page, shots):
    site = site_with_reviewers
    email, link = next(iter(site.links("r").items()))
    page.goto(link)
    expect(page.get_by_role("heading", level=2, name="Factors related to the case")).to_be_visible()
    snap(page, shots, "reviewer-summary")
    assert accessibility_problems(page) == []

    case = page.get_by_role("region", name="Factors related to the case")
    decisions = page.get_by_role("region", name=re.compile("commissioning decision"))
    case.get_by_label("Your comment on B2").fill(ON_B2)
    decisions.get_by_label("Your comment on A3").fill(ON_A3)
    page.get_by_role("textbox", name=re.compile("scope", re.I)).fill(SCOPE)
    page.get_by_role("button", name="Save my comments and proposals").click()

    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_text(ON_B2)).to_be_visible()  # shown back under "Your earlier comments"
    snap(page, shots, "reviewer-comments-saved")
    assert accessibility_problems(page) == []

    page.get_by_role("button", name="My review of the factor summary is complete").click()
    expect(page.get_by_text(re.compile("You marked your review complete on"))).to_be_visible()
    snap(page, shots, "reviewer-complete")

    [mine] = [r for r in site.backend.store.reviewer_inputs(site.review_id) if r.reviewer.email.lower() == email]
    assert {(c.section_id, c.text) for c in mine.comments} == {("B2", ON_B2), ("A3", ON_A3)}
    assert list(mine.proposals.values()) == [SCOPE]
    assert mine.completed_at is not None


def test_a_lead_reviewer_comments_and_completes_with_the_keyboard_alone(site_with_reviewers, page, shots):
    site = site_with_reviewers
    email, link = list(site.links("r").items())[1]
    page.goto(link)

    def tab_to(description: str, is_target: str) -> None:
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const e = document.activeElement; return {is_target}; }}"):
                return
        raise AssertionError(f"{description} was never reached with Tab")

    tab_to("the comment on C1", "e.id === 'comment-C1'")
    page.keyboard.type("Keyboard only: the 2024 review is the starting point.")
    tab_to("the save button", "e.tagName === 'BUTTON' && e.textContent.includes('Save my comments')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_be_visible()
    tab_to("the complete button", "e.tagName === 'BUTTON' && e.textContent.includes('is complete')")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("You marked your review complete on"))).to_be_visible()
    snap(page, shots, "reviewer-keyboard-only-complete")

    [mine] = [r for r in site.backend.store.reviewer_inputs(site.review_id) if r.reviewer.email.lower() == email]
    assert [(c.section_id, c.text) for c in mine.comments] == [
        ("C1", "Keyboard only: the 2024 review is the starting point.")]
    assert mine.completed_at is not None


def test_a_reviewer_who_types_and_presses_complete_loses_nothing(site_with_reviewers, page, shots):
    site = site_with_reviewers
    email, link = list(site.links("r").items())[1]
    page.goto(link)
    page.get_by_label("Your comment on B2").fill("x" * 5001)  # over the limit: nothing saved, focus on the problem
    page.get_by_label("Your comment on A3").fill(ON_A3)
    page.get_by_role("button", name="My review of the factor summary is complete").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem to fix")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    snap(page, shots, "reviewer-complete-with-a-problem")
    assert accessibility_problems(page) == []

    page.get_by_label("Your comment on B2").fill(ON_B2)
    page.get_by_role("button", name="My review of the factor summary is complete").click()
    expect(page.get_by_text(re.compile("everything you typed is saved"))).to_be_visible()
    [mine] = [r for r in site.backend.store.reviewer_inputs(site.review_id) if r.reviewer.email.lower() == email]
    assert {(c.section_id, c.text) for c in mine.comments} == {("B2", ON_B2), ("A3", ON_A3)}
    assert mine.completed_at is not None
