"""The product's errors.

Every error the product raises on purpose derives from ``ScrError``::

    ScrError
    ├── Problems             something given has problems to fix, each named by field
    │   ├── ConfigError      a board configuration or form definition is wrong (names file and field)
    │   └── DecisionRecordRefused (scr.domain.decisions) the board's decision record is refused
    ├── ReviewNotFound       no review with that id in the store
    ├── ReviewExists         a review with that id was already started
    ├── ReviewCancelled      the business manager cancelled the review while it waited
    ├── TemplateError        a template asked for a value the context does not have
    └── StoreError           the store could not be read or written

Messages say what failed, for which review, member or file, and what to do. They never carry
answer text, comments, tokens or credentials.
"""

from __future__ import annotations


class ScrError(Exception):
    """Base class for every error the product raises on purpose."""


class Problems(ScrError):
    """Something given has problems to fix: ``problems`` are (field, what to fix), never typed text."""

    def __init__(self, heading: str, problems: list[tuple[str, str]]):
        self.problems = problems
        lines = [f"{heading}: {len(problems)} problem(s) to fix:"]
        lines += [f"  - {field}: {problem}" for field, problem in problems]
        super().__init__("\n".join(lines))


class ConfigError(Problems):
    """A configuration or form-definition file is wrong."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        super().__init__(source, problems)


class ReviewNotFound(ScrError):
    def __init__(self, review_id: str):
        super().__init__(
            f"No review '{review_id}' in the store. List the reviews with `scr status CONFIG --all`, "
            "or start it with `scr start CONFIG`."
        )
        self.review_id = review_id


class ReviewExists(ScrError):
    def __init__(self, review_id: str):
        super().__init__(
            f"Review '{review_id}' was already started. Follow it with `scr status CONFIG --review {review_id}`, "
            "or give the new review a different case.review_id in the board configuration."
        )
        self.review_id = review_id


class ReviewCancelled(ScrError):
    def __init__(self, review_id: str):
        super().__init__(f"Review '{review_id}' was cancelled by the business manager; nothing more is sent.")
        self.review_id = review_id


class TemplateError(ScrError):
    """A template asked for a value its context does not have."""


class StoreError(ScrError):
    """The store could not be read or written."""
