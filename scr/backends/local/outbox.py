"""The local mailer: each email becomes an RFC 5322 ``.eml`` file in ``<out_dir>/<review_id>/outbox/``.

Nothing is sent. The business manager (or a mail client) opens the files; the bodies hold people's
personal links, so they are written readable by their owner only and never logged.

Writing is idempotent: each email's Message-ID is derived from what it is (``Message.message_id``), and an
email whose Message-ID is in the outbox already is not written again. A run killed after writing an email
but before recording that it went is finished by the next run without a second copy.

Durability: ``send`` alone returns once the file and its name are on disk (an fsync of each). Inside
``with mailer.round():`` the emails are written to hidden temporary files without an fsync; leaving the
block puts them on disk, names them in order and puts the names on disk, at once. Record the round's
events after the block, never inside it: a run killed inside it leaves no email named, and the next sends
them all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.parser
import email.policy
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from scr.backends.mail import compose_bytes
from scr.clock import SystemClock
from scr.ports import Clock, Message

__all__ = ["OutboxMailer", "read_outbox"]

_NUMBERED = re.compile(r"^(\d{4,})-")
_TEMPORARY = ".writing-"  # an email being written: never read as one
#: A temporary file older than this was left by a killed run (a live run names its own within seconds).
_STALE = dt.timedelta(hours=1)


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
        self._round = threading.local()  # per thread: the files a round wrote and has yet to make durable

    def outbox(self, review_id: str) -> Path:
        return self.out_dir / review_id / "outbox"

    def send(self, review_id: str, message: Message) -> None:
        """Write the email to the review's outbox, unless it is there already (same Message-ID).

        Durable when it returns; inside ``round()``, when the round ends."""
        data = compose_bytes(review_id, message, self.sender.display_name, self.sender.addr_spec,
                             now=self.clock.now())
        identity = message.message_id(review_id, self.sender.addr_spec)
        directory = self.outbox(review_id)
        directory.mkdir(parents=True, exist_ok=True)
        suffix = f"-{_slug(message.kind)}-{_slug(message.to_email.split('@')[0])}.eml"
        pending: list[tuple[Path, str, Path]] | None = getattr(self._round, "pending", None)
        with self._lock:
            if directory not in self._next:
                self._next[directory], self._written[directory] = _scan(directory)
            if identity in self._written[directory]:
                return
            if pending is not None:  # named at the round's end, once on disk: never a half-written .eml
                pending.append((directory, suffix, _write_temporary(directory, data, sync=False)))
            else:
                self._name(directory, suffix, _write_temporary(directory, data, sync=True))
                _fsync(directory)  # its name too: a crash of the machine cannot lose an email recorded as sent
            self._written[directory].add(identity)

    def _name(self, directory: Path, suffix: str, temp: Path) -> None:
        """Give a written file the outbox's next number (under the lock)."""
        try:
            named = _link_numbered(temp, directory, suffix, self._next[directory])
        finally:
            os.unlink(temp)
        self._next[directory] = int(_NUMBERED.match(named.name).group(1)) + 1

    @contextlib.contextmanager
    def round(self) -> Iterator[None]:
        """Send a round of emails from this thread with one durability point: the emails sent inside the block
        are fsynced and given their names, in order, when it ends (also when it ends by an error, for what
        was sent). Record that the round's emails went after the block. A round inside a round joins it."""
        if getattr(self._round, "pending", None) is not None:
            yield
            return
        self._round.pending = pending = []
        try:
            yield
        finally:
            self._round.pending = None
            self._finish(pending)

    def _finish(self, pending: list[tuple[Path, str, Path]]) -> None:
        try:
            for _, _, temp in pending:
                _fsync(temp)
            with self._lock:
                for directory, suffix, temp in pending:
                    self._name(directory, suffix, temp)
            for directory in dict.fromkeys(directory for directory, _, _ in pending):
                _fsync(directory)
        except BaseException:
            with self._lock:  # what is on disk is read again by the next send
                for directory, _, temp in pending:
                    self._next.pop(directory, None)
                    self._written.pop(directory, None)
                    temp.unlink(missing_ok=True)
            raise


def read_outbox(directory: Path) -> list[EmailMessage]:
    """The ``.eml`` files in an outbox directory, parsed, in the order they were written."""
    files = sorted(Path(directory).glob("*.eml"))
    return [_parse(path.read_bytes()) for path in files]


def _parse(data: bytes) -> EmailMessage:
    parser = email.parser.BytesParser(policy=email.policy.default)
    return parser.parsebytes(data)  # type: ignore[return-value]


def _write_temporary(directory: Path, data: bytes, *, sync: bool) -> Path:
    """``data`` whole in a hidden temporary file (never read as an email); with ``sync``, on disk."""
    fd, temp = tempfile.mkstemp(dir=directory, prefix=_TEMPORARY, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        os.unlink(temp)
        raise
    return Path(temp)


def _link_numbered(temp: Path, directory: Path, suffix: str, number: int) -> Path:
    """Link ``temp`` under the first free number from ``number``; another process may have taken some."""
    while True:
        target = directory / f"{number:04d}{suffix}"
        try:
            os.link(temp, target)
            return target
        except FileExistsError:
            number += 1


def _fsync(path: Path) -> None:
    """Put a file's contents, or a directory's names, on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _scan(directory: Path) -> tuple[int, set[str]]:
    """The next free number in an outbox, and the Message-IDs of the emails in it (headers only are read).

    Temporary files a killed run left (a round's emails are never named before they are all on disk) hold
    people's links: those older than ``_STALE`` are removed; the next run writes those emails again."""
    parse = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes
    files = list(directory.iterdir())
    stale = time.time() - _STALE.total_seconds()
    for path in files:
        if path.name.startswith(_TEMPORARY):
            with contextlib.suppress(FileNotFoundError):  # its writer may have named it meanwhile
                if path.stat().st_mtime < stale:
                    path.unlink()
    numbered = [(int(m.group(1)), p) for p in files if (m := _NUMBERED.match(p.name))]
    written = {str(parse(path.read_bytes())["Message-ID"]) for _, path in numbered}
    return max((n for n, _ in numbered), default=0) + 1, written


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._]+", "-", text.lower()).strip("-.") or "x"
