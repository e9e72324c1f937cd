"""Fixtures for the domain unit tests: the example board's review and the QM6 forms."""

from __future__ import annotations

import pytest

from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.model import Review
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
