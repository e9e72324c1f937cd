"""What the business manager sees in the Prefect UI: progress, status by member, the documents.

Artifacts carry names, agencies, counts and times only, never answer text or personal links.
"""

from __future__ import annotations

from uuid import UUID

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from scr.rendering.environment import when
from scr.services.members import MemberProgress
from scr.services.reviewers import ReviewerProgress


def _key(review_id: str, what: str) -> str:
    return f"{review_id.lower()}-{what}"


class MemberProgressBoard:
    """Keeps one progress artifact up to date and versions the status table as answers arrive."""

    def __init__(self, review_id: str):
        self.review_id = review_id
        self._progress_id: UUID | None = None

    def __call__(self, progress: MemberProgress) -> None:
        percent = 100.0 * progress.answered / max(progress.invited, 1)
        text = f"{progress.answered} of {progress.invited} members answered; deadline {when(progress.deadline)}"
        if self._progress_id is None:
            self._progress_id = create_progress_artifact(
                percent, key=_key(self.review_id, "member-answers"), description=text
            )
        else:
            update_progress_artifact(self._progress_id, percent, description=text)
        create_table_artifact(
            [
                {"member": m.name, "agency": m.agency, "status": m.status,
                 "answered": when(m.answered_at, empty="")}
                for m in progress.members
            ],
            key=_key(self.review_id, "member-status"),
            description=f"Status by member and agency for {self.review_id} (no answer text).",
        )


def publish_reviewer_progress(review_id: str, progress: ReviewerProgress) -> None:
    create_table_artifact(
        [
            {"lead reviewer": r.name, "comments": r.comments, "proposals": r.proposals,
             "complete": when(r.completed_at, empty="not yet")}
            for r in progress.reviewers
        ],
        key=_key(review_id, "reviewer-status"),
        description=f"Lead reviewers' progress on the factor summary for {review_id}.",
    )


def publish_documents(review_id: str, documents: dict[str, list[str]]) -> None:
    lines = [f"# Documents for {review_id}", ""]
    for name, paths in documents.items():
        lines.append(f"- **{name}**: " + ", ".join(f"`{p}`" for p in paths))
    create_markdown_artifact("\n".join(lines), key=_key(review_id, "documents"),
                             description=f"Where the documents of {review_id} are.")
