"""Converting the domain's records to and from the JSON text the store keeps."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

from scr.domain.calendar import BOARD_TIME
from scr.domain.model import DocumentStyle, ItemAnswer, LeadReviewer, Member, Review, Vocabulary
from scr.domain.regime import RapidReview, StatutoryPartners
from scr.domain.schedule import SCHEDULE_FIELDS, Schedule

_MOMENTS = ("opened_at", "response_deadline", "closed_at", "reviewer_deadline", "cancelled_at")


def review_to_json(review: Review) -> str:
    data = asdict(review)
    data["decision_date"] = review.decision_date.isoformat()
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_iso)


def review_from_json(text: str) -> Review:
    data = json.loads(text)
    return Review(
        review_id=data["review_id"],
        board_name=data["board_name"],
        vocabulary=_vocabulary(data["vocabulary"]),
        business_manager=LeadReviewer(**data["business_manager"]),
        members=tuple(Member(**m) for m in data["members"]),
        lead_reviewers=tuple(LeadReviewer(**r) for r in data["lead_reviewers"]),
        child_pseudonym=data["child_pseudonym"],
        background=data["background"],
        decision_date=dt.date.fromisoformat(data["decision_date"]),
        criteria=data["criteria"],
        partners=StatutoryPartners(**data["partners"]) if data.get("partners") else None,
        rapid_review=_rapid_review(data.get("rapid_review")),
        style=DocumentStyle(**data.get("style") or {}),
    )


def _vocabulary(data: dict) -> Vocabulary:
    """The regime's words; a review stored before the regime had a key is told apart by its review's name."""
    key = data.get("key") or ("partnership" if data.get("review_short") == "LCSPR" else "lscb")
    return Vocabulary.named(key)


def _rapid_review(data: dict | None) -> RapidReview | None:
    if not data:
        return None
    return RapidReview(
        incident_known_on=dt.date.fromisoformat(data["incident_known_on"]),
        panel_notified_on=_day(data, "panel_notified_on"),
        notified_by=data.get("notified_by", ""),
        completed_on=_day(data, "completed_on"),
        sent_to_panel_on=_day(data, "sent_to_panel_on"),
        outcome=data.get("outcome", ""),
        criteria_met=tuple(data.get("criteria_met") or ()),
        holidays=tuple(dt.date.fromisoformat(h) for h in data.get("holidays") or ()),
    )


def _day(data: dict, name: str) -> dt.date | None:
    return dt.date.fromisoformat(data[name]) if data.get(name) else None


def answers_to_json(answers: dict[str, ItemAnswer]) -> str:
    return json.dumps({item: asdict(answer) for item, answer in answers.items()}, ensure_ascii=False)


def answers_from_json(text: str) -> dict[str, ItemAnswer]:
    return {
        item: ItemAnswer(**{**value, "choices": tuple(value.get("choices", ()))})
        for item, value in json.loads(text).items()
    }


def schedule_to_json(schedule: Schedule, stored: dict | None = None) -> str:
    """The schedule as the store has always kept it (the ``deadlines`` column): the board's working days and
    holidays, then only what has happened, moments as ISO strings. Keys of ``stored`` that no field of the
    schedule names are kept as they were."""
    data = {key: value for key, value in (stored or {}).items() if key not in SCHEDULE_FIELDS}
    data.update(
        response_working_days=schedule.response_working_days,
        reminder_working_days=list(schedule.reminder_working_days),
        reviewer_working_days=schedule.reviewer_working_days,
        holidays=[day.isoformat() for day in schedule.holidays],
    )
    if schedule.end_of_day != Schedule.end_of_day:  # kept only when the board set them, as before they existed
        data["end_of_day"] = schedule.end_of_day.strftime("%H:%M")
    if schedule.timezone != Schedule.timezone:
        data["timezone"] = schedule.timezone
    data.update({name: moment(at) for name in _MOMENTS if (at := getattr(schedule, name)) is not None})
    if schedule.reminders:
        data["reminders"] = [moment(at) for at in schedule.reminders]
    if schedule.close_now:
        data["close_now"] = True
    if schedule.include_late:
        data["include_late"] = True
    if schedule.excused_reviewers:
        data["excused_reviewers"] = sorted(schedule.excused_reviewers)
    return dumps(data)


def schedule_from_json(text: str) -> Schedule:
    """A schedule from the store's JSON, as written now or by earlier versions; a key it lacks takes the
    schedule's default, and a key it does not know is left alone."""
    data = json.loads(text)
    default = Schedule()
    return Schedule(
        response_working_days=int(data.get("response_working_days", default.response_working_days)),
        reminder_working_days=tuple(int(d) for d in data.get("reminder_working_days", default.reminder_working_days)),
        reviewer_working_days=int(data.get("reviewer_working_days", default.reviewer_working_days)),
        holidays=tuple(dt.date.fromisoformat(day) for day in data.get("holidays") or ()),
        end_of_day=dt.time.fromisoformat(data.get("end_of_day") or default.end_of_day.strftime("%H:%M")),
        timezone=data.get("timezone") or default.timezone,
        reminders=tuple(_deadline_moment(at) for at in data.get("reminders") or ()),
        close_now=bool(data.get("close_now")),
        include_late=bool(data.get("include_late")),
        excused_reviewers=frozenset(data.get("excused_reviewers") or ()),
        **{name: _deadline_moment(data[name]) if data.get(name) else None for name in _MOMENTS},
    )


def _deadline_moment(text: str) -> dt.datetime:
    """A kept moment; a bare date means the end of that day, board time, and one without a zone is UTC."""
    if len(text) == 10:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(23, 59, 59), tzinfo=BOARD_TIME)
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__} in the review store")


def moment(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("the store keeps timezone-aware datetimes only; got a naive one")
    return value.astimezone(dt.UTC).isoformat()


def parse_moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)
