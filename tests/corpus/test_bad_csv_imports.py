"""`scr import-responses` with Google Forms CSV downloads that are damaged, edited or merely unusual.

A file that cannot be read is refused (exit 2) naming the file and what to do; a row that cannot be read is
left out and reported by row and column; rows from anyone not a member are held apart and listed; the
same answers imported twice are kept once. The command never prints a cell's text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from scr.backends.google.form_layout import question_refs, question_title
from scr.domain.forms import MemberForm
from scr.entrypoints.cli import main
from scr.services.backend import Backend
from tests.corpus.cases import (
    CSV,
    HELD_APART,
    NOTHING,
    REFUSED,
    REPORTED,
    SECRET,
    VERBATIM,
    VERSIONS,
    Case,
    params,
    unique,
)
from tests.unit.test_import_responses import ANGELA, HELEN, REVIEW_ID, SARAH, STRANGER, _google_time, start_review

RTL_MIXED = ("\u05d0\u05de\u05d0 \u05d0\u05de\u05e8\u05d4 \u00ab\u0644\u0627 \u0623\u0639\u0631\u0641\u00bb "
             "and \u6bcd\u4eb2 said no \u200f(\u05e1\u05d5\u05e3)")
HTML_TEMPLATE = "<script>alert(1)</script> {{ 7*6007 }} {% if x %}{% endif %} =HYPERLINK(\"http://evil.example\")"
HUGE = SECRET + " " + "\u0645\u0631\u062d\u0628\u0627 " * 40_000  # 240,000 characters in one cell


@dataclass
class Sheet:
    """Builds a download for the review's member form: rows by column title, written as Google writes them."""

    form: MemberForm
    deadline: dt.datetime

    @property
    def titles(self) -> list[str]:
        return [question_title(item, ref.field) for item in self.form.items for ref in question_refs(item)]

    def title(self, item_id: str, field: str) -> str:
        return question_title(self.form.item(item_id), field)

    def at(self, hours: float = 0) -> str:
        return _google_time(self.deadline - dt.timedelta(days=3) + dt.timedelta(hours=hours))

    def row(self, email: str, hours: float = 0, rating: int = 1, **by_item: str) -> dict[str, str]:
        """A complete row: every factor rated, plus answers given as B1_comment="..." or A1_choice="..."."""
        ratings = {self.title(f.id, "rating"): self.form.scale[rating].label for f in self.form.factors()}
        answers = {self.title(*key.split("_", 1)) if "_" in key else key: value for key, value in by_item.items()}
        return {"Timestamp": self.at(hours), "Email Address": email, **ratings, **answers}

    def text(self, rows: list[dict[str, str]], header: list[str] | None = None, extra: tuple[str, ...] = ()) -> str:
        header = header or ["Timestamp", "Email Address", *self.titles, *extra]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([row.get(column, "") for column in header] for row in rows)
        return out.getvalue()


Build = Callable[[Sheet], str | bytes]


def case(id: str, outcome: str, build: Build, says: tuple[str, ...] = (), **expect) -> Case:
    return Case(id, CSV, outcome, {"build": build, "says": says, **expect})


def _in_zone(google_time: str, zone: str) -> str:
    """A timestamp as ``_google_time`` writes it ("... GMT"), with another zone abbreviation (or none)."""
    return f"{google_time.removesuffix(' GMT')} {zone}".strip()


def _short_row(s: Sheet) -> str:
    good = s.text([s.row(HELEN, B1_comment=SECRET)])
    return good + f"{s.at(1)},{SARAH}\r\n"


def _extra_cells(s: Sheet) -> str:
    return s.text([s.row(HELEN)]) + s.text([s.row(SARAH, B1_comment="fine")]).splitlines()[1] + f",{SECRET},x\r\n"


CASES = unique([
    case("unknown-column", REPORTED, lambda s: s.text([s.row(HELEN, Phone="07700 900123")], extra=("Phone",)),
         says=("column 31 ('Phone') matches no question of this form; not imported",),
         saved={HELEN: 1}, secrets=("07700 900123",)),
    case("no-email-column", REFUSED, lambda s: s.text([s.row(HELEN)], header=["Timestamp", *s.titles]),
         says=("needs the columns Timestamp and Email Address",)),
    case("unknown-respondent", HELD_APART, lambda s: s.text([s.row(HELEN), s.row(STRANGER, 1, B1_comment=SECRET)]),
         says=("1 address(es) held apart", STRANGER), saved={HELEN: 1}, held=[STRANGER]),
    case("row-without-an-address", REPORTED, lambda s: s.text([s.row(HELEN), s.row("", 1, B1_comment=SECRET)]),
         says=("row 3: the Email Address is missing or not an address; row not imported",), saved={HELEN: 1}),
    case("identical-duplicate-rows", VERSIONS, lambda s: s.text([s.row(HELEN, B1_comment=SECRET)] * 2),
         says=("1 response(s) saved", "0 unchanged (imported before)",
               "1 row(s) repeated within this file, imported once: row 3 (as row 2)"),
         saved={HELEN: 1}, latest={HELEN: SECRET}),
    case("same-member-twice-at-two-times", VERSIONS,
         lambda s: s.text([s.row(HELEN, 2, B1_comment=RTL_MIXED), s.row(HELEN, 0, B1_comment=SECRET)]),
         says=("2 response(s) saved",), saved={HELEN: 2}, latest={HELEN: RTL_MIXED}),
    case("same-member-same-time-different-answers", REPORTED,
         lambda s: s.text([s.row(HELEN, B1_comment=SECRET), s.row(HELEN, B1_comment=RTL_MIXED)]),
         says=("row 3: the same Email Address and Timestamp as row 2 but different answers",),
         saved={HELEN: 1}, latest={HELEN: SECRET}),
    case("day-and-month-in-an-order-the-file-never-settles", REPORTED,
         lambda s: s.text([{**s.row(SARAH, B1_comment=SECRET), "Timestamp": "03/04/2026 10:15:03"}, s.row(HELEN)]),
         says=("row 2: the Timestamp puts the day and month in an order no row of this file settles",),
         saved={HELEN: 1}),
    case("rating-outside-the-scale", REPORTED,
         lambda s: s.text([{**s.row(SARAH), s.title("B2", "rating"): SECRET}, s.row(HELEN)]),
         says=("row 2: column 5 (B2) holds a value that is not one of the form's options",), saved={HELEN: 1}),
    case("short-row", REPORTED, _short_row, says=("row 3: it has 2 cells where the first row has 30",),
         saved={HELEN: 1}),
    case("cells-beyond-the-header", REPORTED, _extra_cells, says=("row 3: it has 32 cells where the first row has 30",),
         saved={HELEN: 1}),
    case("semicolon-separated", REFUSED, lambda s: s.text([s.row(HELEN)]).replace(",", ";"),
         says=("separated by semicolons, not commas",)),
    case("empty-file", REFUSED, lambda s: "", says=("is empty",)),
    case("a-folder-not-a-file", REFUSED, lambda s: "", says=("is a folder",), folder=True),
    case("saved-as-windows-1252", REFUSED, lambda s: s.text([s.row(HELEN, B1_comment="caf\u00e9")]).encode("cp1252"),
         says=("not UTF-8",)),
    case("header-only", NOTHING, lambda s: s.text([]), says=("0 response(s) saved", "0 unchanged"), saved={}),
    case("byte-order-mark", VERBATIM,
         lambda s: s.text([s.row(HELEN, B1_comment=RTL_MIXED)]).encode("utf-8-sig"),
         says=("1 response(s) saved",), saved={HELEN: 1}, latest={HELEN: RTL_MIXED}),
    case("huge-cell", REPORTED, lambda s: s.text([s.row(ANGELA, B1_comment=HUGE), s.row(HELEN)]),
         says=(f"row 2: column 4 (B1) holds {len(HUGE.strip()):,} characters, over the 5,000 every form allows",
               "0 unchanged"), saved={HELEN: 1}),
    case("one-character-over-the-limit", REPORTED, lambda s: s.text([s.row(ANGELA, B1_comment="x" * 5001)]),
         says=("row 2: column 4 (B1) holds 5,001 characters, over the 5,000 every form allows; ask the member to "
               "shorten the answer; row not imported",),
         saved={}),
    case("other-text-over-the-limit", REPORTED,
         lambda s: s.text([s.row(ANGELA, A5_choices="Northshire Police;" + SECRET + "y" * 5000)]),
         says=("column 27 (A5) holds 5,032 characters, over the 5,000 every form allows",), saved={}),
    case("exactly-at-the-limit", VERBATIM, lambda s: s.text([s.row(ANGELA, B1_comment=SECRET + "z" * 4968)]),
         says=("1 response(s) saved",), saved={ANGELA: 1}, latest={ANGELA: SECRET + "z" * 4968}),
    case("checkbox-joined-with-commas", REPORTED,
         lambda s: s.text([s.row(HELEN, A5_choices="Northshire Police, Northshire Homes")]),
         says=("row 2: column 27 (A5) matches no option exactly",), saved={}),
    case("option-in-other-capitals", REPORTED,
         lambda s: s.text([s.row(HELEN, A3_choice="appreciative  INQUIRY"), s.row(SARAH, 1)]),
         says=("row 2: column 24 (A3) matches no option exactly",), saved={SARAH: 1}),
    case("dated-before-the-review-started", REPORTED,
         lambda s: s.text([s.row(HELEN, -24 * 40, B1_comment=SECRET), s.row(SARAH)]),
         says=("row 2: dated", "before the review started", "row not imported"), saved={SARAH: 1}),
    case("zone-abbreviation-of-the-owner", VERBATIM,  # as in a real export: "2022/06/22 11:07:29 AM AST"
         lambda s: s.text([{**s.row(HELEN, B1_comment=SECRET), "Timestamp": _in_zone(s.at(), "AST")},
                           {**s.row(SARAH), "Timestamp": _in_zone(s.at(1), "AST")}]),
         says=("2 response(s) saved", "Note: 2 timestamp(s) carry the zone abbreviation AST, which names no single "
               "offset, so they were read as Europe/London time"), saved={HELEN: 1, SARAH: 1},
         latest={HELEN: SECRET}),
    case("no-zone-at-all", VERBATIM,
         lambda s: s.text([{**s.row(HELEN, B1_comment=SECRET), "Timestamp": _in_zone(s.at(), "")}]),
         says=("1 response(s) saved", "Note: 1 timestamp(s) carry no time zone"), saved={HELEN: 1},
         latest={HELEN: SECRET}),
    case("rtl-and-mixed-scripts", VERBATIM,
         lambda s: s.text([s.row(HELEN, B1_comment=RTL_MIXED, A5_choices=f"Northshire Police;{RTL_MIXED}")]),
         says=("1 response(s) saved",), saved={HELEN: 1}, latest={HELEN: RTL_MIXED}, other=RTL_MIXED),
    case("html-and-template-syntax", VERBATIM, lambda s: s.text([s.row(HELEN, B1_comment=HTML_TEMPLATE)]),
         says=("1 response(s) saved",), saved={HELEN: 1}, latest={HELEN: HTML_TEMPLATE}),
])


@pytest.fixture
def started(tmp_path: Path) -> tuple[Path, Backend, Sheet]:
    """The example board's review in a fresh store, its response window open."""
    path, backend, schedule = start_review(tmp_path)
    return path, backend, Sheet(backend.member_form, schedule.response_deadline)


@pytest.mark.parametrize("case", params(CASES))
def test_a_responses_file_is_imported_refused_or_reported_never_echoed(
    case: Case, started, tmp_path, capsys, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    config_path, backend, sheet = started
    content = case.data["build"](sheet)
    path = tmp_path / "responses.csv"
    if case.data.get("folder"):
        path.mkdir()
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    status = main(["import-responses", str(config_path), str(path)])
    out, err = capsys.readouterr()
    printed = out + err + caplog.text
    assert "Traceback" not in printed and SECRET not in printed and "\u0645\u0631\u062d\u0628\u0627" not in printed
    assert not any(text in printed for text in (*case.data.get("secrets", ()), RTL_MIXED, HTML_TEMPLATE))
    assert all(words in printed for words in case.data["says"]), printed

    store = backend.store
    if case.outcome == REFUSED:
        assert status == 2 and out == "" and str(path) in err
        assert store.response_versions(REVIEW_ID) == {} and store.held_responses(REVIEW_ID) == []
        return
    assert status == 0, err
    assert store.response_versions(REVIEW_ID) == case.data["saved"]
    latest = {r.member_email: r for r in store.latest_responses(REVIEW_ID)}
    for email, comment in case.data.get("latest", {}).items():
        assert latest[email].answers["B1"].comment == comment
    if "other" in case.data:
        assert latest[HELEN].answers["A5"].choices == ("northshire_police", "other")
        assert latest[HELEN].answers["A5"].other == case.data["other"]
    held = case.data.get("held", [])
    assert [email for email, _ in store.held_responses(REVIEW_ID)] == held
    assert not set(held) & set(latest)  # held apart, never merged
    if case.outcome == REPORTED:
        assert "problem(s) to check in the file" in out
    else:
        assert "problem(s)" not in out
    assert not any(SECRET in event.detail for event in store.events(REVIEW_ID))
