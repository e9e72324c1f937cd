"""Composing the review's emails, and sending them through an SMTP relay (``SmtpMailer``).

Every mailer composes the same RFC 5322 message (UTF-8) with ``compose``: the Message-ID comes from
``Message.message_id``, so a resend of the same email carries the same id and a mail client, an audit or
the local outbox can recognise it. Bodies hold personal links: they are never logged, and errors name the
recipient's address at most. Nothing here needs a Google library.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import os
import smtplib
import socket
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from scr.errors import ScrError, TransientError
from scr.ports import Message

__all__ = ["SmtpMailer", "compose"]


def compose(
    review_id: str, message: Message, sender_name: str, sender_email: str, now: dt.datetime | None = None
) -> EmailMessage:
    """The email as RFC 5322: From, To, Subject, Date, a deterministic Message-ID, a UTF-8 text body."""
    mail = EmailMessage(policy=email.policy.default)
    mail["From"] = Address(display_name=sender_name, addr_spec=sender_email)
    mail["To"] = Address(display_name=message.to_name, addr_spec=message.to_email)
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    mail["Message-ID"] = message.message_id(review_id, sender_email)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body, charset="utf-8")
    return mail



class SmtpMailer:
    """A ``Mailer`` sending through an SMTP relay with STARTTLS; the password is read from `password_env`."""

    deduplicates = False

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        password_env: str,
        sender_name: str,
        sender_email: str,
        *,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ):
        self.host, self.port, self.username, self.password_env = host, port, username, password_env
        self.sender_name, self.sender_email = sender_name, sender_email
        self.timeout = timeout
        self.ssl_context = ssl_context

    def send(self, review_id: str, message: Message) -> None:
        password = os.environ.get(self.password_env)
        if not password:
            raise ScrError(f"SMTP: environment variable {self.password_env} holding the password is not set.")
        mail = compose(review_id, message, self.sender_name, self.sender_email)
        where = f"SMTP server {self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise ScrError(f"{where} does not offer STARTTLS; refusing to send the password unencrypted.")
                smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                smtp.ehlo()
                smtp.login(self.username, password)
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError:
            raise ScrError(f"{where} refused the login for {self.username}; check the username and "
                           f"the password in {self.password_env}.") from None
        except smtplib.SMTPRecipientsRefused:
            raise ScrError(f"{where} refused the recipient {message.to_email} (review {review_id}).") from None
        except ssl.SSLError as exc:
            raise ScrError(f"{where}: the TLS handshake failed ({exc.reason or 'certificate'}).") from None
        except (smtplib.SMTPException, OSError) as exc:
            kind = TransientError if smtp_temporary(exc) else ScrError
            raise kind(f"Could not send the {message.kind} email for review {review_id} through {where} "
                       f"({type(exc).__name__}{_code(exc)}).") from None


def smtp_temporary(exc: BaseException) -> bool:
    """A failure the SMTP server or the network says may pass: a 4xx reply, a dropped or refused connection, a
    time-out. A 5xx reply, a refused login or recipient, and a TLS failure are permanent."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError | socket.gaierror)


def _code(exc: BaseException) -> str:
    return f" {exc.smtp_code}" if isinstance(exc, smtplib.SMTPResponseException) else ""
