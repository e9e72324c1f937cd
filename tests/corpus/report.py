"""How many bad-input cases the corpus holds, by class of input and by outcome.

    .venv/bin/python -m tests.corpus.report

The counts come from the same ``CASES`` tables the corpus tests parametrize over.
"""

from __future__ import annotations

import importlib
import warnings
from collections import Counter

from tests.corpus.cases import CLASSES, OUTCOMES, Case

MODULES = (
    "tests.corpus.test_bad_configs",
    "tests.corpus.test_bad_form_posts",
    "tests.corpus.test_bad_csv_imports",
    "tests.corpus.test_odd_google_answers",
)


def all_cases() -> list[Case]:
    with warnings.catch_warnings():  # starlette's TestClient, imported by the form-post cases, warns about httpx
        warnings.simplefilter("ignore")
        return [case for name in MODULES for case in importlib.import_module(name).CASES]


def report(cases: list[Case]) -> str:
    by_class = Counter(case.kind for case in cases)
    by_outcome = Counter(case.outcome for case in cases)
    both = Counter((case.kind, case.outcome) for case in cases)
    width = max(len(text) for text in (*CLASSES, *OUTCOMES))
    lines = [f"Bad-input corpus: {len(cases)} cases", "", "By class of input:"]
    lines += [f"  {kind:<{width}}  {by_class[kind]:>3}" for kind in CLASSES]
    lines += ["", "By outcome:"]
    lines += [f"  {outcome:<{width}}  {by_outcome[outcome]:>3}" for outcome in OUTCOMES if by_outcome[outcome]]
    lines += ["", "By class and outcome:"]
    for kind in CLASSES:
        lines.append(f"  {kind}:")
        lines += [f"    {outcome:<{width}}  {both[kind, outcome]:>3}" for outcome in OUTCOMES if both[kind, outcome]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(all_cases()))
