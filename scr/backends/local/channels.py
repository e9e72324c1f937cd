"""The local web app as the place members answer and reviewers comment: personal links to its pages.

Answers and comments go straight from the web app into the store, so there is nothing to collect.
"""

from __future__ import annotations

from collections.abc import Sequence

from scr.domain.model import LeadReviewer, Member, Review, Role
from scr.domain.schedule import Schedule
from scr.ports import ReviewStore


class LocalForms:
    """Each member's invitation carries a link with a token that is theirs alone."""

    personal_links = True
    fetches = False  # answers go from the web app straight into the store: nothing to fetch at a check

    def __init__(self, store: ReviewStore, base_url: str):
        self.store, self.base_url = store, base_url.rstrip("/")

    def open(self, review: Review) -> None:
        """The web app serves every review in the store; nothing to publish."""

    def link_for(self, review: Review, member: Member) -> str:
        return f"{self.base_url}/f/{self.store.issue_token(review.review_id, member.email, Role.MEMBER)}"

    def links_for(self, review: Review, members: Sequence[Member]) -> list[str]:
        """Every member's link, their tokens issued in one transaction."""
        tokens = self.store.issue_tokens(review.review_id, [m.email for m in members], Role.MEMBER)
        return [f"{self.base_url}/f/{tokens[m.email]}" for m in members]

    def collect(self, review: Review, schedule: Schedule, full: bool = False) -> int:
        return 0

    def has_new(self, review: Review) -> bool:
        return False

    def close(self, review: Review) -> None:
        """Members' links stay open for late answers until the review is complete."""


class LocalReviewerPages:
    """Each lead reviewer's message carries a link to their own page on the factor summary."""

    personal_links = True
    fetches = False  # comments and completions go from the web app straight into the store

    def __init__(self, store: ReviewStore, base_url: str):
        self.store, self.base_url = store, base_url.rstrip("/")

    def link_for(self, review: Review, reviewer: LeadReviewer, summary: Sequence[str]) -> str:
        return f"{self.base_url}/r/{self.store.issue_token(review.review_id, reviewer.email, Role.REVIEWER)}"

    def collect(self, review: Review) -> int:
        return 0

    def has_new(self, review: Review) -> bool:
        return False
