"""Reading a decision record from what the chair or business manager gave: a YAML file (`scr decide`), the web
page's fields, or the Prefect form. Shape problems (a date that is not a date, an unknown way of taking a
proposal) are named by field; ``check_record`` then checks the record against the form.

The shape, as YAML::

    meeting_date: 2026-12-18
    agreed_by: the board at its meeting of 18 December 2026, chaired by ...
    decisions:
      A1:
        option: standard                   # A5: a list of agencies' option values
        text: ...                          # A2 and A4: the decision in words; else optional
        reasons: ...                       # the board's reasons, in its own words
        weighed_most: [B1, B2, C4]
        proposals:
          - {reviewer: samuel.osei@..., proposal: scope, taken: adapted, reason: ...}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from scr.domain.decisions import BoardDecision, DecisionRecord, DecisionRecordRefused, ProposalTaken, Taken
from scr.domain.email import EmailAddress
from scr.domain.forms import clean_text

TAKEN = {t.value: t for t in Taken} | {t.value.replace(" ", "_"): t for t in Taken}


def parse_record(review_id: str, data: Any, recorded_by: str, recorded_at: dt.datetime) -> DecisionRecord:
    """A ``DecisionRecord`` from nested data, or ``DecisionRecordRefused`` naming each field to fix."""
    problems: list[tuple[str, str]] = []
    if not isinstance(data, Mapping):
        raise DecisionRecordRefused(review_id, [("(file)", "expected meeting_date, agreed_by and decisions")])
    meeting = _date(data.get("meeting_date"), problems)
    given = data.get("decisions")
    if not isinstance(given, Mapping):
        problems.append(("decisions", "give a decision for each of A1 to A5, under decisions:"))
        given = {}
    decisions = tuple(_decision(str(item_id), raw, problems) for item_id, raw in given.items())
    if problems:
        raise DecisionRecordRefused(review_id, problems)
    return DecisionRecord(review_id=review_id, decisions=decisions, agreed_by=_text(data.get("agreed_by")),
                          meeting_date=meeting, recorded_by=recorded_by, recorded_at=recorded_at)


def _date(value: Any, problems: list) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(("meeting_date", "give the date of the meeting that agreed the decisions, as YYYY-MM-DD"))
        return dt.date.min


def _decision(item_id: str, raw: Any, problems: list) -> BoardDecision:
    if not isinstance(raw, Mapping):
        problems.append((item_id, "give option (or text), reasons, weighed_most and proposals"))
        return BoardDecision(item_id)
    chosen = raw.get("option", raw.get("options", ()))
    chosen = [chosen] if isinstance(chosen, str) else list(chosen or ())
    return BoardDecision(
        item_id=item_id,
        chosen=tuple(dict.fromkeys(str(c).strip() for c in chosen if str(c).strip())),
        text=_text(raw.get("text")),
        reasons=_text(raw.get("reasons")),
        weighed_most=tuple(dict.fromkeys(str(f).strip().upper() for f in _list(raw.get("weighed_most")))),
        proposals=tuple(_taken(item_id, i, p, problems) for i, p in enumerate(_list(raw.get("proposals")))),
    )


def _taken(item_id: str, index: int, raw: Any, problems: list) -> ProposalTaken:
    where = f"{item_id}.proposals.{index + 1}"
    if not isinstance(raw, Mapping):
        problems.append((where, "give reviewer, proposal, taken and reason"))
        return ProposalTaken("", "", Taken.ADOPTED)
    taken = TAKEN.get(_text(raw.get("taken")).lower())
    if taken is None:
        problems.append((f"{where}.taken", "say adopted, adapted or not adopted"))
        taken = Taken.NOT_ADOPTED
    return ProposalTaken(EmailAddress(_text(raw.get("reviewer"))), _text(raw.get("proposal")), taken,
                         _text(raw.get("reason")))


def _list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in (part.strip() for part in value.split(",")) if v]
    return list(value) if isinstance(value, list | tuple) else [value]


def _text(value: Any) -> str:
    return clean_text(str(value)) if value is not None else ""
