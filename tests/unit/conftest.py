"""Fixtures for the domain unit tests: the example board's review and the QM6 forms."""

from __future__ import annotations

import pytest

from scr.bootstrap import backend_for
from scr.config import review_from_config
from scr.demo.run import example_config
from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.model import Review
from scr.services.backend import Backend
from scr.settings import Runtime
from tests import samples


@pytest.fixture(scope="session")
def review() -> Review:
    return samples.sample_review()


@pytest.fixture(scope="session")
def form() -> MemberForm:
    return samples.member_form()


@pytest.fixture(scope="session")
def reviewer_form() -> ReviewerForm:
    return samples.reviewer_form()


@pytest.fixture
def started_review(tmp_path):
    """Starts the example board's review (with ``members`` synthetic members, if given) on the embedded backend
    in ``tmp_path``; returns the backend and the review."""

    def start(members: int | None = None) -> tuple[Backend, Review]:
        config = example_config(members)
        runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}",
                                      out_dir=str(tmp_path))
        backend, review = backend_for(runtime), review_from_config(config)
        backend.store.create_review(review, config.deadlines.schedule())
        return backend, review

    return start
