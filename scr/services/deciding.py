"""The board's decision step: ask the chair or business manager for the board's decisions, record them (from
the web page, the command line or the Prefect UI), and, once recorded, send the agreed terms of reference to
the members and the lead reviewers."""

from __future__ import annotations

from scr.domain.decisions import DecisionRecord, DecisionRecordRefused, check_record
from scr.domain.model import Event, Role, Stage
from scr.ports import document_refs
from scr.services import messages
from scr.services.backend import Backend

RECORDABLE = (Stage.DRAFTED,)


def record_decisions(backend: Backend, review_id: str, record: DecisionRecord) -> int:
    """Check the board's decision record and keep it as a new version; returns the version.

    Refused (``DecisionRecordRefused``, naming what to fix) when a decision is missing, an option is not one
    the form offers, a lead reviewer's proposal is unanswered, the review was cancelled, or the review is
    not waiting for the board. Nothing earlier is overwritten.
    """
    store = backend.store
    review = store.get_review(review_id)
    schedule = store.schedule(review_id)
    check_record(record, backend.member_form, backend.reviewer_form, store.reviewer_inputs(review_id),
                 review.agencies, cancelled=schedule.cancelled)
    stage = store.stage(review_id)
    if stage not in RECORDABLE:
        raise DecisionRecordRefused(review_id, [("(review)", _not_waiting(stage))])
    version = store.save_decision_record(record)
    detail = f"recorded the board's decisions on A1-A5 (version {version}, meeting {record.meeting_date:%d %B %Y})"
    store.record_event(review_id, Event("board_decided", backend.clock.now(), record.recorded_by, detail))
    return version


def _not_waiting(stage: Stage) -> str:
    if stage in (Stage.AGREED, Stage.COMPLETE):
        return ("the terms of reference were already agreed from an earlier record; the review is "
                f"{stage}, so start a new review to commission differently")
    return (f"the review is at stage '{stage}': the board records its decisions once the draft terms of "
            "reference are written, after the lead reviewers")


def board_decided(backend: Backend, review_id: str) -> bool:
    """Whether the board's decisions are recorded (the latest record is complete: records are checked)."""
    return backend.store.decision_versions(review_id) > 0


def ask_the_board(backend: Backend, review_id: str) -> None:
    """Send the business manager the draft and their personal link to record the board's decisions, once."""
    store = backend.store
    if store.events(review_id, "board_asked"):
        return
    review = store.get_review(review_id)
    manager = review.business_manager
    link = ""
    if backend.web_url:  # on Google there is no local web app: `scr decide` records the decisions
        link = f"{backend.web_url}/b/{store.issue_token(review_id, manager.email, Role.MANAGER)}"
    draft = document_refs(store, review_id, "terms-of-reference-draft")
    messages.send_link(backend, review, "board-decision", manager, link, event="board_asked",
                       manager=manager, documents=draft)


def send_agreed_terms(backend: Backend, review_id: str, documents: list[str]) -> int:
    """Tell every member and lead reviewer the board agreed the terms of reference, once each."""
    store = backend.store
    review = store.get_review(review_id)
    record = store.decision_record(review_id)
    sent = {e.person_email for e in store.events(review_id, "terms_agreed_sent")}
    people = [p for p in (*review.members, *review.lead_reviewers) if p.address not in sent]
    messages.send_links(backend, review, "terms-agreed", people, None, event="terms_agreed_sent",
                        person_as="person", record=record, documents=documents)  # one round, as invitations
    return len(people)
