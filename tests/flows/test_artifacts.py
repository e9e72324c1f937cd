"""What the business manager sees in the Prefect UI stays one set of artifacts per review, updated in place:
repeated advance runs with nothing new write nothing new, and progress reads '1 of 13 answered (8%)'."""

from __future__ import annotations

import re

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from flows.advance_reviews import advance_reviews
from flows.progress import answered_text
from scr.services import steering


def versions(key: str) -> list:
    with get_client(sync_client=True) as client:
        return client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))


def test_runs_with_nothing_new_add_no_artifacts_and_progress_is_updated_in_place(prefect_harness, local_review):
    runtime, backend, review = local_review
    key = review.review_id.lower()

    tables = len(versions(f"{key}-member-status"))  # other tests in this harness may have used the same review id
    for _ in range(3):
        advance_reviews(runtime)

    assert len(versions(f"{key}-member-answers")) == 1
    assert len(versions(f"{key}-member-status")) == tables + 1
    (progress,) = versions(f"{key}-member-answers")
    assert progress.type == "progress" and float(progress.data) == 0
    assert progress.description.startswith(f"0 of {len(review.members)} answered (0%); deadline ")

    member = review.members[0]
    backend.store.save_response(review.review_id, member.email, {}, backend.clock.now(), late=False)
    advance_reviews(runtime)

    (progress,) = versions(f"{key}-member-answers")
    assert progress.description.startswith(f"1 of {len(review.members)} answered (8%)")
    assert float(progress.data) == 8
    assert len(versions(f"{key}-member-status")) == tables + 2, "a new status table only when a status changed"


def test_answered_text_is_a_whole_percentage():
    assert answered_text(9, 13) == "9 of 13 answered (69%)"
    assert answered_text(0, 0) == "0 of 0 answered (0%)"


def test_the_board_overview_lists_every_open_review_by_agency_and_is_rewritten_only_on_change(
        prefect_harness, local_review):
    runtime, backend, review = local_review
    key = re.sub(r"[^a-z0-9]+", "-", review.board_name.lower()).strip("-") + "-overview"

    earlier = len(versions(key))  # other tests in this Prefect harness may have written this board's overview
    advance_reviews(runtime)
    advance_reviews(runtime)

    assert len(versions(key)) == earlier + 1, "one new version, then nothing while nothing changed"
    overview = max(versions(key), key=lambda a: a.created)
    assert f"## {review.review_id} ({review.child_pseudonym}): collecting member input" in overview.data
    assert f"**Members:** 0 of {len(review.members)} answered" in overview.data
    for agency in {m.agency for m in review.members}:
        asked = sum(m.agency == agency for m in review.members)
        assert f"| {agency} | 0 of {asked} |" in overview.data
    assert "**Deadline:**" in overview.data and "next reminder" in overview.data

    steering.cancel(backend, review.review_id, review.business_manager.email)
    advance_reviews(runtime)
    latest = versions(key)
    assert len(latest) == earlier + 2 and "No open reviews." in max(latest, key=lambda a: a.created).data
