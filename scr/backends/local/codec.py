"""Converting the domain's records to and from the JSON text the store keeps."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

from scr.domain.model import ItemAnswer, LeadReviewer, Member, Review, Vocabulary


def review_to_json(review: Review) -> str:
    data = asdict(review)
    data["decision_date"] = review.decision_date.isoformat()
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def review_from_json(text: str) -> Review:
    data = json.loads(text)
    return Review(
        review_id=data["review_id"],
        board_name=data["board_name"],
        vocabulary=Vocabulary(**data["vocabulary"]),
        business_manager=LeadReviewer(**data["business_manager"]),
        members=tuple(Member(**m) for m in data["members"]),
        lead_reviewers=tuple(LeadReviewer(**r) for r in data["lead_reviewers"]),
        child_pseudonym=data["child_pseudonym"],
        background=data["background"],
        decision_date=dt.date.fromisoformat(data["decision_date"]),
        criteria=data["criteria"],
    )


def answers_to_json(answers: dict[str, ItemAnswer]) -> str:
    return json.dumps({item: asdict(answer) for item, answer in answers.items()}, ensure_ascii=False)


def answers_from_json(text: str) -> dict[str, ItemAnswer]:
    return {
        item: ItemAnswer(**{**value, "choices": tuple(value.get("choices", ()))})
        for item, value in json.loads(text).items()
    }


def dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__} in a review's deadlines")


def moment(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("the store keeps timezone-aware datetimes only; got a naive one")
    return value.astimezone(dt.UTC).isoformat()


def parse_moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)
