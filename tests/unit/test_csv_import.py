"""Importing a Google Forms "Download responses (.csv)" file for the member form."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scr.backends.csv_import import read_google_forms_csv
from scr.backends.google.form_layout import question_refs, question_title
from scr.domain.forms import OTHER, clean_text
from scr.domain.model import ItemAnswer
from scr.errors import ScrError
from tests.samples import member_form

FORM = member_form()
AGENCIES = ["Children's Social Care", "Police", "Health, Community and Mental Health"]
TITLES = [question_title(item, ref.field) for item in FORM.items for ref in question_refs(item)]
UTC = dt.UTC


def _ratings(label_index: int) -> dict[str, str]:
    return {question_title(f, "rating"): FORM.scale[label_index].label for f in FORM.factors()}


def _write(path: Path, rows: list[dict[str, str]], extra: tuple[str, ...] = (), titles: list[str] = TITLES) -> Path:
    header = ["Timestamp", "Email Address", *titles, *extra]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # Google's file starts with a BOM
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def _realistic(tmp_path: Path) -> Path:
    a1 = question_title(FORM.item("A1"), "choice")
    a5 = question_title(FORM.item("A5"), "choices")
    return _write(tmp_path / "responses.csv", [
        {"Timestamp": "2026/11/27 10:15:03 AM GMT", "Email Address": "ann@example.org", **_ratings(0),
         question_title(FORM.item("B1"), "comment"): "Mother's partner, \u201cK\u201d, was not known.\r\nSee p. 4, "
                                                     "para 2.",
         a1: "Extensive: a full review over a long period, all agencies in depth",
         a5: "Police;Health, Community and Mental Health;Youth offending, north",
         question_title(FORM.item("A2"), "comment"): "Neglect;\nschool attendance",
         "Phone": "07700 900123"},
        {"Timestamp": "2026/11/27 3:05:10 PM GMT+1", "Email Address": "bob@example.org", **_ratings(2),
         a1: "A concise review, with a practitioner event", a5: "Children's Social Care; Police"},
        {"Timestamp": "2026/11/27 4:00:00 PM GMT", "Email Address": "cat@example.org", **_ratings(1),
         question_title(FORM.item("B2"), "rating"): "Massively important"},
        {},
        {"Timestamp": "27/11/2026 10:00:00", "Email Address": "dan@example.org", **_ratings(1)},
    ], extra=("Phone",))


def test_a_realistic_download_is_matched_to_items(tmp_path: Path) -> None:
    imported = read_google_forms_csv(_realistic(tmp_path), FORM, AGENCIES)
    ann, bob, dan = imported.rows
    assert ann.email == "ann@example.org"
    assert ann.submitted_at == dt.datetime(2026, 11, 27, 10, 15, 3, tzinfo=UTC)
    assert ann.answers["B1"] == ItemAnswer(rating="central", comment="Mother's partner, \u201cK\u201d, was not "
                                                                     "known.\nSee p. 4, para 2.")
    assert ann.answers["A1"] == ItemAnswer(choice="extensive")
    assert ann.answers["A5"] == ItemAnswer(choices=("police", "health_community_and_mental_health", OTHER),
                                           other="Youth offending, north")
    assert ann.answers["A2"] == ItemAnswer(comment="Neglect;\nschool attendance")
    assert ann.answers["Q1"].is_empty and set(ann.answers) == {i.id for i in FORM.items}
    assert bob.submitted_at == dt.datetime(2026, 11, 27, 14, 5, 10, tzinfo=UTC)
    assert bob.answers["A1"] == ItemAnswer(choice=OTHER, other="A concise review, with a practitioner event")
    assert bob.answers["A5"].choices == ("children_s_social_care", "police")
    assert bob.answers["C1"].rating == "minor"
    assert dan.submitted_at == dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # day first (27 is no month), UK time
    assert imported.notes == ["1 timestamp(s) carry no time zone so they were read as Europe/London time (the "
                              "board's `timezone` setting). If the form's owner keeps another zone, set "
                              "deadlines.timezone to it and import the file again: nothing is doubled."]


def test_unmatched_columns_and_unknown_values_are_reported_without_their_text(tmp_path: Path) -> None:
    problems = read_google_forms_csv(_realistic(tmp_path), FORM, AGENCIES).problems
    assert problems == [
        f"column {len(TITLES) + 3} ('Phone') matches no question of this form; not imported",
        "row 4: column 5 (B2) holds a value that is not one of the form's options; row not imported",
    ]
    text = "\n".join(problems)
    assert "Massively" not in text and "07700" not in text and "cat@example.org" not in text


def test_a_question_without_a_column_and_an_option_the_form_does_not_offer(tmp_path: Path) -> None:
    a1 = question_title(FORM.item("A3"), "choice")
    path = _write(tmp_path / "r.csv", [{"Timestamp": "2026-11-27T10:15:03Z", "Email Address": "ann@example.org",
                                        question_title(FORM.item("B1"), "rating"): "Don't know", a1: "Traditional"}],
                  titles=[question_title(FORM.item("B1"), "rating"), a1])
    imported = read_google_forms_csv(path, FORM, AGENCIES)
    assert imported.rows[0].answers["B1"].rating == "dont_know"
    assert imported.rows[0].answers["A3"] == ItemAnswer(choice=OTHER, other="Traditional")  # A3 allows other
    assert f"no column for '{question_title(FORM.item('B2'), 'rating')}'; those answers are empty" in imported.problems
    assert len(imported.problems) == len(TITLES) - 2


def test_missing_required_columns_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("When,Who\n2026-11-27 10:00,ann@example.org\n", encoding="utf-8")
    with pytest.raises(ScrError, match="Timestamp and Email Address"):
        read_google_forms_csv(path, FORM, AGENCIES)
    with pytest.raises(ScrError, match="does not exist"):
        read_google_forms_csv(tmp_path / "none.csv", FORM, AGENCIES)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_comment_text_round_trips(text: str) -> None:
    comment = question_title(FORM.item("B1"), "comment")
    with tempfile.TemporaryDirectory() as directory:
        path = _write(Path(directory) / "r.csv", [{"Timestamp": "2026/11/27 10:15:03 AM GMT",
                                                   "Email Address": "ann@example.org", comment: text}])
        imported = read_google_forms_csv(path, FORM, AGENCIES)
    (row,) = imported.rows
    assert row.answers["B1"].comment == clean_text(text)
