"""A board member's form: shown, validated, saved, revised, late."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from markupsafe import escape

from scr.domain.forms import MAX_TEXT
from scr.domain.model import Role
from scr.entrypoints.web import MAX_BODY


class Controls(HTMLParser):
    """Collects form controls, the ids labels point at, fieldsets and legends."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
            self.controls.append(attrs)
        elif tag == "label" and "for" in attrs:
            self.label_for.add(attrs["for"])
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1


def parse(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


def test_form_shows_the_case_and_every_item(world):
    page = world.client.get(f"/f/{world.member_token()}")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="en-GB">' in html
    for text in (world.review.board_name, world.review.review_id, world.review.child_pseudonym):
        assert str(escape(text)) in html
    assert "4 December 2026" in html
    assert str(escape(world.member_form.intro)) in html
    for item in world.member_form.items:
        assert f'<span class="item-id">{item.id}</span> {escape(item.label)}' in html
    for option in world.member_form.options_for(world.member_form.item("A5"), world.review.agencies):
        assert str(escape(option.label)) in html


def test_every_control_has_a_label_and_groups_have_legends(world):
    form = world.member_form
    controls = parse(world.client.get(f"/f/{world.member_token()}").text)
    assert controls.controls
    for control in controls.controls:
        assert control["id"] in controls.label_for, control["name"]
    assert controls.fieldsets == controls.legends
    choice_items = [i for i in form.items if i.kind != "text"]
    assert controls.fieldsets == len(form.sections) + len(choice_items)
    names = {c["name"] for c in controls.controls}
    for item in form.items:
        assert f"{item.id}.comment" in names
        if item.kind == "factor":
            assert f"{item.id}.rating" in names
        if item.kind in ("choice", "multi"):
            assert f"{item.id}.choice" in names
        if item.allow_other:
            assert f"{item.id}.other" in names
    kinds = {c["name"]: c.get("type") for c in controls.controls}
    assert kinds["B1.rating"] == "radio" and kinds["A1.choice"] == "radio" and kinds["A5.choice"] == "checkbox"


def test_a_valid_post_is_saved_and_confirmed(world, answers):
    page = world.post_form(f"/f/{world.member_token()}", answers)
    assert page.status_code == 200
    assert "version 1" in page.text and "You can revise your answers until" in page.text
    [response] = world.store.latest_responses(world.review.review_id)
    assert response.member_email == world.member.email and not response.late
    assert response.answers["B1"].rating == "significant"
    assert response.answers["A2"].comment == "Answer to A2"
    assert len(response.answers["A5"].choices) == 2
    [event] = world.store.events(world.review.review_id, "response_received")
    assert event.person_email == world.member.email


def test_an_invalid_post_keeps_everything_typed_and_names_the_problem(world, answers):
    del answers["B2.rating"]
    answers["B1.comment"] = ["<script>alert('x')</script> & more"]
    answers["A1.choice"] = ["other"]
    page = world.post_form(f"/f/{world.member_token()}", answers)
    assert page.status_code == 422
    html = page.text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html
    assert "B2: choose how much this factor should weigh" in html
    assert '<a href="#B2-rating-0">' in html and '<a href="#A1-other">' in html
    assert 'id="B2-rating-error"' in html and 'aria-describedby="B2-hint B2-rating-error"' in html
    assert 'id="B2-rating-0" name="B2.rating" value="central" aria-invalid="true"' in html
    assert 'aria-describedby="A1-other-error" aria-invalid="true"' in html
    assert 'name="B3.rating" value="significant" checked' in html
    assert "Answer to Q1</textarea>" in html
    assert world.store.latest_responses(world.review.review_id) == []


def test_a_revision_is_version_two_and_the_form_is_prefilled(world, answers):
    token = world.member_token()
    world.post_form(f"/f/{token}", answers)
    answers["B1.rating"] = ["central"]
    answers["B1.comment"] = ["Revised view"]
    page = world.post_form(f"/f/{token}", answers)
    assert "version 2" in page.text
    assert world.store.response_versions(world.review.review_id) == {world.member.email: 2}
    form = world.client.get(f"/f/{token}").text
    assert "You answered on 27 November 2026" in form and "(version 2)" in form
    assert "You can revise your answers until 4 December 2026" in form
    assert 'name="B1.rating" value="central" checked' in form
    assert "Revised view</textarea>" in form


def test_a_revision_with_a_mistake_shows_what_was_just_typed_not_the_saved_answers(world, answers):
    token = world.member_token()
    world.post_form(f"/f/{token}", answers)
    answers["B1.comment"] = ["Second thoughts"]
    del answers["C1.rating"]
    page = world.post_form(f"/f/{token}", answers)
    assert page.status_code == 422
    assert "Second thoughts</textarea>" in page.text
    assert "Your last answers are filled in below" not in page.text
    assert world.store.response_versions(world.review.review_id) == {world.member.email: 1}


def test_a_post_after_the_deadline_is_kept_and_marked_late(world, answers):
    world.clock.moment = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
    page = world.post_form(f"/f/{world.member_token()}", answers)
    assert page.status_code == 200
    assert "received after the deadline" in page.text and "marked late" in page.text
    assert "business manager decides" in page.text
    [response] = world.store.latest_responses(world.review.review_id)
    assert response.late


def test_unknown_closed_and_wrong_role_links_get_the_same_404(world, answers):
    member_token, reviewer_token = world.member_token(), world.reviewer_token()
    other = world.member_token(world.review.members[1])
    world.store.close_tokens(world.review.review_id, Role.MEMBER)
    pages = [
        world.client.get("/f/" + "x" * 43),
        world.client.get(f"/f/{other}"),
        world.client.post(f"/f/{member_token}", data=answers),
        world.client.get(f"/f/{reviewer_token}"),
        world.client.get(f"/r/{member_token}"),
        world.client.get("/f/%3Cscript%3E"),
    ]
    assert {(p.status_code, p.text) for p in pages} == {(404, pages[0].text)}
    assert "review" not in pages[0].text.lower() and len(pages[0].text) < 200
    assert world.store.latest_responses(world.review.review_id) == []


def test_a_body_over_the_limit_gets_a_page_that_explains_and_links_back_to_the_form(world):
    token = world.member_token()
    page = world.client.post(f"/f/{token}", data={"B1.comment": "x" * (MAX_BODY + 10)})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "What you sent was too long, so nothing was saved" in page.text and "<strong>Back</strong>" in page.text
    assert f'<a href="/f/{token}">open the form again</a>' in page.text and "autofocus" in page.text
    assert world.store.latest_responses(world.review.review_id) == []
    elsewhere = world.client.post("/nowhere", content=b"x" * (MAX_BODY + 1))
    assert elsewhere.status_code == 413 and "open the form again" not in elsewhere.text


def test_the_largest_valid_form_is_under_the_body_limit(world, answers):
    """Every box filled to MAX_TEXT with 3-byte characters (percent-encoded: 9 bytes each) is still accepted."""
    boxes = {f"{item.id}.{name}": ["\u0645" * MAX_TEXT] for item in world.member_form.items
             for name in ("comment", "other")}
    fields = {**answers, **boxes}
    for item in world.member_form.items:
        if item.allow_other and item.kind == "choice":
            fields[f"{item.id}.choice"] = ["other"]
        elif item.allow_other:
            fields[f"{item.id}.choice"] = [*fields.get(f"{item.id}.choice", []), "other"]
    page = world.post_form(f"/f/{world.member_token()}", fields)
    assert page.status_code == 200, page.text[:500]
    assert len(world.store.latest_responses(world.review.review_id)) == 1


def test_a_post_through_a_link_for_someone_not_a_member_is_held_apart_and_shown_again(world, answers):
    stranger = "curious.person@example.com"
    token = world.store.issue_token(world.review.review_id, stranger, Role.MEMBER)
    answers["A2.comment"] = ["Typed by someone the review does not list"]
    page = world.post_form(f"/f/{token}", answers)
    assert page.status_code == 409
    assert "not added to this review (held apart)" in page.text
    assert "Typed by someone the review does not list</textarea>" in page.text
    assert world.store.latest_responses(world.review.review_id) == []
    assert [email for email, _ in world.store.held_responses(world.review.review_id)] == [stranger]
    [event] = world.store.events(world.review.review_id, "held_apart")
    assert (event.person_email, event.detail) == (stranger, "not a member (web form)")
