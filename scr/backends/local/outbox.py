"""The local mailer: each email becomes an RFC 5322 ``.eml`` file in ``<out_dir>/<review_id>/outbox/``.

Nothing is sent. The business manager (or a mail client) opens the files; the bodies hold people's
personal links, so they are written readable by their owner only and never logged.
"""

from __future__ import annotations

import email.parser
import email.policy
import os
import re
import tempfile
import threading
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from scr.clock import SystemClock
from scr.ports import Clock, Message

__all__ = ["OutboxMailer", "read_outbox"]

_NUMBERED = re.compile(r"^(\d{4,})-")


class OutboxMailer:
    """A ``Mailer`` writing ``<NNNN>-<kind>-<recipient-local-part>.eml`` files, numbered in order."""

    def __init__(self, out_dir: Path, sender_name: str, sender_email: str, clock: Clock | None = None):
        self.out_dir = Path(out_dir)
        self.sender = Address(display_name=sender_name, addr_spec=sender_email)
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._next: dict[Path, int] = {}  # the next free number per outbox, found by one scan

    def outbox(self, review_id: str) -> Path:
        return self.out_dir / review_id / "outbox"

    def send(self, review_id: str, message: Message) -> None:
        data = bytes(self.compose(message))
        directory = self.outbox(review_id)
        directory.mkdir(parents=True, exist_ok=True)
        suffix = f"-{_slug(message.kind)}-{_slug(message.to_email.split('@')[0])}.eml"
        with self._lock:
            if directory not in self._next:
                self._next[directory] = _next_number(directory)
            written = _write_numbered(directory, suffix, data, self._next[directory])
            self._next[directory] = int(_NUMBERED.match(written.name).group(1)) + 1

    def compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage(policy=email.policy.default)
        mail["From"] = self.sender
        mail["To"] = Address(display_name=message.to_name, addr_spec=message.to_email)
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(self.clock.now())
        mail["Message-ID"] = make_msgid(domain=self.sender.domain or None)
        mail.set_content(message.body, charset="utf-8")
        return mail


def read_outbox(directory: Path) -> list[EmailMessage]:
    """The ``.eml`` files in an outbox directory, parsed, in the order they were written."""
    files = sorted(Path(directory).glob("*.eml"))
    return [_parse(path.read_bytes()) for path in files]


def _parse(data: bytes) -> EmailMessage:
    parser = email.parser.BytesParser(policy=email.policy.default)
    return parser.parsebytes(data)  # type: ignore[return-value]


def _write_numbered(directory: Path, suffix: str, data: bytes, number: int) -> Path:
    """Write ``data`` whole to a temporary file, then link it under the first free number from ``number``."""
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".writing-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        while True:
            target = directory / f"{number:04d}{suffix}"
            try:
                os.link(temp, target)  # fails if another process took the number: try the next
                return target
            except FileExistsError:
                number += 1
    finally:
        os.unlink(temp)


def _next_number(directory: Path) -> int:
    numbers = [int(m.group(1)) for p in directory.iterdir() if (m := _NUMBERED.match(p.name))]
    return max(numbers, default=0) + 1


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._]+", "-", text.lower()).strip("-.") or "x"
