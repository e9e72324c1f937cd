"""What the business manager sees in the Prefect UI: progress, status by member, the documents.

Artifacts carry names, agencies, counts and times only, never answer text or personal links.
"""

from __future__ import annotations

import json
import re

from prefect.artifacts import (
    Artifact,
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


def answered_text(answered: int, invited: int) -> str:
    """'9 of 13 answered (69%)': what the business manager reads, a whole percentage."""
    return f"{answered} of {invited} answered ({round(100 * answered / max(invited, 1))}%)"


class MemberProgressBoard:
    """Keeps the review's progress artifact and status table up to date, one of each per review, whichever
    run (the in-process wait or a scheduled advance) sees a change; nothing new is written when nothing changed."""

    def __init__(self, review_id: str):
        self.review_id = review_id

    def __call__(self, progress: MemberProgress) -> None:
        percent = round(100 * progress.answered / max(progress.invited, 1))
        text = f"{answered_text(progress.answered, progress.invited)}; deadline {when(progress.deadline)}"
        publish_progress(_key(self.review_id, "member-answers"), percent, text)
        publish_table(
            _key(self.review_id, "member-status"),
            [{"member": m.name, "agency": m.agency, "status": m.status, "answered": when(m.answered_at, empty="")}
             for m in progress.members],
            f"Status by member and agency for {self.review_id} (no answer text).",
        )


def publish_reviewer_progress(review_id: str, progress: ReviewerProgress) -> None:
    publish_table(
        _key(review_id, "reviewer-status"),
        [{"lead reviewer": r.name, "comments": r.comments, "proposals": r.proposals,
          "complete": when(r.completed_at, empty="not yet")} for r in progress.reviewers],
        f"Lead reviewers' progress on the factor summary for {review_id}.",
    )


def publish_progress(key: str, percent: int, description: str) -> None:
    """Update the key's progress artifact in place (created once per review); skip an unchanged one."""
    latest = Artifact.get(key)
    if latest is None or latest.type != "progress":
        create_progress_artifact(percent, key=key, description=description)
    elif float(latest.data) != percent or latest.description != description:
        update_progress_artifact(latest.id, percent, description=description)


def publish_table(key: str, rows: list[dict], description: str) -> None:
    """A new version of the key's table only when its rows changed."""
    latest = Artifact.get(key)
    if latest is not None and latest.type == "table" and _rows(latest.data) == rows:
        return
    create_table_artifact(rows, key=key, description=description)


def publish_board_overview(board_name: str, markdown: str) -> None:
    """One markdown artifact per board (key '<board>-overview'), written again only when it changed."""
    key = re.sub(r"[^a-z0-9]+", "-", board_name.lower()).strip("-")[:60] + "-overview"
    latest = Artifact.get(key)
    if latest is None or latest.data != markdown:
        create_markdown_artifact(markdown, key=key, description=f"Every open review of {board_name}.")


def _rows(data) -> list[dict]:
    return json.loads(data) if isinstance(data, str) else data


def publish_documents(review_id: str, documents: dict[str, list[str]]) -> None:
    lines = [f"# Documents for {review_id}", ""]
    for name, paths in documents.items():
        lines.append(f"- **{name}**: " + ", ".join(f"`{p}`" for p in paths))
    create_markdown_artifact("\n".join(lines), key=_key(review_id, "documents"),
                             description=f"Where the documents of {review_id} are.")
