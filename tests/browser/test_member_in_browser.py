"""A board member in a real browser: opens the link from their invitation, fills the form in by its labels,
makes a mistake and corrects it, sends it, then comes back and revises an answer. And the same form done
with the keyboard alone. Every page passes axe-core with no serious or critical violations."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import accessibility_problems, snap

FACTORS = ("B1", "B2", "B3", "C1", "C2", "C3", "C4", "C5")  # C6 is the one the member forgets at first
CENTRAL = "Central: should shape the review"
SIGNIFICANT = "Significant: should be taken into account"
MINOR = "Minor: worth noting only"
TYPED = "Police hold two referrals from 2024 that the chronology should include."


def item(page, item_id: str):
    """The group of one question, found as a screen reader user finds it: by its legend."""
    return page.get_by_role("group", name=re.compile(rf"^{item_id}\b"))


def test_a_member_fills_in_the_form_by_its_labels_fixes_a_mistake_and_later_revises(site, page, shots):
    email, link = next(iter(site.links("f").items()))
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your input to commissioning the review")
    snap(page, shots, "member-form")
    assert accessibility_problems(page) == []

    for factor in FACTORS:
        item(page, factor).get_by_label(SIGNIFICANT).check()
    page.get_by_label("Comment on B1 (optional)").fill(TYPED)
    item(page, "A1").get_by_label(re.compile("^Focused")).check()
    item(page, "A3").get_by_label("Other (say which below)").check()  # ... and forgets to say which, and to rate C6
    item(page, "A5").get_by_label("Police").check()
    page.get_by_role("button", name="Send my answers").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There are 2 problems to fix")
    expect(summary.get_by_role("link", name=re.compile("^C6"))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("^A3"))).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Comment on B1 (optional)")).to_have_value(TYPED)  # nothing typed is lost
    expect(item(page, "B2").get_by_label(SIGNIFICANT)).to_be_checked()
    snap(page, shots, "member-form-with-problems")
    assert accessibility_problems(page) == []
    assert site.backend.store.latest_responses(site.review_id) == [], "nothing is saved while there are problems"

    summary.get_by_role("link", name=re.compile("^C6")).click()
    expect(page).to_have_url(re.compile("#C6"))
    item(page, "C6").get_by_label(MINOR).check()
    item(page, "A3").get_by_label("If other, say which").fill("A local hybrid with practitioner events")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers were received")
    expect(page.get_by_role("status")).to_contain_text("(version 1)")
    snap(page, shots, "member-answers-received")
    assert accessibility_problems(page) == []

    page.get_by_role("link", name="See or change your answers").click()
    expect(page.get_by_text(re.compile(r"You answered on .*\(version 1\)"))).to_be_visible()
    expect(item(page, "C6").get_by_label(MINOR)).to_be_checked()
    item(page, "B1").get_by_label(CENTRAL).check()
    snap(page, shots, "member-revising")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("status")).to_contain_text("(version 2)")

    [latest] = site.backend.store.latest_responses(site.review_id)
    assert latest.member_email.lower() == email and latest.version == 2
    assert latest.answers["B1"].rating == "central" and latest.answers["B1"].comment == TYPED
    assert latest.answers["C6"].rating == "minor" and latest.answers["B2"].rating == "significant"
    assert latest.answers["A3"].choice == "other"
    assert latest.answers["A3"].other == "A local hybrid with practitioner events"
    assert site.backend.store.response_versions(site.review_id) == {email: 2}


def test_a_member_completes_the_form_with_the_keyboard_alone(site, page, shots):
    email, link = list(site.links("f").items())[1]
    page.goto(link)
    focused_names = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const group = e.closest('fieldset.item');
            return {tag: e.tagName, type: e.type || '', name: e.name || '', text: e.textContent.trim(),
                    groupChecked: group ? group.querySelectorAll('input:checked').length : 0,
                    outline: getComputedStyle(e).outlineStyle}; }""")
        focused_names.append(focused["name"])
        if focused["tag"] == "BUTTON" and focused["text"] == "Send my answers":
            page.keyboard.press("Enter")
            break
        if focused["type"] in ("radio", "checkbox") and focused["groupChecked"] == 0:
            page.keyboard.press("Space")  # the first option of each question
        elif focused["tag"] == "TEXTAREA":
            page.keyboard.type("Typed with the keyboard.")
        assert focused["outline"] != "none" or focused["tag"] == "BODY", f"no visible focus on {focused['name']}"
    else:
        raise AssertionError("the send button was never reached with Tab")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers were received")
    snap(page, shots, "member-keyboard-only-received")
    [latest] = site.backend.store.latest_responses(site.review_id)
    assert latest.member_email.lower() == email
    form = site.backend.member_form
    factors = [i.id for i in form.items if i.kind == "factor"]
    assert {latest.answers[f].rating for f in factors} == {form.scale[0].value}
    assert latest.answers["Q1"].comment == "Typed with the keyboard."


def test_a_too_long_post_explains_the_way_back_and_the_browser_keeps_what_was_typed(site, page, shots):
    _, link = list(site.links("f").items())[2]
    page.goto(link)
    page.get_by_label("Comment on B1 (optional)").fill(TYPED)
    oversized = "Too long. " * 220_000  # 2.2 MB: over the body limit, which no valid form reaches
    page.get_by_label("Comment on B2 (optional)").fill(oversized)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you sent was too long, so nothing was saved")
    assert page.evaluate("document.activeElement.id") == "too-large", "focus moves to the explanation"
    snap(page, shots, "member-too-large")
    assert accessibility_problems(page) == []
    back = page.get_by_role("link", name="open the form again")
    expect(back).to_have_attribute("href", "/f/" + link.rsplit("/", 1)[1])

    page.go_back()  # Chromium gives back the form as it was typed
    expect(page.get_by_label("Comment on B1 (optional)")).to_have_value(TYPED)
    assert len(page.get_by_label("Comment on B2 (optional)").input_value()) == len(oversized)
    assert site.backend.store.latest_responses(site.review_id) == []


def test_focus_moves_to_the_error_summary_on_a_page_with_errors(site, page, shots):
    _, link = list(site.links("f").items())[3]
    page.goto(link)
    page.get_by_label("Comment on B1 (optional)").fill(TYPED)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("problems to fix")
    assert page.evaluate("document.activeElement.id") == "error-summary", "focus stays on the page body"
    snap(page, shots, "member-errors-focused")
    page.keyboard.press("Tab")  # the next stop is the summary's first link, to the first problem
    assert page.evaluate("document.activeElement.closest('#error-summary') !== null")
