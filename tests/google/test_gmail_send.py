"""GmailMailer against the emulator; SmtpMailer against a loopback SMTP server that speaks STARTTLS."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from scr.backends.google.errors import GoogleAccessError
from scr.backends.google.gmail import GmailMailer
from scr.backends.mail import SmtpMailer
from scr.errors import ScrError, TransientError, is_transient
from scr.ports import Message
from tests.google_emulator import GoogleEmulator

BODY = "Dear Zo\u00eb,\n\nPlease give your view on the review of Child T \u2014 your link:\nhttps://x/m/SECRET-TOKEN\n"
INVITE = Message("Zo\u00eb O\u2019Neill", "zoe@example.org", "Your input to SCR-2026-014 \u2014 by 7 December", BODY,
                 "invitation")


def test_gmail_send_produces_a_parseable_utf8_message(emu: GoogleEmulator) -> None:
    mailer = GmailMailer(emu.build("gmail"), "Safeguarding Board", "board@example.org")
    mailer.send("SCR-2026-014", INVITE)
    (sent,) = emu.sent_messages()
    assert emu.counts() == {"gmail.users.messages.send": 1}
    assert sent["userId"] == "me"
    assert sent["to"] == ["zoe@example.org"]
    assert sent["subject"] == INVITE.subject
    assert sent["text"] == BODY
    parsed = message_from_bytes(sent["raw"], policy=policy.default)
    assert parsed["To"].addresses[0].display_name == "Zo\u00eb O\u2019Neill"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed["From"].addresses[0].addr_spec == "board@example.org"


def test_message_id_recognises_a_resend(emu: GoogleEmulator) -> None:
    mailer = GmailMailer(emu.build("gmail"), "Board", "board@example.org")
    mailer.send("SCR-2026-014", INVITE)
    mailer.send("SCR-2026-014", INVITE)
    mailer.send("SCR-2026-014", Message(INVITE.to_name, INVITE.to_email, INVITE.subject, BODY, "reminder"))
    mailer.send("SCR-2026-015", INVITE)
    first, again, reminder, other_review = [str(m["message"]["Message-ID"]).strip() for m in emu.sent_messages()]
    assert first == again
    assert len({first, reminder, other_review}) == 3
    assert first.startswith("<scr.SCR-2026-014-invitation.") and first.endswith("@example.org>")
    assert "zoe" not in first


def test_gmail_403_says_what_access_is_missing_without_the_body(emu: GoogleEmulator) -> None:
    emu.faults.deny(403)
    with pytest.raises(GoogleAccessError) as caught:
        GmailMailer(emu.build("gmail"), "Board", "board@example.org").send("SCR-2026-014", INVITE)
    text = str(caught.value)
    assert "gmail.send" in text and "delegation" in text and "zoe@example.org" in text
    assert "SECRET" not in text and emu.sent_messages() == []


# -- SMTP ----------------------------------------------------------------------------------------
def _certificate(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP: EHLO, STARTTLS, AUTH PLAIN (only over TLS), MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server = self.server
        tls = False
        self.reply("220 fake ESMTP")
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            verb = line.split(" ")[0].upper()
            if verb == "EHLO":
                extensions = ["AUTH PLAIN"] if tls else (["STARTTLS"] if server.offer_tls else [])
                for ext in ["fake", *extensions][:-1]:
                    self.reply(f"250-{ext}")
                self.reply(f"250 {(['fake', *extensions])[-1]}")
            elif verb == "STARTTLS":
                self.reply("220 go ahead")
                self.connection = server.tls.wrap_socket(self.connection, server_side=True)
                self.rfile, self.wfile = self.connection.makefile("rb"), self.connection.makefile("wb")
                tls = True
            elif verb == "AUTH":
                _, user, password = base64.b64decode(line.split(" ")[2]).split(b"\0")
                ok = tls and (user, password) == (b"board", b"s3cret")
                self.reply("235 ok" if ok else "535 authentication failed")
            elif verb in ("MAIL", "RCPT"):
                server.envelope.append(line)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                if server.data_reply.startswith("250"):
                    server.messages.append(data)
                self.reply(server.data_reply)
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[socketserver.ThreadingTCPServer]:
    cert, key = _certificate(tmp_path)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.daemon_threads = True
    server.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.tls.load_cert_chain(cert, key)
    server.client_tls = ssl.create_default_context(cafile=str(cert))
    server.offer_tls, server.messages, server.envelope, server.data_reply = True, [], [], "250 queued"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _smtp_mailer(server: socketserver.ThreadingTCPServer, username: str = "board") -> SmtpMailer:
    return SmtpMailer("127.0.0.1", server.server_address[1], username, "SCR_TEST_SMTP_PASSWORD", "Board",
                      "board@example.org", timeout=30, ssl_context=server.client_tls)


def test_smtp_sends_over_starttls(smtp: socketserver.ThreadingTCPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCR_TEST_SMTP_PASSWORD", "s3cret")
    _smtp_mailer(smtp).send("SCR-2026-014", INVITE)
    (data,) = smtp.messages
    parsed = message_from_bytes(data, policy=policy.default)
    assert parsed["Subject"] == INVITE.subject
    assert parsed.get_content().replace("\r\n", "\n") == BODY  # the wire has CRLF line ends
    assert any("zoe@example.org" in line for line in smtp.envelope if line.upper().startswith("RCPT"))


def test_smtp_refused_login_names_the_variable_not_the_password(
    smtp: socketserver.ThreadingTCPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCR_TEST_SMTP_PASSWORD", "wrong-password")
    with pytest.raises(ScrError, match="SCR_TEST_SMTP_PASSWORD") as caught:
        _smtp_mailer(smtp).send("SCR-2026-014", INVITE)
    assert "wrong-password" not in str(caught.value) and smtp.messages == []


def test_smtp_without_starttls_is_refused(smtp: socketserver.ThreadingTCPServer, monkeypatch) -> None:
    monkeypatch.setenv("SCR_TEST_SMTP_PASSWORD", "s3cret")
    smtp.offer_tls = False
    with pytest.raises(ScrError, match="STARTTLS"):
        _smtp_mailer(smtp).send("SCR-2026-014", INVITE)
    assert smtp.messages == []


@pytest.mark.parametrize(("reply", "transient"), [("451 4.3.0 try again later", True), ("554 5.7.1 rejected", False)])
def test_a_temporary_refusal_is_transient_and_a_permanent_one_is_not(smtp, monkeypatch, reply, transient) -> None:
    monkeypatch.setenv("SCR_TEST_SMTP_PASSWORD", "s3cret")
    smtp.data_reply = reply
    with pytest.raises(ScrError, match=f"invitation email for review SCR-2026-014 .*{reply[:3]}") as caught:
        _smtp_mailer(smtp).send("SCR-2026-014", INVITE)
    assert is_transient(caught.value) is transient and isinstance(caught.value, TransientError) is transient
    assert smtp.messages == []


def test_a_relay_that_does_not_answer_is_transient(monkeypatch) -> None:
    monkeypatch.setenv("SCR_TEST_SMTP_PASSWORD", "s3cret")
    with socket.socket() as closed:  # a port just freed: nothing listens there
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    mailer = SmtpMailer("127.0.0.1", port, "board", "SCR_TEST_SMTP_PASSWORD", "Board", "board@example.org", timeout=5)
    with pytest.raises(TransientError, match="ConnectionRefusedError"):
        mailer.send("SCR-2026-014", INVITE)


def test_smtp_password_variable_must_be_set(smtp: socketserver.ThreadingTCPServer, monkeypatch) -> None:
    monkeypatch.delenv("SCR_TEST_SMTP_PASSWORD", raising=False)
    with pytest.raises(ScrError, match="SCR_TEST_SMTP_PASSWORD holding the password is not set"):
        _smtp_mailer(smtp).send("SCR-2026-014", INVITE)


def test_two_reminders_with_one_subject_get_different_message_ids():
    from scr.ports import Message

    def message_id(review_id, message, sender):
        return message.message_id(review_id, sender)

    first = Message("Ann", "ann@example.org", "Reminder: due 1 Dec", "body", "reminder", "reminder 1")
    second = Message("Ann", "ann@example.org", "Reminder: due 1 Dec", "body", "reminder", "reminder 2")
    assert message_id("SCR-1", first, "bm@example.org") != message_id("SCR-1", second, "bm@example.org")
    assert message_id("SCR-1", first, "bm@example.org") == message_id("SCR-1", first, "bm@example.org")


def test_a_board_configured_for_smtp_sends_invitations_through_the_relay(
    smtp: socketserver.ThreadingTCPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import yaml

    from scr.bootstrap import backend_for
    from scr.config import parse_config, review_from_config
    from scr.services.members import invite_members
    from scr.settings import Runtime

    monkeypatch.setenv("SCR_TEST_SMTP_PASSWORD", "s3cret")
    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT"), "mail": "smtp"}
    raw["smtp"] = {"host": "127.0.0.1", "port": smtp.server_address[1], "username": "board",
                   "password_env": "SCR_TEST_SMTP_PASSWORD", "ca_file": str(tmp_path / "cert.pem")}  # the fixture's CA
    config = parse_config(raw)
    backend = backend_for(Runtime.from_config(config))
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    assert invite_members(backend, review.review_id) == len(review.members)
    recipients = [message_from_bytes(data, policy=policy.default)["To"].addresses[0].addr_spec
                  for data in smtp.messages]
    assert sorted(recipients) == sorted(m.email for m in review.members)
    assert not (tmp_path / "OUT" / review.review_id / "outbox").exists()

