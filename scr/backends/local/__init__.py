"""The embedded local backend: an SQL store, an .eml outbox, local documents and the local web app."""

from scr.backends.local.outbox import OutboxMailer, read_outbox
from scr.store import SqlStore

__all__ = ["OutboxMailer", "SqlStore", "read_outbox"]
