"""A lead reviewer's page: the factor summary, comments, proposals and marking complete."""

from __future__ import annotations

import datetime as dt
import re

from scr.domain.forms import MAX_TEXT


def test_the_page_shows_the_summary_with_a_box_per_item(world):
    page = world.client.get(f"/r/{world.reviewer_token()}")
    assert page.status_code == 200
    html = page.text
    assert world.reviewer_form.title.replace("'", "&#39;") in html
    assert "types of strengths and vulnerabilities of the family and carers" in html
    assert "<strong>Central: should shape the review</strong>" in html
    assert '<th scope="row">Minor: worth noting only</th><td>1</td><td>Probation Service</td>' in html
    assert "Domestic abuse &lt;b&gt;history&lt;/b&gt;" in html and "<b>history" not in html
    assert "Northshire Police, Head of public protection" in html
    assert "Members differ: Probation Service rated this minor" in html
    assert "3 of 13 members of the partnership answered." in html
    for name, label in [
        ("comment.B1", f"{world.reviewer_form.comment_prompt} on B1"),
        ("comment.A1", f"{world.reviewer_form.comment_prompt} on A1"),
        ("comment.general", world.reviewer_form.general_label),
    ]:
        control_id = name.replace(".", "-")
        assert f'<label for="{control_id}">{label}</label>' in html
        assert f'id="{control_id}" name="{name}"' in html
    for proposal in world.reviewer_form.proposals:
        assert f'<label for="proposal-{proposal.id}">{proposal.label}</label>' in html
    assert world.reviewer_form.complete_label in html


def test_saving_stores_comments_and_proposals_then_redirects(world):
    token = world.reviewer_token()
    saved = world.post_form(
        f"/r/{token}",
        {"comment.B1": "  Weigh <this> heavily \r\n", "comment.A1": "", "comment.general": "Clear summary.",
              "proposal.scope": "Extend to 24 months", "comment.Z9": "ignored", "sneaky": "ignored"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"] == f"/r/{token}?saved=1"
    [mine, other] = world.store.reviewer_inputs(world.review.review_id)
    assert [(c.section_id, c.text) for c in mine.comments] == [
        ("B1", "Weigh <this> heavily"),
        ("general", "Clear summary."),
    ]
    assert mine.proposals == {"scope": "Extend to 24 months"}
    assert other.comments == () and other.proposals == {}
    page = world.client.get(saved.headers["location"]).text
    assert "Saved." in page
    assert "Weigh &lt;this&gt; heavily" in page and "<this>" not in page
    assert "Extend to 24 months</textarea>" in page


def test_a_later_proposal_replaces_the_earlier_one(world):
    token = world.reviewer_token()
    world.post_form(f"/r/{token}", {"proposal.method": "SILP"})
    world.clock.moment += dt.timedelta(hours=1)
    world.post_form(f"/r/{token}", {"proposal.method": "Learning Together", "proposal.scope": ""})
    [mine, _] = world.store.reviewer_inputs(world.review.review_id)
    assert mine.proposals == {"method": "Learning Together"}
    assert mine.comments == ()


def test_marking_complete_is_recorded_and_shown(world):
    token = world.reviewer_token()
    done = world.post_form(f"/r/{token}/complete", page=f"/r/{token}", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/r/{token}?completed=1"
    [mine, other] = world.store.reviewer_inputs(world.review.review_id)
    assert mine.completed_at == world.clock.now() and other.completed_at is None
    page = world.client.get(done.headers["location"]).text
    assert "marked complete" in page and "You marked your review complete on 27 November 2026" in page
    assert [e.kind for e in world.store.events(world.review.review_id)] == ["reviewer_complete"]


def test_completing_saves_every_box_typed_on_the_page_first(world):
    token = world.reviewer_token()
    page = world.client.get(f"/r/{token}").text
    assert page.count("<form ") == 1, "the complete button is in the same form as every box"
    assert 'name="complete" value="1"' in page
    boxes = re.findall(r'<textarea [^>]*name="([^"]+)"', page)
    assert len(boxes) == 3 + len(world.reviewer_form.proposals)
    typed = {name: f"word{n} for {name}" for n, name in enumerate(boxes)}
    done = world.post_form(f"/r/{token}", {**typed, "complete": "1"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/r/{token}?completed=1"
    [mine, _] = world.store.reviewer_inputs(world.review.review_id)
    stored = [c.text for c in mine.comments] + list(mine.proposals.values())
    assert sorted(stored) == sorted(typed.values())
    assert mine.completed_at == world.clock.now()
    assert [e.kind for e in world.store.events(world.review.review_id)] == ["reviewer_input_saved", "reviewer_complete"]
    assert "everything you typed is saved" in world.client.get(done.headers["location"]).text


def test_completing_with_a_too_long_box_saves_nothing_and_does_not_complete(world):
    token = world.reviewer_token()
    typed = {"comment.B1": "a" * (MAX_TEXT + 1), "comment.general": "kept", "complete": "1"}
    page = world.post_form(f"/r/{token}", typed)
    assert page.status_code == 422 and "kept</textarea>" in page.text
    [mine, _] = world.store.reviewer_inputs(world.review.review_id)
    assert mine.comments == () and mine.completed_at is None


def test_too_long_text_is_refused_and_kept(world):
    token = world.reviewer_token()
    page = world.post_form(f"/r/{token}", {"comment.B1": "a" * (MAX_TEXT + 1), "comment.general": "ok"})
    assert page.status_code == 422
    assert f"Your comment on B1: please shorten this to {MAX_TEXT} characters" in page.text
    assert '<a href="#comment-B1">' in page.text and 'aria-invalid="true"' in page.text
    assert "ok</textarea>" in page.text
    [mine, _] = world.store.reviewer_inputs(world.review.review_id)
    assert mine.comments == ()


def test_a_member_link_cannot_post_reviewer_input(world):
    page = world.client.post(f"/r/{world.member_token()}", data={"comment.B1": "x"})
    assert page.status_code == 404
    assert world.client.post(f"/r/{world.member_token()}/complete").status_code == 404
