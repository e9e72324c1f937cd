"""The commission-review flow: quality marker 6 from invitation to terms of reference.

invite members -> wait for their input (reminding) -> write the factor summary -> send it to the lead
reviewers -> wait for their review -> draft the terms of reference (0.1) and the QM6 evidence -> wait for
the board's recorded decisions -> write the agreed terms of reference (1.0) and the evidence -> send them
to the members and lead reviewers -> finish.
"""


from prefect import State, flow, task
from prefect.states import Cancelled

from flows.progress import MemberProgressBoard, publish_documents, publish_reviewer_progress
from scr.bootstrap import backend_for
from scr.errors import ReviewCancelled
from scr.ports import document_refs
from scr.services import deciding, drafting, members, reviewers, waiting
from scr.settings import Runtime


@task(name="invite-members")
def invite_members(review_id: str, runtime: Runtime) -> int:
    """Send every board member their personal link to the form (once each)."""
    return members.invite_members(backend_for(runtime), review_id)


@task(name="await-members")
def await_members(review_id: str, runtime: Runtime) -> int:
    """Wait for every member's answer or the deadline, reminding those who have not answered."""
    progress = waiting.await_members(
        backend_for(runtime), review_id, runtime.poll_seconds, on_change=MemberProgressBoard(review_id)
    )
    return progress.answered


@task(name="write-factor-summary")
def write_factor_summary(review_id: str, runtime: Runtime) -> list[str]:
    """Consolidate the members' input into the factor summary."""
    return drafting.write_factor_summary(backend_for(runtime), review_id)


@task(name="circulate-summary")
def circulate_summary(review_id: str, runtime: Runtime) -> int:
    """Send the lead reviewers their personal link to the factor summary."""
    return reviewers.circulate_summary(backend_for(runtime), review_id)


@task(name="await-reviewers")
def await_reviewers(review_id: str, runtime: Runtime) -> bool:
    """Wait until every lead reviewer marked their review complete, or their deadline."""
    progress = waiting.await_reviewers(
        backend_for(runtime), review_id, runtime.poll_seconds,
        on_change=lambda p: publish_reviewer_progress(review_id, p),
    )
    return progress.complete


@task(name="draft-terms-of-reference")
def draft_terms_of_reference(review_id: str, runtime: Runtime) -> list[str]:
    """Draft the terms of reference with the rationale for a proportionate approach."""
    return drafting.draft_terms_of_reference(backend_for(runtime), review_id)


@task(name="await-board-decision")
def await_board_decision(review_id: str, runtime: Runtime) -> int:
    """Send the business manager their link to record the board's decisions, and wait until they are recorded."""
    backend = backend_for(runtime)
    deciding.ask_the_board(backend, review_id)
    waiting.await_board(backend, review_id, runtime.poll_seconds)
    return backend.store.decision_versions(review_id)


@task(name="agree-terms-of-reference")
def agree_terms_of_reference(review_id: str, runtime: Runtime) -> list[str]:
    """Write the agreed terms of reference (1.0) and the QM6 evidence from the board's decision record."""
    return drafting.agree_terms_of_reference(backend_for(runtime), review_id)


@task(name="finish-review")
def finish_review(review_id: str, runtime: Runtime, documents: dict[str, list[str]]) -> None:
    """Close the personal links, list the documents in the UI and tell the business manager."""
    publish_documents(review_id, documents)
    drafting.finish_review(backend_for(runtime), review_id, [p for ps in documents.values() for p in ps])


@flow(name="commission-review", log_prints=False)
def commission_review(review_id: str, runtime: Runtime) -> dict[str, list[str]] | State:
    """Commission a review under quality marker 6, from invitations to the agreed terms of reference."""
    try:
        return _commission(review_id, runtime)
    except ReviewCancelled as cancelled:
        return Cancelled(message=str(cancelled))


def _commission(review_id: str, runtime: Runtime) -> dict[str, list[str]]:
    invite_members(review_id, runtime)
    await_members(review_id, runtime)
    documents = {"factor summary": write_factor_summary(review_id, runtime)}
    circulate_summary(review_id, runtime)
    await_reviewers(review_id, runtime)
    documents["terms of reference (draft)"] = draft_terms_of_reference(review_id, runtime)
    await_board_decision(review_id, runtime)
    documents["terms of reference"] = agree_terms_of_reference(review_id, runtime)
    documents["QM6 evidence"] = document_refs(backend_for(runtime).store, review_id, drafting.EVIDENCE)
    finish_review(review_id, runtime, documents)
    return documents
