"""The local mailer: each email becomes an RFC 5322 ``.eml`` file in ``<out_dir>/<review_id>/outbox/``.

Nothing is sent. The business manager (or a mail client) opens the files; the bodies hold people's
personal links, so they are written readable by their owner only and never logged.

Writing is idempotent: each email's Message-ID is derived from what it is (``Message.message_id``), and an
email whose Message-ID is in the outbox already is not written again. A run killed after writing an email
but before recording that it went is finished by the next run without a second copy.
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
from pathlib import Path

from scr.backends.mail import compose
from scr.clock import SystemClock
from scr.ports import Clock, Message

__all__ = ["OutboxMailer", "read_outbox"]

_NUMBERED = re.compile(r"^(\d{4,})-")


class OutboxMailer:
    """A ``Mailer`` writing ``<NNNN>-<kind>-<recipient-local-part>.eml`` files, numbered in order."""

    deduplicates = True  # an email whose Message-ID is in the outbox is not written again

    def __init__(self, out_dir: Path, sender_name: str, sender_email: str, clock: Clock | None = None):
        self.out_dir = Path(out_dir)
        self.sender = Address(display_name=sender_name, addr_spec=sender_email)
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._next: dict[Path, int] = {}  # the next free number per outbox, found by one scan
        self._written: dict[Path, set[str]] = {}  # the Message-IDs in each outbox, found by the same scan

    def outbox(self, review_id: str) -> Path:
        return self.out_dir / review_id / "outbox"

    def send(self, review_id: str, message: Message) -> None:
        """Write the email to the review's outbox, unless it is there already (same Message-ID)."""
        mail = self.compose(review_id, message)
        identity = str(mail["Message-ID"])
        directory = self.outbox(review_id)
        directory.mkdir(parents=True, exist_ok=True)
        suffix = f"-{_slug(message.kind)}-{_slug(message.to_email.split('@')[0])}.eml"
        with self._lock:
            if directory not in self._next:
                self._next[directory], self._written[directory] = _scan(directory)
            if identity in self._written[directory]:
                return
            written = _write_numbered(directory, suffix, bytes(mail), self._next[directory])
            self._next[directory] = int(_NUMBERED.match(written.name).group(1)) + 1
            self._written[directory].add(identity)

    def compose(self, review_id: str, message: Message) -> EmailMessage:
        return compose(review_id, message, self.sender.display_name, self.sender.addr_spec, now=self.clock.now())


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


def _scan(directory: Path) -> tuple[int, set[str]]:
    """The next free number in an outbox, and the Message-IDs of the emails in it (headers only are read)."""
    parse = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes
    numbered = [(int(m.group(1)), p) for p in directory.iterdir() if (m := _NUMBERED.match(p.name))]
    written = {str(parse(path.read_bytes())["Message-ID"]) for _, path in numbered}
    return max((n for n, _ in numbered), default=0) + 1, written


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._]+", "-", text.lower()).strip("-.") or "x"
