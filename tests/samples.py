"""Sample inputs for tests: the example board's review, members' responses and lead reviewers' input.

Builders only; no assertions. Reuse them from any test with ``from tests import samples``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

from scr.config import load_board_config, review_from_config
from scr.domain.decisions import BoardDecision, DecisionRecord, ProposalTaken, Taken, open_proposals
from scr.domain.forms import MemberForm, ReviewerForm, load_member_form, load_reviewer_form
from scr.domain.model import (
    Event,
    ItemAnswer,
    Response,
    Review,
    ReviewerComment,
    ReviewerInput,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_BOARD = ROOT / "config" / "example-board.yaml"
MEMBER_FORM = ROOT / "forms" / "member-form.yaml"
REVIEWER_FORM = ROOT / "forms" / "reviewer-form.yaml"

OPENED = dt.datetime(2026, 11, 23, 9, 0)
CLOSED = dt.datetime(2026, 12, 7, 17, 0)
RATINGS = ("central", "significant", "minor", "not_relevant", "dont_know")


def sample_review() -> Review:
    """The example board's review, SCR-2026-014 for Child T: 13 members in 9 agencies, 2 lead reviewers."""
    return review_from_config(load_board_config(EXAMPLE_BOARD))


def member_form() -> MemberForm:
    return load_member_form(MEMBER_FORM)


def reviewer_form() -> ReviewerForm:
    return load_reviewer_form(REVIEWER_FORM)


def response(email: str, at: dt.datetime = OPENED, late: bool = False, **answers: ItemAnswer) -> Response:
    """A response with answers by item id: ``response(email, B1=ItemAnswer(rating="central"))``."""
    return Response(member_email=email, submitted_at=at, answers=dict(answers), late=late)


def random_answers(form: MemberForm, agencies: Sequence[str], rng: random.Random) -> dict[str, ItemAnswer]:
    """Plausible answers to every item of the form."""
    answers = {}
    for item in form.items:
        comment = rng.choice(["", "", f"Comment on {item.id} {rng.randint(1, 999)}"])
        if item.kind == "factor":
            answers[item.id] = ItemAnswer(rating=rng.choice(RATINGS), comment=comment)
        elif item.kind == "choice":
            option = rng.choice(form.options_for(item, agencies)).value
            other = "A review led by the designated nurse" if option == "other" else ""
            answers[item.id] = ItemAnswer(choice=option, other=other, comment=comment)
        elif item.kind == "multi":
            values = [o.value for o in form.options_for(item, agencies) if o.value != "other"]
            answers[item.id] = ItemAnswer(choices=tuple(rng.sample(values, rng.randint(1, len(values)))))
        else:
            answers[item.id] = ItemAnswer(comment=comment)
    return answers


def sample_responses(
    review: Review, form: MemberForm, seed: int = 14, answering: int | None = None, late: int = 0
) -> list[Response]:
    """Responses from the first ``answering`` members (all by default), the last ``late`` of them late."""
    rng = random.Random(seed)
    members = review.members[: len(review.members) if answering is None else answering]
    return [
        Response(
            member_email=m.email,
            submitted_at=OPENED + dt.timedelta(days=1 + i % 9, hours=i),
            answers=random_answers(form, review.agencies, rng),
            late=i >= len(members) - late,
        )
        for i, m in enumerate(members)
    ]


def sample_reviewer_inputs(review: Review, complete: bool = True) -> list[ReviewerInput]:
    """The first lead reviewer comments on A3 and proposes a method change; the second comments on A1."""
    first, *others = review.lead_reviewers
    done = CLOSED + dt.timedelta(days=5) if complete else None
    inputs = [
        ReviewerInput(
            reviewer=first,
            comments=(ReviewerComment(first.email, "A3", "A systems method suits the practice concerns.", CLOSED),),
            proposals={"method": "Use Learning Together with a case group of frontline practitioners."},
            completed_at=done,
        )
    ]
    inputs += [
        ReviewerInput(
            reviewer=r,
            comments=(ReviewerComment(r.email, "A1", "Keep the period to the last 18 months.", CLOSED),),
            completed_at=done,
        )
        for r in others
    ]
    return inputs


def sample_events(review: Review, reminded: int = 4, sent: bool = True) -> list[Event]:
    """Invitations to every member, reminders to the first ``reminded``, the close, and the summary sent."""
    events = [Event("invited", OPENED, m.email) for m in review.members]
    events += [Event("reminded", OPENED + dt.timedelta(days=7), m.email) for m in review.members[:reminded]]
    events.append(Event("deadline_passed", CLOSED))
    events += [Event("summary_sent", CLOSED + dt.timedelta(hours=1), r.email) for r in review.lead_reviewers if sent]
    return events


def board_record(
    review: Review, form: MemberForm, reviewer_form: ReviewerForm, inputs: Sequence[ReviewerInput],
    at: dt.datetime = dt.datetime(2026, 12, 17, 16, 0, tzinfo=dt.UTC), taken: Taken = Taken.ADOPTED,
) -> DecisionRecord:
    """A complete, valid decision record: the first option of each choice, the first agency, words for A2 and
    A4, reasons, two factors weighing most, and every open proposal ``taken`` (with a reason)."""
    decisions = []
    for item in form.decisions():
        options = [o.value for o in form.options_for(item, review.agencies) if o.value != "other"]
        decisions.append(BoardDecision(
            item_id=item.id, chosen=() if item.kind == "text" else (options[0],),
            text=f"The board's words on {item.id}." if item.kind == "text" else "",
            reasons=f"The board's reasons for {item.id}.", weighed_most=tuple(item.weighed_with[:2]),
            proposals=tuple(ProposalTaken(p.reviewer_email, p.proposal_id, taken, f"Why, on {p.proposal_id}.")
                            for p in open_proposals(reviewer_form, inputs, item.id)),
        ))
    return DecisionRecord(review.review_id, tuple(decisions), "The board at its meeting", at.date(),
                          review.business_manager.email, at)
