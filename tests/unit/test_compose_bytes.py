"""``compose_bytes`` (what the outbox and Gmail write) against ``compose`` (the email package, default policy):
parsed back, every header's decoded value and the body are the same, for ASCII and non-ASCII people; the bytes
are too."""

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


def assert_same_email(message: Message, sender: tuple[str, str] = SENDER, review_id: str = "SCR-2026-014") -> bytes:
    """Parsed back, every header's decoded value and the body are as before; in fact every byte is."""
    before = bytes(compose(review_id, message, *sender, now=AT))
    data = compose_bytes(review_id, message, *sender, now=AT)
    old, new = parsed(before), parsed(data)
    assert new.keys() == old.keys()
    for name in old.keys():
        assert str(new[name]) == str(old[name]), name
    for name in ("From", "To"):
        [was], [now] = old[name].addresses, new[name].addresses
        assert (now.display_name, now.addr_spec) == (was.display_name, was.addr_spec)
    assert new.get_content() == old.get_content()
    assert new.defects == [] and all(new[name].defects == () for name in new.keys())
    assert data == before
    return data


@pytest.mark.parametrize("name, subject", [
    ("Helen Okafor", "Your input"),
    ("Siobhán Ó Briain", "Ceád míle fáilte: your input — SCR-2026-014"),
    ("Tom O'Reilly", "Reminder: Tom O'Reilly's input"),
    ("Dr. Amir Haddad, MBE", LONG_SUBJECT),
    ("Zoë O’Brien-Łukasz", LONG_SUBJECT + " — Zoë O’Brien-Łukasz, with a subject that folds twice or more"),
])
def test_an_invitation_parses_to_the_same_headers_and_body(name, subject, monkeypatch):
    message = Message(name, "someone@agency.example.org", subject, BODY, "invitation")
    data = assert_same_email(message)
    with monkeypatch.context() as patch:  # an ordinary email is never built whole by the email package
        patch.setattr(mail, "compose", lambda *args, **kwargs: pytest.fail("written the slow way"))
        assert compose_bytes("SCR-2026-014", message, *SENDER, now=AT) == data
    new = parsed(data)
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


@pytest.mark.parametrize("review_id", ["R-1", "SCR-2026-014", "SCR-2026-0140000000", "A" * 60])
def test_the_message_id_is_folded_as_before_whatever_its_length(review_id):
    assert_same_email(Message("Tom O'Reilly", "tom@police.example.org", "Your input", "Thanks.\n", "invitation"),
                      review_id=review_id)


@pytest.mark.parametrize("body", [
    "",
    "short ASCII\n",
    "Zoë's answer is awaited\n",
    "x" * 200 + "\n",
    "Привет, " * 30 + "\n",  # mostly non-Latin: base64, as before
    "line one\r\nline two\rline three\n",
    "trailing spaces   \nand =equals= and a tab\t\n" + "é" * 90 + "\n",
])
def test_bodies_are_encoded_as_before_whatever_their_transfer_encoding(body):
    assert_same_email(Message("Helen Okafor", "helen@nhs.example.org", "s", body, "invitation"))


def test_a_header_with_a_line_break_is_refused_as_before():
    with pytest.raises(ValueError):
        compose_bytes("R-1", Message("A", "a@example.org", "Subject\nBcc: x@example.org", "b", "invitation"),
                      *SENDER, now=AT)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=120)


@settings(max_examples=1000, deadline=None)
@given(name=TEXT.filter(str.strip), subject=TEXT.filter(str.strip), body=st.text(max_size=400),
       sender=TEXT.filter(str.strip), review_id=st.from_regex(r"[A-Z]{1,5}-[0-9]{1,30}", fullmatch=True))
def test_any_names_subject_and_body_are_written_as_the_email_package_writes_them(name, subject, body, sender,
                                                                                   review_id):
    message = Message(name, "a@example.org", subject, body, "invitation")
    try:
        before = bytes(compose(review_id, message, sender, "b@example.org", now=AT))
    except (ValueError, IndexError):  # what the email package refuses, compose_bytes refuses alike
        with pytest.raises((ValueError, IndexError)):
            compose_bytes(review_id, message, sender, "b@example.org", now=AT)
        return
    assert compose_bytes(review_id, message, sender, "b@example.org", now=AT) == before
