"""The review store, on SQLAlchemy Core (SQLite by default, PostgreSQL by URL): both backends keep reviews in it."""

from scr.store.store import SqlStore

__all__ = ["SqlStore"]
