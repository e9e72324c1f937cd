"""The board's decision records in the store: every version kept, in typed tables, the latest counts."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from scr.domain.decisions import BoardDecision, DecisionRecord, ProposalTaken, Taken
from scr.store.codec import moment, parse_moment
from scr.store.tables import board_decisions, decision_records, proposals_taken


class DecisionRecords:
    """Mixed into ``SqlStore``: uses its ``_reading`` and ``_writing`` transactions."""

    def save_decision_record(self, record: DecisionRecord) -> int:
        """Keep the record as the review's next version (nothing earlier is changed); returns its version."""
        review_id = record.review_id

        def write(conn) -> int:
            mine = decision_records.c.review_id == review_id
            version = (conn.scalar(select(func.max(decision_records.c.version)).where(mine)) or 0) + 1
            conn.execute(decision_records.insert().values(
                review_id=review_id, version=version, agreed_by=record.agreed_by,
                meeting_date=record.meeting_date.isoformat(), recorded_by=record.recorded_by,
                recorded_at=moment(record.recorded_at),
            ))  # fmt: skip
            for d in record.decisions:
                conn.execute(board_decisions.insert().values(
                    review_id=review_id, version=version, item_id=d.item_id, chosen=json.dumps(d.chosen),
                    text=d.text, reasons=d.reasons, weighed_most=json.dumps(d.weighed_most),
                ))  # fmt: skip
                for p in d.proposals:
                    conn.execute(proposals_taken.insert().values(
                        review_id=review_id, version=version, item_id=d.item_id, reviewer_email=p.reviewer_email,
                        proposal_id=p.proposal_id, taken=p.taken.value, reason=p.reason,
                    ))  # fmt: skip
            return version

        return self._next_version(f"record the board's decisions for review {review_id}", write)

    def decision_record(self, review_id: str, version: int | None = None) -> DecisionRecord | None:
        """The latest version of the board's decision record (or the one asked for); None if none was recorded."""
        with self._reading(f"read the board's decisions for review {review_id}") as conn:
            mine = decision_records.c.review_id == review_id
            if version is None:
                version = conn.scalar(select(func.max(decision_records.c.version)).where(mine))
            head = conn.execute(select(decision_records).where(mine, decision_records.c.version == version)).first()
            if head is None:
                return None
            rows = conn.execute(select(board_decisions).where(
                board_decisions.c.review_id == review_id, board_decisions.c.version == version,
            ).order_by(board_decisions.c.item_id)).all()  # fmt: skip
            taken = conn.execute(select(proposals_taken).where(
                proposals_taken.c.review_id == review_id, proposals_taken.c.version == version,
            ).order_by(proposals_taken.c.proposal_id, proposals_taken.c.reviewer_email)).all()  # fmt: skip
        decisions = tuple(
            BoardDecision(
                item_id=r.item_id, chosen=tuple(json.loads(r.chosen)), text=r.text, reasons=r.reasons,
                weighed_most=tuple(json.loads(r.weighed_most)),
                proposals=tuple(ProposalTaken(t.reviewer_email, t.proposal_id, Taken(t.taken), t.reason)
                                for t in taken if t.item_id == r.item_id),
            )
            for r in rows
        )
        return DecisionRecord(
            review_id=review_id, decisions=decisions, agreed_by=head.agreed_by,
            meeting_date=dt.date.fromisoformat(head.meeting_date), recorded_by=head.recorded_by,
            recorded_at=parse_moment(head.recorded_at), version=head.version,
        )

    def decision_versions(self, review_id: str) -> int:
        """How many versions of the board's decision record are kept."""
        with self._reading(f"read the board's decisions for review {review_id}") as conn:
            mine = decision_records.c.review_id == review_id
            return conn.scalar(select(func.count()).select_from(decision_records).where(mine)) or 0
