"""The advance-reviews flow: one short run takes every open review as far as it can go now.

Run it on a schedule (a Prefect deployment's interval, or cron with `scr advance`): no process, thread
or worker slot is held while a review waits for people.
"""


from prefect import flow, task

from flows.progress import (
    MemberProgressBoard,
    publish_board_overview,
    publish_documents,
    publish_reviewer_progress,
)
from scr.bootstrap import backend_for
from scr.domain.model import Stage
from scr.ports import document_refs
from scr.services import advancing, drafting
from scr.services.overview import board_overview, standing
from scr.settings import Runtime


@task(name="advance-review")
def advance_review(review_id: str, runtime: Runtime) -> str:
    """Do what is due for one review now; return the stage it rests at."""
    backend = backend_for(runtime)
    before = backend.store.stage(review_id)
    stage = advancing.advance(backend, review_id, on_members=MemberProgressBoard(review_id),
                              on_reviewers=lambda p: publish_reviewer_progress(review_id, p))
    if stage is Stage.COMPLETE and before is not Stage.COMPLETE:
        names = {"factor summary": drafting.SUMMARY, "terms of reference (draft)": drafting.TOR_DRAFT,
                 "terms of reference": drafting.TOR, "QM6 evidence": drafting.EVIDENCE}
        publish_documents(review_id, {label: document_refs(backend.store, review_id, name)
                                      for label, name in names.items()})
    return stage.value


@flow(name="advance-reviews", log_prints=False)
def advance_reviews(runtime: Runtime | None = None, board_config: str | None = None) -> dict[str, str]:
    """Advance every open review in the store once; one review's failure does not hold up the others."""
    runtime = Runtime.given(runtime, board_config)
    stages = {}
    for review_id in advancing.open_reviews(backend_for(runtime)):
        state = advance_review(review_id, runtime, return_state=True)
        stages[review_id] = state.result() if state.is_completed() else f"not advanced this time: {state.name}"
    publish_overview(runtime)
    return stages


@task(name="publish-board-overview")
def publish_overview(runtime: Runtime) -> None:
    """Every open review of each board, in one artifact per board: stages, counts by agency, deadlines."""
    backend = backend_for(runtime)
    open_ids = set(advancing.open_reviews(backend))
    boards: dict[str, list] = {}
    for review_id in backend.store.review_ids():  # a board whose last review finished shows none open
        board = boards.setdefault(backend.store.get_review(review_id).board_name, [])
        if review_id in open_ids:
            board.append(standing(backend, review_id))
    for board_name, standings in boards.items():
        publish_board_overview(board_name, board_overview(standings))
