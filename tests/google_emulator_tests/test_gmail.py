"""Gmail v1 users.messages.send with a raw RFC 5322 message."""

from __future__ import annotations

import base64
from email.message import EmailMessage

import pytest
from googleapiclient.errors import HttpError

from tests.google_emulator import GoogleEmulator


def test_sent_messages_are_parsed(emu: GoogleEmulator) -> None:
    message = EmailMessage()
    message["To"] = "Ann Lee <ann@example.org>, bob@example.org"
    message["From"] = "board@example.org"
    message["Subject"] = "Please review the summary"
    message.set_content("Dear reviewer,\nplease read.")
    message.add_alternative("<p>Dear reviewer</p>", subtype="html")
    raw = base64.urlsafe_b64encode(message.as_bytes()).decode()
    sent = emu.build("gmail").users().messages().send(userId="me", body={"raw": raw}).execute()
    assert sent["labelIds"] == ["SENT"]
    (mail,) = emu.sent_messages()
    assert mail["id"] == sent["id"]
    assert mail["to"] == ["ann@example.org", "bob@example.org"]
    assert mail["subject"] == "Please review the summary"
    assert mail["text"].startswith("Dear reviewer,")
    assert mail["html"].strip() == "<p>Dear reviewer</p>"


def test_a_message_without_recipients_is_refused(emu: GoogleEmulator) -> None:
    raw = base64.urlsafe_b64encode(b"Subject: nobody\r\n\r\nhello").decode()
    with pytest.raises(HttpError) as caught:
        emu.build("gmail").users().messages().send(userId="me", body={"raw": raw}).execute()
    assert caught.value.status_code == 400
    assert emu.sent_messages() == []
