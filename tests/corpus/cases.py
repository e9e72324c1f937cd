"""What every corpus case carries: its class of input, what it is, and the outcome the product must give.

Each test module keeps its cases in a module-level ``CASES`` table and parametrizes over it; the report
(``python -m tests.corpus.report``) counts the same tables, so the numbers it prints are the tests run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

# Classes of bad input.
CONFIGS = "board configs"
FORM_POSTS = "form posts"
CSV = "CSV imports"
GOOGLE = "Google answers"
CLASSES = (CONFIGS, FORM_POSTS, CSV, GOOGLE)

# Outcomes: never a crash, a traceback or a silent loss.
REFUSED = "refused with a clear message"
HELD_APART = "held apart and reported"
REPORTED = "kept, the problem reported"
VERBATIM = "kept verbatim"
VERSIONS = "kept as versions, nothing doubled"
IGNORED = "not part of the form: ignored, the rest kept"
NOTHING = "nothing to take in, and said so"
OUTCOMES = (REFUSED, HELD_APART, REPORTED, VERBATIM, VERSIONS, IGNORED, NOTHING)

# Answer text planted in cases: it must never appear in a message, a log line or an event.
SECRET = "Mother's partner K hit the child"


@dataclass(frozen=True)
class Case:
    """One bad input: ``id`` names it in test output, ``data`` is whatever its test needs to build it."""

    id: str
    kind: str  # one of CLASSES
    outcome: str  # one of OUTCOMES
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in CLASSES or self.outcome not in OUTCOMES:
            raise ValueError(f"case {self.id}: unknown class {self.kind!r} or outcome {self.outcome!r}")


def params(cases: Iterable[Case]) -> list:
    """``pytest.param`` for each case, with its id readable in test output."""
    return [pytest.param(case, id=case.id) for case in cases]


def unique(*tables: list[Case]) -> list[Case]:
    """The tables joined, checking that no id is used twice."""
    joined = [case for table in tables for case in table]
    ids = [case.id for case in joined]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"case ids used twice: {duplicates}")
    return joined
