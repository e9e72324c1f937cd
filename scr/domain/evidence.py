"""Evidence that the board met quality marker 6's four self-assessment questions.

Shapes only here; ``assess`` builds them from the review, its events, the summary, the rationale and
the reviewers' input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

QUESTIONS = (
    "Are LSCB members given the opportunity to input any information they think relevant to agreeing a "
    "proportionate approach for the review?",
    "Are the lead reviewers able to properly influence the scope, nature and approach of the SCR?",
    "Have the full range of factors related to both the case and context been considered in "
    "decision-making about what exactly is being commissioned?",
    "Does the scoping document or terms of reference for the SCR explain the rationale for decisions "
    "about proportionality that have been reached by referring to factors related both to the case and "
    "context?",
)


@dataclass(frozen=True)
class MemberRecord:
    """Who was asked, when, and whether and when they answered (no answer text)."""

    name: str
    agency: str
    role: str
    invited_at: dt.datetime | None
    reminded_at: tuple[dt.datetime, ...]
    answered_at: dt.datetime | None
    versions: int
    late: bool


@dataclass(frozen=True)
class ReviewerRecord:
    name: str
    sent_summary_at: dt.datetime | None
    comments: int
    proposals: tuple[str, ...]  # proposal labels
    completed_at: dt.datetime | None


@dataclass(frozen=True)
class QuestionEvidence:
    number: int
    question: str  # the marker's words
    verdict: str  # "Yes" | "Partly" | "No"
    points: tuple[str, ...]  # evidence sentences, no answer text


@dataclass(frozen=True)
class Evidence:
    review_id: str
    questions: tuple[QuestionEvidence, ...]
    members: tuple[MemberRecord, ...]
    reviewers: tuple[ReviewerRecord, ...]
    factors_with_input: tuple[str, ...]  # "B1 types of strengths ..."
    factors_without_input: tuple[str, ...]
    decisions: tuple[tuple[str, str], ...]  # steering decisions: (when and who, what), in order
