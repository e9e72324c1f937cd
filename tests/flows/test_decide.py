"""`scr decide CONFIG FILE.yaml`: the chair or business manager records the board's decisions from a file.
A starting file is pre-filled from the evidence; a wrong file is refused naming each field to fix, and
nothing is recorded; each good file is a new version."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scr.domain.decisions import DecisionRecordRefused
from scr.domain.model import Stage
from scr.services import advancing
from tests.drafted import drafted_review

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def drafted(tmp_path):
    return drafted_review(tmp_path)


def scr(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env={**os.environ, "PREFECT_HOME": "/tmp/scr-decide"})


def fill(path: Path) -> dict:
    """What the business manager does with the template: reasons, an A3 option, how the proposal was taken."""
    data = yaml.safe_load(path.read_text())
    data["meeting_date"], data["agreed_by"] = "2026-12-18", "The board at its meeting"
    for item_id, decision in data["decisions"].items():
        decision["reasons"] = f"The board's reasons for {item_id}."
        if item_id in ("A1", "A3", "A5"):
            decision["option"] = decision["option"] or {"A1": "standard", "A3": "learning_together",
                                                        "A5": ["northshire_police"]}[item_id]
        decision["text"] = decision["text"] or ("Words." if item_id in ("A2", "A4") else "")
        for proposal in decision["proposals"]:
            proposal["taken"], proposal["reason"] = "not adopted", "A staged start would delay the learning."
    path.write_text(yaml.safe_dump(data))
    return data


def test_a_template_is_written_prefilled_and_never_over_a_file(drafted, tmp_path):
    config, _, review = drafted
    target = tmp_path / "decisions.yaml"
    made = scr("decide", config, target, "--template")
    assert made.returncode == 0, made.stderr
    text = target.read_text()
    assert "#   A3: traditional, learning_together, silp" in text
    data = yaml.safe_load(text)
    assert list(data["decisions"]) == ["A1", "A2", "A3", "A4", "A5"]
    assert data["decisions"]["A3"]["proposals"] == [
        {"reviewer": review.lead_reviewers[0].email, "proposal": "method", "taken": "", "reason": ""}]
    assert all(d["reasons"] == "" for d in data["decisions"].values()), "the reasons are the board's to write"
    again = scr("decide", config, target, "--template")
    assert again.returncode == 2 and "exists" in again.stderr
    assert target.read_text() == text


def test_a_wrong_file_is_refused_naming_each_field_and_nothing_is_recorded(drafted, tmp_path):
    config, backend, review = drafted
    target = tmp_path / "decisions.yaml"
    scr("decide", config, target, "--template")
    data = fill(target)
    del data["decisions"]["A4"]
    data["decisions"]["A1"]["option"] = "exhaustive"
    data["decisions"]["A3"]["proposals"][0]["reason"] = ""
    data["decisions"]["A3"]["reasons"] = "CONFIDENTIAL-REASON-TEXT"
    target.write_text(yaml.safe_dump(data))
    refused = scr("decide", config, target)
    assert refused.returncode == 2
    assert "A4: no decision recorded for A4" in refused.stderr
    assert "A1.option: exhaustive is not an option of A1; choose from focused, standard, extensive" in refused.stderr
    assert "A3.proposals.method (Jane Whitfield): give the board's reason: the proposal was not adopted" in \
        refused.stderr
    assert "CONFIDENTIAL-REASON-TEXT" not in refused.stderr + refused.stdout
    assert backend.store.decision_versions(review.review_id) == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("decisions: [unclosed\n")
    assert "broken.yaml line 2: not valid YAML (expected" in scr("decide", config, broken).stderr


def test_each_good_file_is_a_new_version_and_the_review_then_completes(drafted, tmp_path):
    config, backend, review = drafted
    target = tmp_path / "decisions.yaml"
    scr("decide", config, target, "--template")
    fill(target)
    first = scr("decide", config, target)
    assert first.returncode == 0, first.stderr
    assert "version 1" in first.stdout
    assert "version 2" in scr("decide", config, target, "--by", "chair@northshire-lscb.example.org").stdout
    record = backend.store.decision_record(review.review_id)
    assert (record.version, record.recorded_by) == (2, "chair@northshire-lscb.example.org")
    assert advancing.advance(backend, review.review_id) is Stage.COMPLETE
    tor = (Path(backend.documents.out_dir) / review.review_id / "terms-of-reference.md").read_text()
    assert "was not adopted by the safeguarding partnership: A staged start would delay" in tor
    late = scr("decide", config, target)
    assert late.returncode == 2 and "already agreed" in late.stderr
    assert backend.store.decision_versions(review.review_id) == 2


def test_the_prefect_steering_form_records_the_boards_decisions_from_a_file(drafted, tmp_path):
    from flows.steer_review import status_markdown
    from scr.services.steering import Choice, apply

    config, backend, review = drafted
    assert "**Waiting for the board's decisions** on A1 to A5" in status_markdown(backend, review.review_id)
    target = tmp_path / "decisions.yaml"
    scr("decide", config, target, "--template")
    choice = Choice("record the board's decisions from a file", "chair@northshire-lscb.example.org",
                    decisions_file=str(target))
    with pytest.raises(DecisionRecordRefused, match="meeting_date: give the date of the meeting"):
        apply(backend, review.review_id, choice)  # the template is not filled in yet
    fill(target)
    assert "recorded (version 1)" in apply(backend, review.review_id, choice)
    assert backend.store.decision_record(review.review_id).recorded_by == "chair@northshire-lscb.example.org"
