"""Sending the review's emails through the Gmail API, as the delegated user: ``GmailMailer``.

The email is composed as every mailer composes it (``scr.backends.mail.compose_bytes``), with a Message-ID that
is the same for a resend. Bodies hold personal links: they are never logged.
"""

from __future__ import annotations

import base64
from typing import Any

from scr.backends.google.errors import call
from scr.backends.mail import compose_bytes
from scr.ports import Message

__all__ = ["GmailMailer"]


class GmailMailer:
    """A ``Mailer`` sending through users.messages.send as the delegated user ("me"): one request per email."""

    deduplicates = False  # Gmail sends a resend again, Message-ID or not

    def __init__(self, gmail_service: Any, sender_name: str, sender_email: str):
        self._messages = gmail_service.users().messages()
        self.sender_name = sender_name
        self.sender_email = sender_email

    def send(self, review_id: str, message: Message) -> None:
        data = compose_bytes(review_id, message, self.sender_name, self.sender_email)
        raw = base64.urlsafe_b64encode(data).decode("ascii")
        request = self._messages.send(userId="me", body={"raw": raw})
        call(request, f"send the {message.kind} email for review {review_id} to {message.to_email}")
