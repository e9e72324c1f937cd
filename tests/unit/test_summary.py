"""consolidate(): the factor summary of the members' input, item by item."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scr.domain.model import ItemAnswer, Response
from scr.domain.summary import consolidate
from tests import samples

AT = dt.datetime(2026, 12, 8, 9, 0)
POLICE, HOMES, NHS = "Northshire Police", "Northshire Homes", "NHS Northshire Hospitals Trust"


def answering(review, **by_index: dict[str, ItemAnswer]) -> list[Response]:
    """Responses keyed by member index: ``answering(review, m2={"B1": ...})``."""
    return [samples.response(review.members[int(key[1:])].email, **answers) for key, answers in by_index.items()]


def rated(review, item_id: str, ratings: dict[int, str]) -> list[Response]:
    return [samples.response(review.members[i].email, **{item_id: ItemAnswer(rating=r)}) for i, r in ratings.items()]


def test_respondents_and_non_respondents_follow_member_order(review, form):
    responses = rated(review, "B1", {5: "central", 0: "minor", 3: "central"})
    summary = consolidate(review, form, responses, AT)
    assert [m.email for m in summary.respondents] == [review.members[i].email for i in (0, 3, 5)]
    assert len(summary.non_respondents) == 10
    assert summary.non_respondents[0] == review.members[1]
    assert summary.invited == 13 and summary.answered == 3
    assert summary.generated_at == AT and summary.review_id == "SCR-2026-014"
    assert summary.child_pseudonym == "Child T"


def test_email_not_a_member_is_ignored(review, form):
    stranger = samples.response("someone@elsewhere.example.org", B1=ItemAnswer(rating="central"))
    summary = consolidate(review, form, [stranger, *rated(review, "B1", {0: "minor"})], AT)
    assert summary.answered == 1
    assert summary.item("B1").tallies[0].count == 0


def test_member_email_matches_whatever_its_case(review, form):
    shouted = samples.response(review.members[2].email.upper(), B1=ItemAnswer(rating="central"))
    summary = consolidate(review, form, [shouted], AT)
    assert summary.respondents == (review.members[2],)


def test_late_responses_are_excluded_and_listed(review, form):
    late = samples.response(review.members[1].email, late=True, B1=ItemAnswer(rating="central"))
    summary = consolidate(review, form, [late, *rated(review, "B1", {0: "minor"})], AT)
    assert summary.late_excluded == (review.members[1],)
    assert review.members[1] not in summary.non_respondents
    assert review.members[1] not in summary.respondents
    assert summary.item("B1").tallies[0].count == 0


def test_late_responses_are_included_when_asked(review, form):
    late = samples.response(review.members[1].email, late=True, B1=ItemAnswer(rating="central"))
    summary = consolidate(review, form, [late], AT, include_late=True)
    assert summary.late_excluded == ()
    assert summary.respondents == (review.members[1],)
    assert summary.item("B1").tallies[0].count == 1


def test_the_latest_response_of_a_member_counts(review, form):
    email = review.members[0].email
    old = samples.response(email, samples.OPENED, B1=ItemAnswer(rating="minor"))
    new = samples.response(email, samples.OPENED + dt.timedelta(days=2), B1=ItemAnswer(rating="central"))
    summary = consolidate(review, form, [new, old], AT)
    assert {t.value: t.count for t in summary.item("B1").tallies}["central"] == 1
    assert summary.answered == 1


def test_sections_and_items_follow_the_form(review, form):
    summary = consolidate(review, form, [], AT)
    assert [s.section_id for s in summary.sections] == [s.id for s in form.sections]
    assert [i.item_id for i in summary.items] == [i.id for i in form.items]
    b1 = summary.item("B1")
    assert (b1.group, b1.kind, b1.label) == ("case", "factor", form.item("B1").label)
    assert summary.item("C4").group == "context" and summary.item("A3").group == "decision"


def test_factor_tallies_cover_the_whole_scale_with_zeros(review, form):
    summary = consolidate(review, form, rated(review, "B2", {0: "central", 2: "central", 4: "dont_know"}), AT)
    tallies = summary.item("B2").tallies
    assert [t.value for t in tallies] == ["central", "significant", "minor", "not_relevant", "dont_know"]
    assert [t.count for t in tallies] == [2, 0, 0, 0, 1]
    assert tallies[0].label == "Central: should shape the review"
    assert tallies[1].agencies == ()


def test_tally_agencies_are_distinct_and_in_member_order(review, form):
    ratings = {3: "central", 1: "central", 2: "central", 0: "central"}
    summary = consolidate(review, form, rated(review, "B1", ratings), AT)
    assert summary.item("B1").tallies[0].agencies == (NHS, POLICE)


def test_factor_answered_leaves_out_dont_know(review, form):
    summary = consolidate(review, form, rated(review, "C3", {0: "dont_know", 1: "minor", 2: "dont_know"}), AT)
    assert summary.item("C3").answered == 1
    assert summary.item("C3").has_input


@pytest.mark.parametrize(
    ("ratings", "weight"),
    [
        (["central", "minor", "not_relevant"], "minor"),
        (["central", "significant", "minor", "not_relevant"], "significant"),
        (["not_relevant", "central"], "central"),
        (["minor"], "minor"),
        (["dont_know", "dont_know"], "no view"),
        ([], "no view"),
        (["central", "central", "not_relevant", "dont_know"], "central"),
    ],
)
def test_factor_weight_is_the_median_most_weighty_first(review, form, ratings, weight):
    summary = consolidate(review, form, rated(review, "C1", dict(enumerate(ratings))), AT)
    assert summary.item("C1").weight == weight


@pytest.mark.parametrize(("high", "low", "split"), [(6, 6, True), (8, 4, True), (9, 3, False), (11, 1, False),
                                                     (1, 0, False), (1, 2, True)])
def test_a_split_needs_a_third_on_each_side(high, low, split):
    from scr.domain.summary import is_split

    assert is_split(high, low) is split


def test_factor_disagreement_names_counts_and_agencies(review, form):
    ratings = {2: "central", 3: "significant", 0: "central", 10: "minor", 12: "not_relevant", 1: "dont_know"}
    disagreement = consolidate(review, form, rated(review, "B3", ratings), AT).item("B3").disagreement
    assert disagreement == (
        f"Members are split: 3 rated it central or significant ({NHS}, {POLICE}); "
        f"2 rated it minor or not relevant ({HOMES}, Family Support Northshire (voluntary sector))."
    )


@pytest.mark.parametrize(
    "ratings",
    [["central", "significant"], ["minor", "not_relevant", "dont_know"], ["central", "dont_know"], [],
     ["central"] * 6 + ["significant"] * 5 + ["minor"]],  # 11 to 1 is not a split
)
def test_no_factor_disagreement_when_members_agree(review, form, ratings):
    summary = consolidate(review, form, rated(review, "B3", dict(enumerate(ratings))), AT)
    assert summary.item("B3").disagreement is None


def test_comments_are_attributed_in_member_order_non_empty_only(review, form):
    responses = answering(
        review,
        m4={"B1": ItemAnswer(rating="central", comment="Second")},
        m0={"B1": ItemAnswer(rating="minor", comment="First")},
        m2={"B1": ItemAnswer(rating="minor", comment="")},
    )
    comments = consolidate(review, form, responses, AT).item("B1").comments
    assert [(c.agency, c.role, c.text) for c in comments] == [
        (NHS, "Named doctor for safeguarding", "First"),
        ("Northshire Council Children's Social Care", "Director of children's services", "Second"),
    ]


def test_non_factor_items_have_no_weight(review, form):
    summary = consolidate(review, form, samples.sample_responses(review, form), AT)
    assert {i.weight for i in summary.items if i.kind != "factor"} == {""}


def choosing(review, item_id: str, choices: dict[int, str]) -> list[Response]:
    return [samples.response(review.members[i].email, **{item_id: ItemAnswer(choice=c)}) for i, c in choices.items()]


def test_choice_tallies_every_option_including_other(review, form):
    summary = consolidate(review, form, choosing(review, "A3", {0: "silp", 1: "silp", 2: "other"}), AT)
    tallies = summary.item("A3").tallies
    assert [t.value for t in tallies] == [
        "traditional",
        "learning_together",
        "silp",
        "child_practice_review",
        "appreciative_inquiry",
        "hybrid",
        "other",
    ]
    assert [t.count for t in tallies] == [0, 0, 2, 0, 0, 0, 1]
    assert tallies[2].agencies == (NHS,)


def test_choice_others_and_answered(review, form):
    responses = answering(
        review,
        m0={"A1": ItemAnswer(choice="other", other="Two phases")},
        m2={"A1": ItemAnswer(comment="No view on breadth yet")},
        m3={"A1": ItemAnswer()},
    )
    item = consolidate(review, form, responses, AT).item("A1")
    assert item.others[0].text == "Two phases" and item.others[0].agency == NHS
    assert item.answered == 2
    assert item.disagreement is None


def test_if_other_text_without_choosing_other_is_a_comment_never_an_other_answer(review, form):
    responses = answering(
        review,
        m0={"A1": ItemAnswer(choice="focused", other="Typed in the box anyway", comment="Short is best")},
        m1={"A5": ItemAnswer(choices=("northshire_police",), other="Youth offending")},
        m2={"A5": ItemAnswer(choices=("northshire_police", "other"), other="Schools")},
    )
    summary = consolidate(review, form, responses, AT)
    assert summary.item("A1").others == ()
    assert [c.text for c in summary.item("A1").comments] == ["Short is best\n\nTyped in the box anyway"]
    assert [o.text for o in summary.item("A5").others] == ["Schools"]
    assert [c.text for c in summary.item("A5").comments] == ["Youth offending"]  # accounted for, not lost


def test_choice_with_a_strict_majority_shows_no_disagreement(review, form):
    responses = choosing(review, "A3", {0: "silp", 1: "silp", 2: "traditional"})
    assert consolidate(review, form, responses, AT).item("A3").disagreement is None


def test_choice_without_a_strict_majority_is_a_disagreement(review, form):
    responses = choosing(review, "A3", {0: "silp", 1: "silp", 2: "traditional", 10: "traditional"})
    disagreement = consolidate(review, form, responses, AT).item("A3").disagreement
    assert disagreement is not None
    assert "2 chose SILP (Significant Incident Learning Process) (NHS Northshire Hospitals Trust)" in disagreement
    assert f"2 chose {form.item('A3').options[0].label} ({POLICE}, {HOMES})" in disagreement


def test_multi_tallies_agencies_options_and_answered(review, form):
    police, homes = "northshire_police", "northshire_homes"
    responses = answering(
        review,
        m0={"A5": ItemAnswer(choices=(police, homes))},
        m1={"A5": ItemAnswer(choices=(police,))},
        m2={"A5": ItemAnswer(comment="All of them")},
    )
    item = consolidate(review, form, responses, AT).item("A5")
    counts = {t.label: t.count for t in item.tallies}
    assert list(counts)[: len(review.agencies)] == review.agencies
    assert list(counts)[-1] == "Other (say which below)"
    assert counts[POLICE] == 2 and counts[HOMES] == 1 and counts[NHS] == 0
    assert item.answered == 3
    assert item.disagreement is None


def test_text_item_counts_non_empty_comments(review, form):
    responses = answering(review, m0={"A2": ItemAnswer(comment="Health visiting")}, m1={"A2": ItemAnswer()})
    item = consolidate(review, form, responses, AT).item("A2")
    assert item.tallies == () and item.others == ()
    assert item.answered == 1
    assert item.comments[0].text == "Health visiting"


def test_member_with_no_answer_to_an_item_is_not_counted(review, form):
    summary = consolidate(review, form, answering(review, m0={}), AT)
    assert summary.answered == 1
    assert all(i.answered == 0 for i in summary.items)
    assert sum(t.count for t in summary.item("B1").tallies) == 0


# Properties -------------------------------------------------------------------------------------------

answers = st.fixed_dictionaries(
    {},
    optional={
        "B1": st.builds(ItemAnswer, rating=st.sampled_from(samples.RATINGS), comment=st.text(max_size=30)),
        "C2": st.builds(ItemAnswer, rating=st.sampled_from(samples.RATINGS), comment=st.text(max_size=30)),
        "A1": st.builds(
            ItemAnswer,
            choice=st.none() | st.sampled_from(["focused", "standard", "extensive", "other"]),
            other=st.text(max_size=30),
            comment=st.text(max_size=30),
        ),
        "A5": st.builds(
            ItemAnswer,
            choices=st.lists(st.sampled_from(["northshire_police", "probation_service", "other"]), unique=True).map(
                tuple
            ),
            comment=st.text(max_size=30),
        ),
        "Q1": st.builds(ItemAnswer, comment=st.text(max_size=60)),
    },
)
# Fixtures are read-only; the first draw of unicode text can be slow while hypothesis builds its tables.
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
member_answers = st.dictionaries(st.integers(0, 12), st.tuples(answers, st.booleans()), max_size=13)


def build(review, given: dict) -> list[Response]:
    return [samples.response(review.members[i].email, late=late, **a) for i, (a, late) in given.items()]


@settings(PROPERTY, max_examples=60)
@given(given_answers=member_answers, include_late=st.booleans())
def test_everyone_is_counted_exactly_once(review, form, given_answers, include_late):
    summary = consolidate(review, form, build(review, given_answers), AT, include_late=include_late)
    people = [*summary.respondents, *summary.non_respondents, *summary.late_excluded]
    assert sorted(m.email for m in people) == sorted(m.email for m in review.members)
    assert len(people) == len(review.members) == summary.invited
    for item in summary.items:
        assert 0 <= item.answered <= summary.answered
        assert all(t.count <= summary.answered for t in item.tallies)


@settings(PROPERTY, max_examples=60)
@given(given_answers=member_answers)
def test_factor_tallies_sum_to_those_who_rated(review, form, given_answers):
    summary = consolidate(review, form, build(review, given_answers), AT, include_late=True)
    rated_b1 = sum(1 for a, _ in given_answers.values() if "B1" in a)
    assert sum(t.count for t in summary.item("B1").tallies) == rated_b1
    assert sum(t.count for t in summary.item("B1").tallies if t.value != "dont_know") == summary.item("B1").answered


@settings(PROPERTY, max_examples=30)
@given(
    ratings=st.lists(st.sampled_from(samples.RATINGS), max_size=13),
    comment=st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
)
def test_arbitrary_unicode_comments_are_kept_as_typed(review, form, ratings, comment):
    responses = [
        samples.response(review.members[i].email, B1=ItemAnswer(rating=r, comment=comment))
        for i, r in enumerate(ratings)
    ]
    summary = consolidate(review, form, responses, AT)
    assert sum(t.count for t in summary.item("B1").tallies) == summary.answered == len(ratings)
    assert len(summary.item("B1").comments) == (len(ratings) if comment else 0)


def test_every_respondent_rates_every_factor_in_the_sample(review, form):
    summary = consolidate(review, form, samples.sample_responses(review, form, seed=3), AT)
    for factor in form.factors():
        assert sum(t.count for t in summary.item(factor.id).tallies) == summary.answered == 13
