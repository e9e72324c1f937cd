"""The local outbox: one .eml file per email, parsed back with the right headers and a UTF-8 body."""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import threading
import time

import pytest

from scr.backends.local.outbox import OutboxMailer, read_outbox
from scr.ports import Message

AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


class FixedClock:
    def now(self) -> dt.datetime:
        return AT


def mailer(tmp_path) -> OutboxMailer:
    return OutboxMailer(tmp_path / "OUT", "Priya Shah", "priya.shah@northshire-lscb.example.org", FixedClock())


def test_each_message_is_a_numbered_eml_file(tmp_path):
    out = mailer(tmp_path)
    out.send(
        "SCR-2026-014", Message("Dr Helen Okafor", "helen.okafor@nhs.example.org", "Your input", "Hi", "invitation")
    )
    out.send("SCR-2026-014", Message("DS Tom Reyes", "tom.reyes@police.example.org", "Reminder", "Hi", "reminder"))
    out.send("SCR-2026-999", Message("A B", "a.b@example.org", "Other review", "Hi", "invitation"))
    outbox = tmp_path / "OUT" / "SCR-2026-014" / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == [
        "0001-invitation-helen.okafor.eml", "0002-reminder-tom.reyes.eml"]  # fmt: skip
    assert [p.name for p in (tmp_path / "OUT" / "SCR-2026-999" / "outbox").iterdir()] == ["0001-invitation-a.b.eml"]


def test_messages_parse_back_with_headers_and_utf8_body(tmp_path):
    out = mailer(tmp_path)
    body = "Dear Zoë,\n\nPlease give your view on Child T’s review by 4 December 2026:\nhttp://127.0.0.1:8765/f/abc\n"
    out.send("R-1", Message("Zoë O’Brien-Łukasz", "zoe@example.org", "Your input — SCR-2026-014", body, "invitation"))
    [message] = read_outbox(tmp_path / "OUT" / "R-1" / "outbox")
    assert message["From"].addresses[0].display_name == "Priya Shah"
    assert message["From"].addresses[0].addr_spec == "priya.shah@northshire-lscb.example.org"
    assert message["To"].addresses[0].display_name == "Zoë O’Brien-Łukasz"
    assert message["To"].addresses[0].addr_spec == "zoe@example.org"
    assert message["Subject"] == "Your input — SCR-2026-014"
    assert email.utils.parsedate_to_datetime(message["Date"]) == AT
    assert message["Message-ID"].endswith("@northshire-lscb.example.org>")
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    assert message.get_content() == body


def test_files_are_written_whole_and_numbering_continues(tmp_path):
    out = mailer(tmp_path)
    for n in range(3):
        out.send("R-1", Message("A", "a@example.org", f"n{n}", "x", "summary"))
    again = mailer(tmp_path)
    again.send("R-1", Message("A", "a@example.org", "n3", "x", "tor"))
    outbox = tmp_path / "OUT" / "R-1" / "outbox"
    names = sorted(p.name for p in outbox.iterdir())
    assert names[-1] == "0004-tor-a.eml" and len(names) == 4  # no temporary files left behind
    assert [m["Subject"] for m in read_outbox(outbox)] == ["n0", "n1", "n2", "n3"]
    assert len({m["Message-ID"] for m in read_outbox(outbox)}) == 4


def test_odd_characters_in_names_make_safe_file_names(tmp_path):
    out = mailer(tmp_path)
    out.send("R-1", Message("A", "O'Brien+tag/x@example.org", "s", "b", "Invitation Letter"))
    [path] = (tmp_path / "OUT" / "R-1" / "outbox").iterdir()
    assert path.name == "0001-invitation-letter-o-brien-tag-x.eml"


def test_an_email_already_in_the_outbox_is_not_written_again(tmp_path):
    invitation = Message("A", "a@example.org", "Your input", "http://127.0.0.1:8765/f/abc", "invitation")
    mailer(tmp_path).send("R-1", invitation)
    again = mailer(tmp_path)  # the next run, after one killed between writing the email and recording it
    again.send("R-1", invitation)
    again.send("R-1", Message("A", "a@example.org", "Reminder", "x", "reminder", key="reminder 1"))
    again.send("R-1", Message("A", "a@example.org", "Reminder", "x", "reminder", key="reminder 2"))
    again.send("R-1", Message("A", "a@example.org", "Reminder", "x", "reminder", key="reminder 2"))
    outbox = tmp_path / "OUT" / "R-1" / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == [
        "0001-invitation-a.eml", "0002-reminder-a.eml", "0003-reminder-a.eml"]  # fmt: skip
    ids = [m["Message-ID"] for m in read_outbox(outbox)]
    assert len(set(ids)) == 3 and ids[0] == invitation.message_id("R-1", "priya.shah@northshire-lscb.example.org")


def names(outbox) -> list[str]:
    return sorted(p.name for p in outbox.iterdir() if p.suffix == ".eml")


def test_a_round_names_its_emails_once_they_are_all_on_disk(tmp_path, monkeypatch):
    out, synced = mailer(tmp_path), []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    outbox = tmp_path / "OUT" / "R-1" / "outbox"
    out.send("R-1", Message("A", "a@example.org", "Before", "x", "summary"))
    assert len(synced) == 2  # alone, each email is on disk when send returns: its contents, then its name
    with out.round():
        for n in range(5):
            out.send("R-1", Message(f"M {n}", f"m{n}@example.org", "Your input", "x", "invitation"))
        out.send("R-1", Message("M 0", "m0@example.org", "Your input", "x", "invitation"))  # the same: once
        assert names(outbox) == ["0001-summary-a.eml"] and len(synced) == 2  # nothing named, nothing synced yet
    assert len(synced) == 2 + 5 + 1  # each of the round's files, then the outbox directory, at its end
    assert names(outbox) == ["0001-summary-a.eml", *(f"{n + 2:04d}-invitation-m{n}.eml" for n in range(5))]
    assert [str(m["To"]) for m in read_outbox(outbox)][1:] == [f"M {n} <m{n}@example.org>" for n in range(5)]
    assert not [p for p in outbox.iterdir() if p.suffix != ".eml"]  # no temporary file left


def test_a_run_killed_inside_a_round_leaves_no_email_and_the_next_run_sends_them_all(tmp_path):
    outbox = tmp_path / "OUT" / "R-1" / "outbox"
    invitations = [Message(f"M {n}", f"m{n}@example.org", "Your input", "x", "invitation") for n in range(3)]
    child = os.fork()
    if child == 0:  # a run that dies inside its round: none of Python's tidying runs, as after SIGKILL
        try:
            out = mailer(tmp_path)
            held = out.round()
            held.__enter__()
            for message in invitations[:2]:
                out.send("R-1", message)
        finally:
            os._exit(0)
    assert os.waitpid(child, 0)[1] == 0
    assert names(outbox) == []  # killed here: no email half-written under its name, none recorded as sent
    left = sorted(outbox.iterdir())
    assert len(left) == 2
    os.utime(left[0], (time.time() - 2 * 3600,) * 2)  # left by a run killed two hours ago; left[1] just now
    again = mailer(tmp_path)  # the next run
    with again.round():
        for message in invitations:
            again.send("R-1", message)
    assert names(outbox) == ["0001-invitation-m0.eml", "0002-invitation-m1.eml", "0003-invitation-m2.eml"]
    assert not left[0].exists() and left[1].exists()  # the old one's links removed; the recent one may be live


def test_a_round_ended_by_an_error_keeps_what_it_sent(tmp_path):
    out = mailer(tmp_path)
    outbox = tmp_path / "OUT" / "R-1" / "outbox"
    with pytest.raises(RuntimeError), out.round():
        out.send("R-1", Message("M", "m@example.org", "Your input", "x", "invitation"))
        raise RuntimeError("the next link could not be made")
    assert names(outbox) == ["0001-invitation-m.eml"]
    out.send("R-1", Message("M", "m@example.org", "Your input", "x", "invitation"))
    assert names(outbox) == ["0001-invitation-m.eml"]


def test_a_round_in_one_thread_leaves_another_threads_emails_durable_at_once(tmp_path):
    out = mailer(tmp_path)
    outbox = tmp_path / "OUT" / "R-1" / "outbox"
    with out.round():
        out.send("R-1", Message("M", "m@example.org", "Your input", "x", "invitation"))
        other = threading.Thread(target=out.send, args=("R-1", Message("B", "b@example.org", "Link", "x", "link")))
        other.start()
        other.join()
        assert names(outbox) == ["0001-link-b.eml"]  # the web app's email is not held back by the round
        with out.round():  # a round inside a round joins it
            out.send("R-1", Message("N", "n@example.org", "Your input", "x", "invitation"))
        assert names(outbox) == ["0001-link-b.eml"]
    assert names(outbox) == ["0001-link-b.eml", "0002-invitation-m.eml", "0003-invitation-n.eml"]
