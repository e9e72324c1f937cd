"""The store's tables and engine: portable column types only, so SQLite and PostgreSQL both work."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.pool import StaticPool

_ID = String(64)
_EMAIL = String(320)
_MOMENT = String(40)

metadata = MetaData()
reviews = Table(
    "reviews", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("review", Text, nullable=False),
    Column("deadlines", Text, nullable=False),
    Column("stage", String(64), nullable=False),
    Column("created_at", _MOMENT, nullable=False),
)  # fmt: skip
tokens = Table(
    "tokens", metadata,
    Column("token", String(64), primary_key=True),
    Column("review_id", _ID, nullable=False, index=True),
    Column("email", _EMAIL, nullable=False),
    Column("role", String(16), nullable=False),
    Column("open", Boolean, nullable=False),
)  # fmt: skip
responses = Table(
    "responses", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("email", _EMAIL, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("submitted_at", _MOMENT, nullable=False),
    Column("late", Boolean, nullable=False),
    Column("answers", Text, nullable=False),
    Column("ref", String(200), nullable=True),  # the source's id for this answer (e.g. a Google response)
    UniqueConstraint("review_id", "ref"),
)  # fmt: skip
held_responses = Table(
    "held_responses", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("ref", String(200), primary_key=True),
    Column("email", _EMAIL, nullable=False),
    Column("submitted_at", _MOMENT, nullable=False),
    Column("answers", Text, nullable=False),
)  # fmt: skip
documents = Table(
    "documents", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("refs", Text, nullable=False),  # a JSON list: where the backend wrote it (paths, or Google URLs)
    Column("written_at", _MOMENT, nullable=True),  # unknown for a document kept by an earlier version
)  # fmt: skip
reported_progress = Table(
    "reported_progress", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("what", String(32), primary_key=True),  # "members" or "reviewers"
    Column("digest", String(64), nullable=False),  # a fingerprint of the statuses last reported: no personal data
)  # fmt: skip
leases = Table(
    "leases", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("until", _MOMENT, nullable=False),
)  # fmt: skip
app_secrets = Table(
    "app_secrets", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)  # fmt: skip
google_forms = Table(
    "google_forms", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("begun_at", _MOMENT, nullable=True),  # when publishing began (to find a form whose id was lost)
    Column("created_id", String(200), nullable=True),  # the form Google made, before it was published
    Column("form_id", String(200), nullable=True),  # set once the form is published
    Column("responder_uri", Text, nullable=True),
    Column("questions", Text, nullable=True),  # a JSON object: question id -> [item id, field]
    Column("responses_since", String(40), nullable=True),  # Google's time of the latest submission read
)  # fmt: skip
google_responders = Table(
    "google_responders", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("email", _EMAIL, primary_key=True),
    Column("has_account", Boolean, nullable=True),  # null: asked, and Drive's answer not yet kept
)  # fmt: skip
google_responses_seen = Table(
    "google_responses_seen", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("ref", String(200), primary_key=True),
)  # fmt: skip
google_reviewer_copies = Table(
    "google_reviewer_copies", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("email", _EMAIL, primary_key=True),
    Column("file_id", String(200), nullable=False),
    Column("url", Text, nullable=False),
    Column("account_name", Text, nullable=True),
    Column("comments_since", _MOMENT, nullable=True),
)  # fmt: skip
google_summary_sections = Table(
    "google_summary_sections", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("section_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
)  # fmt: skip
reviewer_comments = Table(
    "reviewer_comments", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("review_id", _ID, nullable=False, index=True),
    Column("email", _EMAIL, nullable=False),
    Column("section_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", _MOMENT, nullable=False),
    Column("ref", String(200), nullable=True),  # the source's id (e.g. a Google Docs comment)
    UniqueConstraint("review_id", "ref"),
)  # fmt: skip
reviewer_proposals = Table(
    "reviewer_proposals", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("email", _EMAIL, primary_key=True),
    Column("proposal_id", String(64), primary_key=True),
    Column("text", Text, nullable=False),
    Column("updated_at", _MOMENT, nullable=False),
)  # fmt: skip
reviewer_status = Table(
    "reviewer_status", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("email", _EMAIL, primary_key=True),
    Column("completed_at", _MOMENT, nullable=False),
)  # fmt: skip
events = Table(
    "events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("review_id", _ID, nullable=False, index=True),
    Column("kind", String(64), nullable=False),
    Column("person_email", _EMAIL, nullable=True),
    Column("at", _MOMENT, nullable=False),
    Column("detail", Text, nullable=False),
)  # fmt: skip

decision_records = Table(
    "decision_records", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("agreed_by", Text, nullable=False),
    Column("meeting_date", String(10), nullable=False),
    Column("recorded_by", _EMAIL, nullable=False),
    Column("recorded_at", _MOMENT, nullable=False),
)  # fmt: skip
board_decisions = Table(
    "board_decisions", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("item_id", String(16), primary_key=True),
    Column("chosen", Text, nullable=False),  # a JSON list of option values
    Column("text", Text, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("weighed_most", Text, nullable=False),  # a JSON list of factor ids
)  # fmt: skip
proposals_taken = Table(
    "proposals_taken", metadata,
    Column("review_id", _ID, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("item_id", String(16), primary_key=True),
    Column("reviewer_email", _EMAIL, primary_key=True),
    Column("proposal_id", String(64), primary_key=True),
    Column("taken", String(16), nullable=False),
    Column("reason", Text, nullable=False),
)  # fmt: skip


# The key of the PostgreSQL advisory lock that every write transaction of the store takes.
_WRITE_LOCK = 0x5C2_0001


def make_engine(url: str):
    if not url.startswith("sqlite"):
        engine = create_engine(url, hide_parameters=True, pool_pre_ping=True)
        if engine.dialect.name == "postgresql":

            @event.listens_for(engine, "begin")
            def _one_writer(conn):  # as BEGIN IMMEDIATE on SQLite: a write checks, then adds, alone
                if conn.get_execution_options().get("scr_write"):
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")

        return engine
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={"check_same_thread": False, "timeout": 30},
        **({"poolclass": StaticPool} if in_memory else {}),
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("scr_write") else "BEGIN")

    return engine
