"""The lead reviewers' input in the store: their comments, proposals and completion, in typed tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from scr.domain.email import EmailAddress
from scr.domain.model import ReviewerComment, ReviewerInput
from scr.store.codec import moment, parse_moment
from scr.store.tables import reviewer_comments, reviewer_proposals, reviewer_status


class ReviewerInputs:
    """Mixed into ``SqlStore``: uses its ``_reading`` and ``_writing`` transactions."""

    def add_reviewer_comment(self, review_id: str, comment: ReviewerComment) -> bool:
        """Keep a reviewer's comment; one whose ``ref`` is already kept is not added again (returns False)."""
        with self._writing(f"save a reviewer comment for review {review_id}") as conn:
            if comment.ref:
                known = select(reviewer_comments.c.seq).where(
                    (reviewer_comments.c.review_id == review_id) & (reviewer_comments.c.ref == comment.ref))
                if conn.scalar(known) is not None:
                    return False
            conn.execute(reviewer_comments.insert().values(
                review_id=review_id, email=comment.reviewer_email, section_id=comment.section_id,
                text=comment.text, created_at=moment(comment.created_at), ref=comment.ref or None,
            ))  # fmt: skip
            return True

    def set_proposal(self, review_id: str, email: str, proposal_id: str, text: str, at: dt.datetime) -> None:
        key = (
            (reviewer_proposals.c.review_id == review_id)
            & (reviewer_proposals.c.email == email)
            & (reviewer_proposals.c.proposal_id == proposal_id)
        )
        with self._writing(f"save a reviewer proposal for review {review_id}") as conn:
            conn.execute(reviewer_proposals.delete().where(key))
            conn.execute(reviewer_proposals.insert().values(
                review_id=review_id, email=email, proposal_id=proposal_id, text=text, updated_at=moment(at)
            ))  # fmt: skip

    def mark_reviewer_complete(self, review_id: str, email: str, at: dt.datetime) -> None:
        """Record when a reviewer finished; marking again keeps the first moment."""
        key = (reviewer_status.c.review_id == review_id) & (reviewer_status.c.email == email)
        with self._writing(f"mark a reviewer complete for review {review_id}") as conn:
            if conn.scalar(select(func.count()).select_from(reviewer_status).where(key)) == 0:
                conn.execute(reviewer_status.insert().values(review_id=review_id, email=email,
                                                             completed_at=moment(at)))  # fmt: skip

    def reviewer_inputs(self, review_id: str) -> list[ReviewerInput]:
        """One entry per lead reviewer of the review, in the configured order."""
        review = self.get_review(review_id)
        with self._reading(f"read reviewer input for review {review_id}") as conn:
            comments = conn.execute(
                select(reviewer_comments).where(reviewer_comments.c.review_id == review_id)
                .order_by(reviewer_comments.c.seq)
            ).all()  # fmt: skip
            proposals = conn.execute(
                select(reviewer_proposals).where(reviewer_proposals.c.review_id == review_id)
            ).all()
            done = conn.execute(select(reviewer_status).where(reviewer_status.c.review_id == review_id)).all()
        inputs = []
        for reviewer in review.lead_reviewers:
            email = reviewer.address
            inputs.append(ReviewerInput(
                reviewer=reviewer,
                comments=tuple(
                    ReviewerComment(reviewer_email=EmailAddress(c.email), section_id=c.section_id, text=c.text,
                                    created_at=parse_moment(c.created_at))
                    for c in comments if EmailAddress(c.email) == email
                ),
                proposals={p.proposal_id: p.text for p in proposals if EmailAddress(p.email) == email},
                completed_at=next((parse_moment(d.completed_at) for d in done if EmailAddress(d.email) == email), None),
            ))  # fmt: skip
        return inputs

    # evidence
