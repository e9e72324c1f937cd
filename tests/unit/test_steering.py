"""The business manager steering a waiting review: each decision takes effect and is recorded."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scr.bootstrap import backend_for
from scr.config import load_board_config, parse_config, review_from_config
from scr.domain.calendar import format_when
from scr.domain.model import Role, Stage
from scr.entrypoints.status import describe
from scr.errors import ScrError
from scr.services import advancing, drafting, members, reviewers, steering, waiting
from scr.settings import Runtime

ROOT = Path(__file__).resolve().parents[2]
BM = "priya.shah@northshire-scp.example.org"


@pytest.fixture
def board(tmp_path):
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT")}
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(raw))
    config = parse_config(raw)
    backend = backend_for(Runtime.from_config(config))
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    members.invite_members(backend, review.review_id)
    return path, backend, review.review_id


def test_closing_early_moves_a_waiting_review_on_and_is_recorded(board):
    _, backend, review_id = board
    assert advancing.advance(backend, review_id) is Stage.COLLECTING, "it waits while nobody has answered"
    steering.close_member_input_early(backend, review_id, BM)
    assert advancing.advance(backend, review_id) is Stage.WITH_REVIEWERS
    assert backend.store.schedule(review_id).closed
    [decision] = backend.store.events(review_id, "decision")
    assert decision.person_email == BM and decision.detail == "closed member input early"


def test_extending_moves_the_deadline_by_working_days(board):
    _, backend, review_id = board
    before = backend.store.schedule(review_id).response_deadline
    steering.extend(backend, review_id, BM, "members", 5)
    after = backend.store.schedule(review_id).response_deadline
    assert after - before == dt.timedelta(days=7)  # five working days: a week
    assert "extended the members' deadline by 5" in backend.store.events(review_id, "decision")[0].detail


def test_extending_a_closed_window_is_refused_with_a_reason(board):
    _, backend, review_id = board
    waiting.close_member_input(backend, review_id)
    with pytest.raises(ScrError, match="not open"):
        steering.extend(backend, review_id, BM, "members", 3)


def test_cancelling_stops_a_waiting_review(board):
    _, backend, review_id = board
    assert advancing.advance(backend, review_id) is Stage.COLLECTING
    steering.cancel(backend, review_id, BM)
    assert advancing.advance(backend, review_id) is Stage.CANCELLED
    assert backend.store.stage(review_id) is Stage.CANCELLED
    assert advancing.open_reviews(backend) == []
    with pytest.raises(ScrError, match="cancelled"):
        steering.close_member_input_early(backend, review_id, BM)


def test_going_ahead_without_a_reviewer_ends_the_reviewers_wait(board):
    _, backend, review_id = board
    steering.close_member_input_early(backend, review_id, BM)
    assert advancing.advance(backend, review_id) is Stage.WITH_REVIEWERS
    review = backend.store.get_review(review_id)
    first, second = review.lead_reviewers
    backend.store.mark_reviewer_complete(review_id, first.email, backend.clock.now())
    assert advancing.advance(backend, review_id) is Stage.WITH_REVIEWERS, "it waits for the second reviewer"
    steering.go_ahead_without(backend, review_id, BM, second.email)
    assert advancing.advance(backend, review_id) is Stage.DRAFTED
    progress = reviewers.reviewer_progress(backend, review_id)
    assert progress.complete and progress.excused == (second.name,)
    with pytest.raises(ScrError, match="not a lead reviewer"):
        steering.go_ahead_without(backend, review_id, BM, "someone@example.org")


def test_including_late_answers_is_a_recorded_choice(board):
    _, backend, review_id = board
    steering.include_late_answers(backend, review_id, BM, True)
    assert backend.store.schedule(review_id).include_late is True
    steering.include_late_answers(backend, review_id, "chair@northshire-lscb.example.org", False)
    decisions = backend.store.events(review_id, "decision")
    assert [(d.person_email, d.detail) for d in decisions] == [
        (BM, "included late answers"), ("chair@northshire-lscb.example.org", "left late answers out")]


def test_the_cli_records_who_decided(board):
    path, backend, review_id = board
    result = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", "close", str(path), "--by",
                             "chair@northshire-lscb.example.org"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Recorded as decided by chair@northshire-lscb.example.org" in result.stdout
    assert backend.store.schedule(review_id).close_now is True
    refused = subprocess.run([sys.executable, "-m", "scr.entrypoints.cli", "without-reviewer", str(path),
                              "nobody@example.org"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert refused.returncode == 1 and "not a lead reviewer" in refused.stderr and "Traceback" not in refused.stderr


def test_cancelling_closes_every_personal_link(board):
    _, backend, review_id = board
    review = backend.store.get_review(review_id)
    token = backend.store.issue_token(review_id, review.members[0].email, Role.MEMBER)
    steering.cancel(backend, review_id, BM)
    assert backend.store.resolve_token(token) is None
    assert members.send_due_reminders(backend, review_id) == 0


def test_closing_tells_the_business_manager_once_however_often_it_runs(board, tmp_path):
    _, backend, review_id = board
    waiting.close_member_input(backend, review_id)
    waiting.close_member_input(backend, review_id)
    outbox = sorted((tmp_path / "OUT" / review_id / "outbox").glob("*deadline-passed*"))
    assert len(outbox) == 1


def test_an_early_close_is_told_as_one_by_the_email_and_by_status(board, tmp_path):
    path, backend, review_id = board
    deadline = backend.store.schedule(review_id).response_deadline
    steering.close_member_input_early(backend, review_id, BM)
    waiting.close_member_input(backend, review_id)
    [sent] = sorted((tmp_path / "OUT" / review_id / "outbox").glob("*deadline-passed*"))
    message = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    text = message.get_body().get_content()
    manager = backend.store.get_review(review_id).business_manager.name
    [decided] = backend.store.events(review_id, "decision")
    assert f"was closed early by {manager} on {format_when(decided.at)}, before its deadline" in " ".join(text.split())
    assert "has passed" not in text and "input was closed early" in message["Subject"]
    config = load_board_config(path)
    shown = describe(Runtime.from_config(config), review_id)
    assert f"closed early by {manager} on " in shown and f"(the deadline was {format_when(deadline)})" in shown


def test_a_deadline_that_passed_is_still_told_as_passed(board, tmp_path):
    _, backend, review_id = board
    waiting.close_member_input(backend, review_id)
    [sent] = sorted((tmp_path / "OUT" / review_id / "outbox").glob("*deadline-passed*"))
    message = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    assert "has passed" in message["Subject"] and steering.early_close(backend, review_id) is None


def test_a_member_who_answered_only_late_is_shown_as_late_not_as_missing(board):
    _, backend, review_id = board
    review = backend.store.get_review(review_id)
    waiting.close_member_input(backend, review_id)
    late = backend.clock.now() + dt.timedelta(minutes=1)
    backend.store.save_response(review_id, review.members[0].email, {}, late, late=True)
    summary = drafting.current_summary(backend, review_id)
    assert review.members[0] in summary.late_excluded
    assert review.members[0] not in summary.non_respondents
    steering.include_late_answers(backend, review_id, BM, True)
    assert review.members[0] in drafting.current_summary(backend, review_id).respondents


def test_one_run_advances_a_review_at_a_time(board):
    from scr.services.advancing import advance

    _, backend, review_id = board
    store, now = backend.store, dt.datetime.now(dt.UTC)
    assert store.claim(review_id, "cron-1", until=now + dt.timedelta(minutes=5), now=now)
    assert not store.claim(review_id, "cron-2", until=now + dt.timedelta(minutes=5), now=now)
    steering.close_member_input_early(backend, review_id, BM)
    assert advance(backend, review_id) is Stage.COLLECTING, "left to the run that holds it"
    assert not store.events(review_id, "summary_sent")
    assert store.claim(review_id, "cron-2", until=now, now=now + dt.timedelta(minutes=6)), "an expired lease"
    store.release(review_id, "cron-2")
    assert advance(backend, review_id) is Stage.WITH_REVIEWERS
    assert len(store.events(review_id, "summary_sent")) == 2


def test_a_lease_left_by_a_killed_process_on_this_machine_is_taken_over(board):
    import socket

    from scr.services.advancing import holder_gone

    _, backend, review_id = board
    store, now = backend.store, dt.datetime.now(dt.UTC)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = f"{socket.gethostname()}:{dead.pid}:abcd1234"
    alive = f"{socket.gethostname()}:{os.getpid()}:abcd1234"
    assert holder_gone(left) and not holder_gone(alive) and not holder_gone("elsewhere:1:abcd1234")
    assert store.claim(review_id, left, until=now + dt.timedelta(minutes=15), now=now)
    assert store.claim(review_id, "next-run", until=now + dt.timedelta(minutes=15), now=now,
                       holder_gone=holder_gone)
    assert not store.claim(review_id, alive, until=now + dt.timedelta(minutes=15), now=now,
                           holder_gone=holder_gone), "next-run is a live holder elsewhere"


def test_a_reviewers_completion_can_be_recorded_for_them(board):
    _, backend, review_id = board
    waiting.close_member_input(backend, review_id)
    reviewers.circulate_summary(backend, review_id)
    second = backend.store.get_review(review_id).lead_reviewers[1]
    choice = steering.Choice("mark a lead reviewer's review complete", BM, lead_reviewer_email=second.email)
    assert "recorded as complete" in steering.apply(backend, review_id, choice)
    done = {i.reviewer.email: i.completed_at for i in backend.store.reviewer_inputs(review_id)}
    assert done[second.email] is not None
    assert "completed their review" in backend.store.events(review_id, "decision")[-1].detail


def test_each_command_names_a_decision_the_one_dispatch_carries_out(board, capsys):
    from scr.entrypoints.cli import main as scr

    path, backend, review_id = board
    assert scr(["extend", str(path), "--days", "2", "--by", BM]) == 0
    assert scr(["include-late", str(path), "--leave-out"]) == 0
    waiting.close_member_input(backend, review_id)
    reviewers.circulate_summary(backend, review_id)
    first = backend.store.get_review(review_id).lead_reviewers[0]
    assert scr(["mark-complete", str(path), first.email]) == 0
    assert scr(["cancel", str(path)]) == 0
    details = [e.detail for e in backend.store.events(review_id, "decision")]
    assert details[0].startswith("extended the members' deadline by 2 working day(s)")
    assert details[1:] == ["left late answers out", f"recorded that {first.name} completed their review",
                           "cancelled the review"]
    assert "is cancelled" in capsys.readouterr().out


def test_a_decision_the_dispatch_does_not_know_is_refused_naming_the_choices(board):
    _, backend, review_id = board
    with pytest.raises(ScrError, match="'close it' is not a decision.*close member input early; extend the"):
        steering.apply(backend, review_id, steering.Choice("close it", BM))
    with pytest.raises(ScrError, match="Give the path of the board's decisions file"):
        steering.apply(backend, review_id, steering.Choice("record the board's decisions from a file", BM))
    assert steering.apply(backend, review_id, steering.Choice("no change", BM)) == "No change."
    assert backend.store.events(review_id, "decision") == []
