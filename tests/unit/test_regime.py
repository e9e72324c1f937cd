"""The regime: an LSCB's Serious Case Review or the safeguarding partners' LCSPR, with the rapid review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from scr.config import load_board_config, parse_config, review_from_config
from scr.domain.model import LeadReviewer, Member
from scr.domain.regime import RapidReview, regime_for
from scr.domain.schedule import Schedule
from scr.errors import ConfigError
from scr.store.codec import review_from_json, review_to_json, schedule_from_json, schedule_to_json

ROOT = Path(__file__).resolve().parents[2]
PARTNERSHIP = ROOT / "config" / "example-board.yaml"
LSCB = ROOT / "config" / "example-lscb-2017.yaml"


def raw(path: Path = PARTNERSHIP) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def problems(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    return caught.value.problems


def test_a_case_decided_after_september_2019_is_the_partners_by_default():
    assert regime_for(dt.date(2019, 9, 29)) == "lscb"
    assert regime_for(dt.date(2019, 9, 30)) == "partnership"
    data = raw()
    del data["board"]["regime"]
    assert parse_config(data).regime == "partnership"


def test_the_example_is_a_partnership_and_the_historical_example_an_lscb():
    partnership, lscb = review_from_config(load_board_config(PARTNERSHIP)), review_from_config(load_board_config(LSCB))
    assert partnership.vocabulary.is_partnership and partnership.vocabulary.review_short == "LCSPR"
    assert "Board" not in partnership.board_name
    assert partnership.rapid_review is not None and partnership.rapid_review.completed_in_time
    assert not lscb.vocabulary.is_partnership and lscb.partners is None and lscb.rapid_review is None
    assert lscb.decision_date < dt.date(2019, 9, 29) and load_board_config(LSCB).warnings() == []


def test_the_three_statutory_partners_are_set_apart_from_relevant_agencies():
    review = review_from_config(load_board_config(PARTNERSHIP))
    assert review.statutory_partner("Northshire Police") == "the chief officer of police"
    assert review.statutory_partner("northshire integrated care board") == "the integrated care board"
    assert review.statutory_partner("Northshire Homes") is None
    speaking = {role: [m.name for m in people] for role, _agency, people in review.speaking_for_partners()}
    assert speaking == {"the local authority": ["Angela Moss", "Kwame Mensah"],
                        "the integrated care board": ["Lucy Chen", "Fiona Walsh"],
                        "the chief officer of police": ["Sarah Blake", "Tom Reyes"]}
    partners, others = review.partners.split(review.agencies)
    assert len(partners) == 3 and "Probation Service" in others and not set(partners) & set(others)


def test_a_partnership_without_its_statutory_partners_is_refused_naming_the_field():
    data = raw()
    del data["board"]["statutory_partners"]
    [(field, message)] = problems(data)
    assert "board.statutory_partners" in message and "integrated_care_board" in message


def test_a_statutory_partner_no_member_belongs_to_is_refused():
    data = raw()
    data["board"]["statutory_partners"]["police"] = "Northshire Constabulary"
    [(_, message)] = problems(data)
    assert "board.statutory_partners.police" in message and "Northshire Constabulary" in message


def test_an_lscb_review_with_a_rapid_review_is_refused():
    data = raw()
    data["board"]["regime"] = "lscb"
    del data["board"]["statutory_partners"]
    [(_, message)] = problems(data)
    assert "case.rapid_review" in message and "regime: partnership" in message


def test_the_old_vocabulary_key_still_chooses_the_regime():
    data = raw(LSCB)
    data["board"]["vocabulary"] = data["board"].pop("regime")
    assert parse_config(data).regime == "lscb"


def test_check_warns_of_an_lscb_review_decided_after_september_2019():
    data = raw(LSCB)
    data["case"]["decision_date"] = dt.date(2026, 11, 20)
    [warning] = parse_config(data).warnings()
    assert "board.regime is lscb" in warning and "29 September 2019" in warning


def test_check_warns_of_a_late_notification_and_a_missing_rapid_review():
    data = raw()
    data["case"]["rapid_review"]["panel_notified_on"] = dt.date(2026, 10, 26)
    assert any("panel_notified_on is after 2026-10-19" in w for w in parse_config(data).warnings())
    del data["case"]["rapid_review"]
    assert any("case.rapid_review is not given" in w for w in parse_config(data).warnings())


def test_notification_and_rapid_review_fall_due_in_working_days():
    rapid = RapidReview(dt.date(2026, 12, 18), panel_notified_on=dt.date(2026, 12, 30),
                        holidays=(dt.date(2026, 12, 25), dt.date(2026, 12, 28)))
    assert rapid.notification_due == dt.date(2026, 12, 29)  # Fri 18 + 5 working days, less two holidays
    assert rapid.notified_in_time is False and rapid.completed_in_time is None
    assert rapid.rapid_review_due == dt.date(2027, 1, 12)


def test_a_rapid_review_date_before_the_incident_is_refused():
    data = raw()
    data["case"]["rapid_review"]["completed_on"] = dt.date(2026, 10, 1)
    [(field, message)] = problems(data)
    assert field == "case.rapid_review" and "completed_on" in message


def test_a_partnered_review_round_trips_through_the_store():
    review = review_from_config(load_board_config(PARTNERSHIP))
    assert review_from_json(review_to_json(review)) == review


def test_greetings_use_title_and_surname():
    assert Member("Helen Okafor", "h@x.org", "NHS", "Doctor", title="Dr").salutation == "Dr Okafor"
    assert LeadReviewer("Ana de la Cruz", "a@x.org", "Ms", "de la Cruz").salutation == "Ms de la Cruz"
    assert LeadReviewer("Jane Whitfield", "j@x.org").salutation == "Jane Whitfield"


def test_deadlines_fall_at_the_end_of_the_working_day_in_the_boards_zone():
    schedule = Schedule(holidays=(dt.date(2026, 12, 25),))
    opened = dt.datetime(2026, 12, 2, 6, 4, tzinfo=dt.UTC)  # a Wednesday, at whatever minute
    due = schedule.deadline_after(opened, 10)
    assert due == dt.datetime(2026, 12, 16, 17, 0, tzinfo=ZoneInfo("Europe/London"))
    summer = Schedule(end_of_day=dt.time(16, 30), timezone="Europe/London").deadline_after(
        dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC), 1)  # 00:30 on Tuesday in London
    assert summer.isoformat() == "2026-06-03T16:30:00+01:00"
    stored = Schedule(end_of_day=dt.time(16, 30), timezone="Europe/Dublin")
    assert schedule_from_json(schedule_to_json(stored)) == stored


def test_an_unknown_time_zone_is_refused():
    data = raw()
    data["deadlines"]["timezone"] = "Europe/Northshire"
    [(field, message)] = problems(data)
    assert field == "deadlines.timezone" and "Europe/London" in message


def test_scr_check_prints_the_warning_and_still_accepts_the_file(tmp_path):
    import subprocess
    import sys

    data = raw(LSCB)
    data["case"]["decision_date"] = "2026-11-20"
    path = tmp_path / "late-lscb.yaml"
    path.write_text(yaml.safe_dump(data))
    result = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", "check", str(path)], capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Warning: board.regime is lscb, but case.decision_date 2026-11-20 is after 29 September 2019" \
        in result.stdout
    quiet = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", "check", str(PARTNERSHIP)],
                           capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert quiet.returncode == 0 and "Warning" not in quiet.stdout
    assert "statutory partners: Northshire Council Children's Social Care, Northshire Integrated Care Board, " \
        "Northshire Police." in quiet.stdout
