"""A local web app on a real SQLite store, with the example board's review and a fixed clock."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scr.config import load_board_config, review_from_config
from scr.domain.forms import MemberForm, ReviewerForm, load_member_form, load_reviewer_form
from scr.domain.model import LeadReviewer, Member, Review, Role
from scr.domain.schedule import Schedule
from scr.domain.summary import AttributedText, FactorSummary, ItemSummary, SummarySection, Tally
from scr.entrypoints.web import create_app
from scr.rendering import Renderer
from scr.store.store import SqlStore

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
DEADLINE = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)


class FixedClock:
    def __init__(self, moment: dt.datetime):
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment


def small_summary(review: Review) -> FactorSummary:
    """A hand-made factor summary: one case factor, one decision, with attributed comments."""
    b1 = ItemSummary(
        item_id="B1", group="case", kind="factor",
        label="types of strengths and vulnerabilities of the family and carers",
        tallies=(
            Tally("central", "Central: should shape the review", 2, ("Northshire Police",)),
            Tally("minor", "Minor: worth noting only", 1, ("Probation Service",)),
        ),
        others=(),
        comments=(AttributedText("Northshire Police", "Head of public protection", "Domestic abuse <b>history</b>"),),
        answered=3, weight="central",
        disagreement="Members differ: Probation Service rated this minor, others central.",
    )  # fmt: skip
    a1 = ItemSummary(
        item_id="A1", group="decision", kind="choice", label="the breadth and depth of the investigation",
        tallies=(Tally("focused", "Focused", 1, ("Northshire Homes",)),), others=(), comments=(),
        answered=1, weight="", disagreement=None,
    )  # fmt: skip
    return FactorSummary(
        review_id=review.review_id, child_pseudonym=review.child_pseudonym, generated_at=START,
        invited=len(review.members), respondents=review.members[:3], non_respondents=review.members[3:],
        late_excluded=(),
        sections=(SummarySection("case", "Factors related to the case", (b1,)),
                  SummarySection("decisions", "What the commissioning decision must specify", (a1,))),
    )  # fmt: skip


@dataclass
class World:
    store: SqlStore
    review: Review
    clock: FixedClock
    client: TestClient
    member_form: MemberForm
    reviewer_form: ReviewerForm

    @property
    def member(self) -> Member:
        return self.review.members[0]

    @property
    def reviewer(self) -> LeadReviewer:
        return self.review.lead_reviewers[0]

    def member_token(self, member: Member | None = None) -> str:
        return self.store.issue_token(self.review.review_id, (member or self.member).email, Role.MEMBER)

    def reviewer_token(self) -> str:
        return self.store.issue_token(self.review.review_id, self.reviewer.email, Role.REVIEWER)

    def post_form(self, path: str, data: dict | None = None, page: str | None = None, **kwargs):
        """Post as a browser does: open the page (``page``, else ``path``), then send its hidden csrf field."""
        return self.client.post(path, data={**(data or {}), "csrf": csrf_of(self.client.get(page or path).text)},
                                **kwargs)  # fmt: skip


CSRF = re.compile(r'<input type="hidden" name="csrf" value="([0-9a-f]{64})">')


def csrf_of(html: str) -> str:
    """The hidden csrf field of the (first) form on a page."""
    found = CSRF.search(html)
    assert found, "the page has no csrf field"
    return found.group(1)


@pytest.fixture
def world(tmp_path: Path) -> World:
    store = SqlStore.for_data_dir(tmp_path / "data")
    review = review_from_config(load_board_config(ROOT / "config" / "example-board.yaml"))
    store.create_review(review, Schedule(response_deadline=DEADLINE))
    clock = FixedClock(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    member_form = load_member_form(ROOT / "forms" / "member-form.yaml")
    reviewer_form = load_reviewer_form(ROOT / "forms" / "reviewer-form.yaml")
    app = create_app(store, member_form, reviewer_form, clock, Renderer(), lambda _id: small_summary(review))
    with TestClient(app) as client:
        yield World(store, review, clock, client, member_form, reviewer_form)
    store.close()


def valid_answers(form: MemberForm, review: Review) -> dict[str, list[str]]:
    """A complete, valid member form post."""
    fields: dict[str, list[str]] = {}
    for item in form.items:
        options = form.options_for(item, review.agencies)
        if item.kind == "factor":
            fields[f"{item.id}.rating"] = ["significant"]
        elif item.kind == "choice":
            fields[f"{item.id}.choice"] = [options[0].value]
        elif item.kind == "multi":
            fields[f"{item.id}.choice"] = [options[0].value, options[2].value]
        else:
            fields[f"{item.id}.comment"] = [f"Answer to {item.id}"]
    return fields


@pytest.fixture
def answers(world: World) -> dict[str, list[str]]:
    return valid_answers(world.member_form, world.review)
