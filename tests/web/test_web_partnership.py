"""The pages a safeguarding partnership's members and lead reviewers see speak of no board."""

from __future__ import annotations

import html

from tests.wording import find_board_wording


def names(world) -> list[str]:
    return [world.review.board_name, *world.review.agencies]


def test_the_example_is_a_partnership(world):
    assert world.review.vocabulary.is_partnership and world.review.partners is not None


def test_the_member_form_and_its_thank_you_page_speak_of_no_board(world, answers):
    token = world.member_token()
    page = html.unescape(world.client.get(f"/f/{token}").text)
    assert "Local Child Safeguarding Practice Review" in page
    assert find_board_wording(page, names(world)) == []
    done = world.post_form(f"/f/{token}", answers)
    assert done.status_code == 200 and find_board_wording(html.unescape(done.text), names(world)) == []


def test_the_reviewer_page_speaks_of_no_board(world):
    page = html.unescape(world.client.get(f"/r/{world.reviewer_token()}").text)
    assert "members of the partnership answered" in page
    assert find_board_wording(page, names(world)) == []
