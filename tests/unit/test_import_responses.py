"""`scr import-responses`: a hand-made Google Form's CSV download brought into a started review."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from scr.backends.google.form_layout import question_refs, question_title
from scr.bootstrap import backend_for
from scr.config import load_board_config, review_from_config
from scr.domain.schedule import Schedule
from scr.errors import ScrError
from scr.services.backend import Backend
from scr.services.importing import ResponsesFileError, import_responses
from scr.services.members import open_response_window
from scr.settings import Runtime

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "example-board.yaml"
REVIEW_ID = "SCR-2026-014"
HELEN = "helen.okafor@northshire-nhs.example.org"
SARAH = "sarah.blake@northshire-police.example.org"
ANGELA = "angela.moss@northshire-council.example.org"
MARK = "mark.ellison@northshire-nhs.example.org"
STRANGER = "curious.person@example.com"
SECRETS = ("Mother's partner K was not known", "Revised: see chronology p. 4", "Not a member's view",
           "Massively important")  # answer text that must never be printed


def _config_file(tmp_path: Path) -> Path:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["local"].update(data_dir=str(tmp_path / "data"), out_dir=str(tmp_path / "out"))
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.fixture
def started(tmp_path: Path) -> tuple[Path, Backend, Schedule]:
    return start_review(tmp_path)


def start_review(tmp_path: Path) -> tuple[Path, Backend, Schedule]:
    """The example board's review in a fresh store, with its response window open (deadline fixed)."""
    path = _config_file(tmp_path)
    config = load_board_config(path)
    backend = backend_for(Runtime.from_config(config))
    backend.store.create_review(review_from_config(config), config.deadlines.schedule())
    return path, backend, open_response_window(backend, REVIEW_ID)


def _google_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y/%m/%d %I:%M:%S %p GMT")


def _write_csv(backend: Backend, path: Path, deadline: dt.datetime) -> Path:
    """A Google Forms download: 3 members on time, one revising after the deadline, a stranger, a bad value."""
    form = backend.member_form
    titles = [question_title(item, ref.field) for item in form.items for ref in question_refs(item)]

    def answers(label_index: int) -> dict[str, str]:
        ratings = {question_title(f, "rating"): form.scale[label_index].label for f in form.factors()}
        a1 = question_title(form.item("A1"), "choice")
        return {**ratings, a1: "Standard: a multi-agency review of the main period of involvement"}

    b1_comment = question_title(form.item("B1"), "comment")
    before = deadline - dt.timedelta(days=3)
    rows = [
        {"Email Address": HELEN, "Timestamp": _google_time(before), **answers(0), b1_comment: SECRETS[0]},
        {"Email Address": SARAH, "Timestamp": _google_time(before + dt.timedelta(hours=1)), **answers(1)},
        {"Email Address": STRANGER, "Timestamp": _google_time(before + dt.timedelta(hours=2)), **answers(2),
         b1_comment: SECRETS[2]},
        {"Email Address": MARK, "Timestamp": _google_time(before + dt.timedelta(hours=3)), **answers(1),
         question_title(form.item("B2"), "rating"): SECRETS[3]},
        {"Email Address": ANGELA.upper(), "Timestamp": _google_time(before + dt.timedelta(hours=4)), **answers(2)},
        {"Email Address": HELEN, "Timestamp": _google_time(deadline + dt.timedelta(days=1)), **answers(1),
         b1_comment: SECRETS[1]},
    ]
    header = ["Timestamp", "Email Address", *titles]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # Google's file starts with a BOM
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([row.get(column, "") for column in header] for row in rows)
    return path


def _snapshot(backend: Backend) -> tuple:
    store = backend.store
    return (store.response_versions(REVIEW_ID), store.held_responses(REVIEW_ID),
            len(store.events(REVIEW_ID)), [(r.member_email, r.version, r.late) for r in
                                           store.latest_responses(REVIEW_ID)])


def test_members_are_saved_strangers_held_apart_and_late_answers_marked(started, tmp_path: Path) -> None:
    _, backend, schedule = started
    path = _write_csv(backend, tmp_path / "responses.csv", schedule.response_deadline)
    report = import_responses(backend, REVIEW_ID, path)
    assert (report.saved, report.unchanged, report.late) == (4, 0, 1)
    assert report.held_apart == [STRANGER]
    assert report.problems == ["row 5: column 5 (B2) holds a value that is not one of the form's options; "
                               "row not imported"]
    assert not any(secret in "\n".join(report.problems) for secret in SECRETS)

    store = backend.store
    assert store.response_versions(REVIEW_ID) == {ANGELA: 1, HELEN: 2, SARAH: 1}
    latest = {r.member_email: r for r in store.latest_responses(REVIEW_ID)}
    assert latest[HELEN].late and latest[HELEN].answers["B1"].comment == SECRETS[1]
    assert latest[SARAH].answers["B1"].rating == "significant" and not latest[SARAH].late
    assert latest[ANGELA].answers["A1"].choice == "standard"
    on_time = {r.member_email: r for r in store.latest_responses(REVIEW_ID, include_late=False)}
    assert on_time[HELEN].version == 1 and on_time[HELEN].answers["B1"].comment == SECRETS[0]
    assert [email for email, _ in store.held_responses(REVIEW_ID)] == [STRANGER]
    held = store.events(REVIEW_ID, "held_apart")
    assert [(e.person_email, e.detail) for e in held] == [(STRANGER, "not a member (CSV import)")]


def test_importing_the_same_file_again_changes_nothing(started, tmp_path: Path) -> None:
    _, backend, schedule = started
    path = _write_csv(backend, tmp_path / "responses.csv", schedule.response_deadline)
    import_responses(backend, REVIEW_ID, path)
    before = _snapshot(backend)
    again = import_responses(backend, REVIEW_ID, path)
    assert (again.saved, again.unchanged, again.late) == (0, 4, 0)
    assert again.held_apart == [STRANGER]
    assert _snapshot(backend) == before


def test_a_zone_abbreviation_is_read_in_the_boards_timezone_and_a_reimport_in_another_zone_doubles_nothing(
    started, tmp_path: Path
) -> None:
    _, backend, schedule = started
    path = _write_csv(backend, tmp_path / "responses.csv", schedule.response_deadline)
    text = path.read_text(encoding="utf-8-sig").replace(" GMT,", " AST,")  # as the owner's export writes them
    path.write_text(text, encoding="utf-8-sig")
    london = import_responses(backend, REVIEW_ID, path)  # the default zone, where AST is no name of its own
    assert london.saved == 4 and len(london.notes) == 1
    assert london.notes[0].startswith("5 timestamp(s) carry the zone abbreviation AST, which names no single "
                                      "offset, so they were read as Europe/London time")
    first = {r.member_email: r.submitted_at for r in backend.store.latest_responses(REVIEW_ID)}
    wall = dt.datetime.strptime(text.splitlines()[2].split(",")[0], "%Y/%m/%d %I:%M:%S %p AST")
    assert first[SARAH] == wall.replace(tzinfo=ZoneInfo("Europe/London")).astimezone(dt.UTC)
    halifax = import_responses(backend, REVIEW_ID, path, "America/Halifax")  # AST is Halifax's own in winter
    assert (halifax.saved, halifax.unchanged, halifax.notes) == (0, 4, [])  # the same rows: nothing doubled


def test_rows_before_the_start_are_flagged_and_repeats_within_the_file_are_not_called_re_imports(
    started, tmp_path: Path
) -> None:
    _, backend, schedule = started
    path = _write_csv(backend, tmp_path / "responses.csv", schedule.response_deadline)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    early = _google_time(schedule.opened_at - dt.timedelta(days=2))
    moved = lines[2].replace(lines[2].split(",")[0], early)
    path.write_text("\n".join([lines[0], lines[1], lines[1], moved, *lines[3:]]) + "\n", encoding="utf-8-sig")
    report = import_responses(backend, REVIEW_ID, path)
    assert report.duplicates == [(3, 2)] and report.unchanged == 0 and report.early == [4]
    assert any(p.startswith("row 4: dated ") and "before the review started" in p for p in report.problems)
    assert SARAH not in backend.store.response_versions(REVIEW_ID)


def test_a_review_not_yet_started_is_refused_with_what_to_do(started, tmp_path: Path) -> None:
    config_path, backend, schedule = started
    config = load_board_config(config_path)
    fresh = dataclasses.replace(review_from_config(config), review_id="SCR-2026-015")
    backend.store.create_review(fresh, config.deadlines.schedule())
    path = _write_csv(backend, tmp_path / "responses.csv", schedule.response_deadline)
    with pytest.raises(ScrError, match="start the review first with `scr start"):
        import_responses(backend, "SCR-2026-015", path)
    assert backend.store.response_versions("SCR-2026-015") == {}


def test_an_unreadable_file_is_a_file_error(started, tmp_path: Path) -> None:
    _, backend, _ = started
    path = tmp_path / "sheet.csv"
    path.write_text("When,Who\n2026-11-27 10:00,someone@example.org\n", encoding="utf-8")
    with pytest.raises(ResponsesFileError, match="Timestamp and Email Address"):
        import_responses(backend, REVIEW_ID, path)
    with pytest.raises(ResponsesFileError, match="does not exist"):
        import_responses(backend, REVIEW_ID, tmp_path / "missing.csv")


def scr(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_the_command_prints_counts_addresses_and_problems_never_answers(started, tmp_path: Path) -> None:
    config_path, backend, schedule = started
    path = _write_csv(backend, tmp_path / "responses.csv", schedule.response_deadline)
    first = scr("import-responses", config_path, path)
    assert first.returncode == 0, first.stderr
    assert "4 response(s) saved (1 of them after the deadline, marked late)" in first.stdout
    assert "0 unchanged" in first.stdout
    assert "1 address(es) held apart" in first.stdout and STRANGER in first.stdout
    assert "1 problem(s) to check" in first.stdout and "row 5: column 5 (B2)" in first.stdout
    again = scr("import-responses", config_path, path, "--review", REVIEW_ID)
    assert again.returncode == 0, again.stderr
    assert "0 response(s) saved" in again.stdout and "4 unchanged" in again.stdout
    for result in (first, again):
        assert not any(secret in result.stdout + result.stderr for secret in SECRETS)
    assert backend.store.response_versions(REVIEW_ID) == {ANGELA: 1, HELEN: 2, SARAH: 1}


def test_the_command_exits_2_for_a_file_it_cannot_read(started, tmp_path: Path) -> None:
    config_path, _, _ = started
    path = tmp_path / "sheet.csv"
    path.write_text("When,Who\n2026-11-27 10:00,someone@example.org\n", encoding="utf-8")
    wrong = scr("import-responses", config_path, path)
    assert wrong.returncode == 2
    assert str(path) in wrong.stderr and "Email Address" in wrong.stderr and "someone@" not in wrong.stderr
    missing = scr("import-responses", config_path, tmp_path / "missing.csv")
    assert missing.returncode == 2 and "missing.csv" in missing.stderr and "does not exist" in missing.stderr
    for result in (wrong, missing):
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_the_command_names_an_unknown_or_unstarted_review(started, tmp_path: Path) -> None:
    config_path, backend, schedule = started
    path = _write_csv(backend, tmp_path / "responses.csv", schedule.response_deadline)
    unknown = scr("import-responses", config_path, path, "--review", "SCR-2099-001")
    assert unknown.returncode == 1 and "No review 'SCR-2099-001'" in unknown.stderr
    config = load_board_config(config_path)
    fresh = dataclasses.replace(review_from_config(config), review_id="SCR-2026-015")
    backend.store.create_review(fresh, config.deadlines.schedule())
    unstarted = scr("import-responses", config_path, path, "--review", "SCR-2026-015")
    assert unstarted.returncode == 1 and "start the review first with `scr start" in unstarted.stderr
    assert "Traceback" not in unknown.stderr + unstarted.stderr
