"""Board configuration files that are wrong (or merely unusual), through `load_board_config` and `scr check`.

A wrong file is refused with exit status 2 and a message naming the file and the field (or line) to fix,
never a traceback, and never echoing text that may be a child's name. Names in any script are kept as written.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scr.config import load_board_config, review_from_config
from scr.entrypoints.cli import main
from scr.errors import ConfigError
from tests.corpus.cases import CONFIGS, REFUSED, SECRET, VERBATIM, Case, params, unique

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "example-board.yaml"
CHILD_NAME = "Tommy James Albert Smith"
REAL_LOOKING = "Amelia Rose Thompson"  # three words: passed the old check, and `scr check` said OK
RTL_NAME = "\u0645\u062d\u0645\u062f \u0627\u0644\u0623\u062d\u0645\u062f"  # Arabic
RTL_AGENCY = "\u05e9\u05d9\u05e8\u05d5\u05ea\u05d9 \u05d4\u05e8\u05d5\u05d5\u05d7\u05d4 Northshire"  # Hebrew, mixed
MIXED_ROLE = "Designated nurse \u770b\u62a4 \U0001f469\u200d\u2695\ufe0f (\u0645\u0645\u0631\u0636\u0629)"
MIXED_BOARD = "Northshire \u2044 Gogledd Swydd Safeguarding Board \u200f(\u0645\u062c\u0644\u0633)"


def change(path: str, value: Any) -> Callable[[dict], None]:
    """Set the value at a dotted path ("members.3.email") of the example configuration."""
    def apply(raw: dict) -> None:
        *parents, leaf = path.split(".")
        target = raw
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(leaf)] = value
        else:
            target[leaf] = value
    return apply


def drop(path: str) -> Callable[[dict], None]:
    def apply(raw: dict) -> None:
        *parents, leaf = path.split(".")
        target = raw
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[leaf]
    return apply


def also(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def apply(raw: dict) -> None:
        for one in changes:
            one(raw)
    return apply


def _example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def refused(id: str, where: str, hint: str = "", **data: Any) -> Case:
    return Case(id, CONFIGS, REFUSED, {"where": where, "hint": hint, **data})


MEMBER_0 = "helen.okafor@northshire-nhs.example.org"

REFUSALS = [
    refused("missing-board-section", "board: required field is missing", edit=drop("board")),
    refused("lead-reviewers-missing", "lead_reviewers: required field is missing", edit=drop("lead_reviewers")),
    refused("four-lead-reviewers", "lead_reviewers", "at most 3",
            edit=change("lead_reviewers", [{"name": f"R {n}", "email": f"r{n}@reviews.example.org"}
                                           for n in range(4)])),
    refused("board-name-is-yes", "board.name", "valid string", edit=change("board.name", True)),
    refused("working-days-in-words", "deadlines.response_working_days", "valid integer",
            edit=change("deadlines.response_working_days", "ten")),
    refused("one-agency-spelt-two-ways", "members.3.agency", "look like one agency spelt two ways",
            edit=change("members.3.agency", "Northshire police.")),
    refused("member-without-agency", "members.2.agency: required field is missing", edit=drop("members.2.agency")),
    refused("member-email-twice-other-capitals", "HELEN.OKAFOR@", "appears twice",
            edit=change("members.1.email", MEMBER_0.upper())),
    refused("lead-reviewer-is-also-a-member", MEMBER_0, "appears twice",
            edit=change("lead_reviewers.0.email", MEMBER_0)),
    refused("email-not-an-address", "members.3.email", "not a valid email address",
            edit=change("members.3.email", "tom.reyes at northshire-police")),
    refused("decision-date-day-first", "case.decision_date", "valid date",
            edit=change("case.decision_date", "20/11/2026")),
    refused("holiday-not-a-date", "deadlines.holidays.1", "valid date",
            edit=change("deadlines.holidays", ["2026-12-25", "Boxing Day"])),
    refused("reminder-after-the-deadline", "reminder_working_days", "12 must be between 1 and 9",
            edit=change("deadlines.reminder_working_days", [5, 12])),
    refused("reminders-in-wrong-order", "reminder_working_days", "in increasing order",
            edit=change("deadlines.reminder_working_days", [8, 5])),
    refused("misspelt-top-level-key", "memebers: unknown field", "spelling",
            edit=lambda raw: raw.update(memebers=raw.pop("members"))),
    refused("case-id-with-slashes", "case.review_id", "pattern", edit=change("case.review_id", "SCR/2026/014")),
    refused("huge-board-name", "board.name", "at most 200 characters",
            edit=change("board.name", f"{SECRET} " * 5000)),
    refused("child-named-not-pseudonymised", "case.child_pseudonym", "never the child's name",
            secret=CHILD_NAME, edit=change("case.child_pseudonym", CHILD_NAME)),
    refused("child-real-looking-name", "case: child_pseudonym", "looks like a person's name",
            secret=REAL_LOOKING, edit=change("case.child_pseudonym", REAL_LOOKING)),
    refused("child-first-name-after-child", "case: child_pseudonym", "such as 'Child T' or 'Child Q'",
            secret="Amelia", edit=change("case.child_pseudonym", "Child Amelia")),
    refused("surname-in-capitals", "case: child_pseudonym", "pseudonym_confirmed: true",
            secret="THOMPSON", edit=change("case.child_pseudonym", "Child THOMPSON")),
    refused("timezone-not-a-zone", "deadlines.timezone", "not a time zone name",
            edit=change("deadlines.timezone", "Mars/Olympus")),
    refused("members-listed-twice", "line", "'members' is given twice",
            text=lambda: _example_text() + "\nmembers:\n  - {name: A B, email: ab@x.example.org, agency: P, role: R}"),
    refused("empty-file", "(file)", "expected a mapping", text=lambda: ""),
    refused("yaml-syntax-error", "line 3", "mapping values are not allowed",
            text=lambda: "board:\n  name: Northshire\n  vocabulary: lscb: partnership\n"),
    refused("a-list-not-a-mapping", "(file)", "expected a mapping", text=lambda: "- board\n- members\n"),
    refused("saved-as-utf16", "(file)", "not UTF-8", data=lambda: _example_text().encode("utf-16")),
    refused("a-folder-not-a-file", "(file)", "a folder", folder=True),
    refused("no-such-file", "(file)", "no such file", missing=True),
]

ACCEPTED = [
    Case("rtl-and-mixed-script-names", CONFIGS, VERBATIM, {
        "edit": also(change("members.0.name", RTL_NAME), change("members.0.agency", RTL_AGENCY),
                     change("members.1.role", MIXED_ROLE), change("board.name", MIXED_BOARD)),
        "kept": {"members.0.name": RTL_NAME, "members.0.agency": RTL_AGENCY, "members.1.role": MIXED_ROLE,
                 "board.name": MIXED_BOARD},
    }),
    Case("agreed-pseudonym-that-looks-like-a-name", CONFIGS, VERBATIM, {
        "edit": also(change("case.child_pseudonym", "Arthur"), change("case.pseudonym_confirmed", True)),
        "kept": {"case.child_pseudonym": "Arthur", "case.pseudonym_confirmed": True},
    }),
    Case("usual-pseudonym-forms", CONFIGS, VERBATIM, {
        "edit": change("case.child_pseudonym", "Young person Q"),
        "kept": {"case.child_pseudonym": "Young person Q", "case.pseudonym_confirmed": False},
    }),
    Case("board-in-another-zone", CONFIGS, VERBATIM, {
        "edit": change("deadlines.timezone", "America/Halifax"), "kept": {"deadlines.timezone": "America/Halifax"},
    }),
    Case("byte-order-mark-at-start", CONFIGS, VERBATIM, {
        "data": lambda: b"\xef\xbb\xbf" + EXAMPLE.read_bytes(),
        "kept": {"board.name": "Northshire Safeguarding Children Partnership"},
    }),
]

CASES = unique(REFUSALS, ACCEPTED)


def _write(tmp_path: Path, case: Case) -> Path:
    data = case.data
    path = tmp_path / "board.yaml"
    if data.get("folder"):
        path.mkdir()
    elif data.get("missing"):
        pass
    elif "data" in data:
        path.write_bytes(data["data"]())
    elif "text" in data:
        path.write_text(data["text"](), encoding="utf-8")
    else:
        raw = copy.deepcopy(yaml.safe_load(_example_text()))
        data["edit"](raw)
        path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _value(config: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        config = config[int(part)] if part.isdigit() else getattr(config, part)
    return config


@pytest.mark.parametrize("case", params(REFUSALS))
def test_a_wrong_file_is_refused_naming_file_and_field(case: Case, tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, case)
    with pytest.raises(ConfigError) as refused:
        load_board_config(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: ") and case.data["where"] in message and case.data["hint"] in message
    assert case.data.get("secret", SECRET) not in message and len(message) < 2000

    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert str(path) in err and case.data["where"] in err and case.data["hint"] in err
    assert case.data.get("secret", SECRET) not in err


@pytest.mark.parametrize("case", params(ACCEPTED))
def test_unusual_but_valid_files_are_accepted_and_names_kept_as_written(case: Case, tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, case)
    config = load_board_config(path)
    for dotted, expected in case.data["kept"].items():
        assert _value(config, dotted) == expected
    review = review_from_config(config)
    assert review.board_name == config.board.name and review.members[0].name == config.members[0].name
    assert main(["check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert f"{path}: OK." in out and err == ""
