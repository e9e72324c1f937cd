"""The advance-reviews flow: the scheduled run that takes every open review as far as it can go now.

Run it on a schedule (the advance-reviews deployment in prefect.yaml or `scr serve`, or cron with
`scr advance`). It looks at every open review once; each review with a step due gets its own advance-review
run, named and tagged with the review (see flows/advance_review.py); a review waiting for people gets none.
Then it updates the board overview artifact. No process, thread or worker slot is held while a review waits.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows.advance_review import run_review
from flows.progress import publish_board_overview
from scr.bootstrap import backend_for
from scr.domain.model import Stage
from scr.services import advancing
from scr.services.overview import board_overview, standings
from scr.settings import Runtime


@task(name="find-reviews-with-steps-due")
def find_due(runtime: Runtime) -> list[str]:
    """The open reviews with a step due now, oldest first."""
    return advancing.due_reviews(backend_for(runtime))


@flow(name="advance-reviews", log_prints=False)
def advance_reviews(runtime: Runtime) -> dict[str, str]:
    """Advance every open review with a step due; one review's failure does not hold up the others.

    Returns the stage each advanced review rests at, or why it was not advanced this time. (``runtime`` is
    required: with an optional one, the Prefect UI's Quick run dialog does not open.)"""
    logger = get_run_logger()

    def advance_one(review_id: str) -> str:
        state = run_review(review_id, runtime, return_state=True)
        if state.is_cancelled():
            return str(Stage.CANCELLED)
        return str(state.result()) if state.is_completed() else f"{advancing.NOT_ADVANCED}: {state.name}"

    stages = advancing.advance_due(backend_for(runtime), advance_one, due=find_due(runtime))
    logger.info("%d review(s) advanced; %d not advanced this time", len(stages),
                sum(v.startswith(advancing.NOT_ADVANCED) for v in stages.values()))
    publish_overview(runtime)
    return stages


@flow(name="advance-reviews", log_prints=False)
def advance_board_reviews(board_config: str) -> dict[str, str]:
    """The same run, for a deployment on a work pool (prefect.yaml): the board is named by the path of its
    configuration file on the worker's machine, and read there."""
    return advance_reviews.fn(Runtime.from_board_config(board_config))


@task(name="publish-board-overview")
def publish_overview(runtime: Runtime) -> None:
    """Every open review of each board, in one artifact per board: stages, counts by agency, deadlines (read at
    once, however many reviews there are)."""
    backend = backend_for(runtime)
    every = backend.store.reviews(backend.store.review_ids()).values()
    boards: dict[str, list] = {review.board_name: [] for review in every}  # a board with none open shows none
    for standing in standings(backend):
        boards.setdefault(standing.board_name, []).append(standing)
    for board_name, board in boards.items():
        publish_board_overview(board_name, board_overview(board))
