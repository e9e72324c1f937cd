"""``compose_bytes`` (what the outbox and Gmail write) against ``compose`` (the email package, default policy):
parsed back, every header's decoded value and the body are the same, for ASCII and non-ASCII people."""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scr.backends import mail
from scr.backends.mail import compose, compose_bytes
from scr.ports import Message

AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
SENDER = ("Priya Shah, Northshire Local Safeguarding Children Board", "priya.shah@northshire-lscb.example.org")
LONG_SUBJECT = ("OFFICIAL-SENSITIVE: Serious Case Review SCR-2026-014: your input is needed by Friday "
                "4 December 2026, 17:00")
BODY = ("Dear Siobhán,\n\nThe Northshire Local Safeguarding Children Board has decided to commission a Serious Case "
        "Review (SCR-2026-014) concerning Child T. Please give your input here by Friday 4 December 2026, 17:00:\n\n"
        "http://127.0.0.1:8765/f/0123456789abcdef0123456789abcdef\n\nPriya Shah\n")


def parsed(data: bytes):
    return email.parser.BytesParser(policy=email.policy.default).parsebytes(data)


def assert_same_email(message: Message, sender: tuple[str, str] = SENDER) -> bytes:
    old = parsed(bytes(compose("SCR-2026-014", message, *sender, now=AT)))
    data = compose_bytes("SCR-2026-014", message, *sender, now=AT)
    new = parsed(data)
    assert new.keys() == old.keys()
    for name in old.keys():
        assert str(new[name]) == str(old[name]), name
    for name in ("From", "To"):
        [was], [now] = old[name].addresses, new[name].addresses
        assert (now.display_name, now.addr_spec) == (was.display_name, was.addr_spec)
    assert new.get_content() == old.get_content()
    assert new.defects == [] and all(new[name].defects == () for name in new.keys())
    rows = data.split(b"\n\n", 1)[0].split(b"\n")
    assert all(len(row) <= 78 for row in rows if b"<scr." not in row)  # a Message-ID is one word, never cut
    return data


@pytest.mark.parametrize("name, subject", [
    ("Helen Okafor", "Your input"),
    ("Siobhán Ó Briain", "Ceád míle fáilte: your input — SCR-2026-014"),
    ("Tom O'Reilly", "Reminder: Tom O'Reilly's input"),
    ("Dr. Amir Haddad, MBE", LONG_SUBJECT),
    ("Zoë O’Brien-Łukasz", LONG_SUBJECT + " — Zoë O’Brien-Łukasz, with a subject that folds twice or more"),
])
def test_the_fast_email_parses_to_the_same_headers_and_body(name, subject, monkeypatch):
    message = Message(name, "someone@agency.example.org", subject, BODY, "invitation")
    before = bytes(compose("SCR-2026-014", message, *SENDER, now=AT))
    with monkeypatch.context() as patch:  # an ordinary email never needs the email package's way
        patch.setattr(mail, "compose", lambda *args, **kwargs: pytest.fail("written the slow way"))
        data = compose_bytes("SCR-2026-014", message, *SENDER, now=AT)
    assert parsed(data).items() == parsed(before).items()
    new = parsed(assert_same_email(message))
    assert new["To"].addresses[0].display_name == name and str(new["Subject"]) == subject
    assert new.get_content() == BODY


@pytest.mark.parametrize("name, subject", [
    ("Ann", "=?utf-8?q?looks_encoded?= but is not"),
    ('Ann "Nan" Jones', "tab\tinside"),
    ("  spaced   out  ", "ends in a space "),
    ("Ann\u2028Jones", "zero\u200bwidth"),
])
def test_odd_names_and_subjects_are_written_as_the_email_package_writes_them(name, subject):
    assert_same_email(Message(name, "someone@agency.example.org", subject, BODY, "invitation"))


def test_a_simple_email_is_written_byte_for_byte_as_before():
    message = Message("Tom O'Reilly", "tom.oreilly@police.example.org", "Your input", "Dear Tom,\n\nThanks.\n",
                      "invitation")
    assert assert_same_email(message) == bytes(compose("SCR-2026-014", message, *SENDER, now=AT))


@pytest.mark.parametrize("body", [
    "",
    "short ASCII\n",
    "Zoë's answer is awaited\n",
    "x" * 200 + "\n",
    "Привет, " * 30 + "\n",  # mostly non-Latin: base64, as before
    "line one\r\nline two\rline three\n",
    "trailing spaces   \nand =equals= and a tab\t\n" + "é" * 90 + "\n",
])
def test_bodies_decode_the_same_whatever_their_transfer_encoding(body):
    data = assert_same_email(Message("Helen Okafor", "helen@nhs.example.org", "s", body, "invitation"))
    old = parsed(bytes(compose("SCR-2026-014", Message("Helen Okafor", "helen@nhs.example.org", "s", body,
                                                        "invitation"), *SENDER, now=AT)))
    assert parsed(data)["Content-Transfer-Encoding"] == old["Content-Transfer-Encoding"]


def test_a_header_with_a_line_break_is_refused_as_before():
    with pytest.raises(ValueError):
        compose_bytes("R-1", Message("A", "a@example.org", "Subject\nBcc: x@example.org", "b", "invitation"),
                      *SENDER, now=AT)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=120)


@settings(max_examples=300, deadline=None)
@given(name=TEXT.filter(str.strip), subject=TEXT.filter(str.strip), body=st.text(max_size=400),
       sender=TEXT.filter(str.strip))
def test_any_names_subject_and_body_parse_the_same(name, subject, body, sender):
    body = body.replace("\r", "")
    try:
        bytes(compose("R-1", Message(name, "a@example.org", subject, body, "invitation"), sender,
                      "b@example.org", now=AT))
    except (ValueError, IndexError):  # what the email package refuses, compose_bytes refuses alike
        with pytest.raises((ValueError, IndexError)):
            compose_bytes("R-1", Message(name, "a@example.org", subject, body, "invitation"), sender,
                          "b@example.org", now=AT)
        return
    old = parsed(bytes(compose("R-1", Message(name, "a@example.org", subject, body, "invitation"), sender,
                               "b@example.org", now=AT)))
    new = parsed(compose_bytes("R-1", Message(name, "a@example.org", subject, body, "invitation"), sender,
                               "b@example.org", now=AT))
    assert [(k, str(v)) for k, v in new.items()] == [(k, str(v)) for k, v in old.items()]
    assert new.get_content() == old.get_content()
