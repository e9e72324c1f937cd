"""The SQL review store's tests run on an SQLite file and on PostgreSQL: every test that takes ``store`` or
``store_url`` runs on both. The PostgreSQL runs need ``SCR_TEST_POSTGRES_URL``, which ``make test`` sets after
starting a throwaway cluster (scripts/postgres.sh); without it they fail rather than skip, so a run without
PostgreSQL never looks green."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url
from sqlalchemy.schema import CreateSchema, DropSchema

from scr.domain.model import Review
from scr.store.store import SqlStore
from tests.store_support import POSTGRES_URL, SCHEDULE, example_review


@pytest.fixture
def review() -> Review:
    """The example board's review, named a partnership's (a fresh one for each test)."""
    return example_review()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL)
    if not url:
        pytest.fail(f"{POSTGRES_URL} is not set, so the store cannot be tested on PostgreSQL: run `make test`, "
                    "which starts a throwaway PostgreSQL (scripts/postgres.sh) and sets it.", pytrace=False)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty store: an SQLite file in a fresh folder, or a fresh schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'data' / 'scr.sqlite3').resolve()}"
        return
    server = make_url(request.getfixturevalue("postgres_url"))
    schema = f"scr_test_{secrets.token_hex(6)}"
    admin = create_engine(server)
    with admin.begin() as conn:
        conn.execute(CreateSchema(schema))
    try:
        yield server.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture
def open_store(store_url: str) -> Iterator[Callable[[], SqlStore]]:
    """Opens stores on the same database (as the web app and the flow do); closes them all afterwards."""
    opened: list[SqlStore] = []

    def open_one() -> SqlStore:
        opened.append(SqlStore(store_url))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], SqlStore], review: Review) -> SqlStore:
    store = open_store()
    store.create_review(review, SCHEDULE)
    return store
