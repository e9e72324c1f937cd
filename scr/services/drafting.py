"""The review's documents: the factor summary, the terms of reference (draft 0.1 for the board's meeting,
then agreed 1.0 once the board's decisions are recorded) and the QM6 evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scr.domain.decisions import DecisionRecord
from scr.domain.email import EmailAddress
from scr.domain.evidence import Evidence, assess
from scr.domain.model import Event, Response, Review, Role, Stage
from scr.domain.overview import factor_overview
from scr.domain.prefill import DraftContent, draft_content
from scr.domain.rationale import Rationale, build_rationale
from scr.domain.summary import SPLIT_RULE, FactorSummary, consolidate
from scr.ports import document_refs
from scr.rendering import Document, Renderer
from scr.services import messages
from scr.services.backend import Backend
from scr.services.deciding import send_agreed_terms
from scr.services.reviewers import open_reviewer_window

SUMMARY, TOR, EVIDENCE = "factor-summary", "terms-of-reference", "qm6-evidence"
TOR_DRAFT = "terms-of-reference-draft"
DRAFT_VERSION, AGREED_VERSION = "0.1", "1.0"


@dataclass(frozen=True)
class Assembly:
    """Everything the terms of reference and the evidence are drawn from, computed once."""

    review: Review
    summary: FactorSummary
    rationale: Rationale
    evidence: Evidence
    content: DraftContent
    record: DecisionRecord | None


def current_summary(backend: Backend, review_id: str, latest: list[Response] | None = None) -> FactorSummary:
    """Members' input as it stood when the response window closed (late answers only if the board chose).

    ``latest`` is each member's latest response, late or not, when the caller has read it already."""
    store = backend.store
    schedule = store.schedule(review_id)
    at = schedule.closed_at or backend.clock.now()
    include_late = schedule.include_late
    latest = store.latest_responses(review_id, include_late=True) if latest is None else latest
    if not include_late and any(r.late for r in latest):  # each member's latest on time; late-only, as late
        on_time = store.latest_responses(review_id, include_late=False)
        answered = {EmailAddress(r.member_email) for r in on_time}
        latest = on_time + [r for r in latest if EmailAddress(r.member_email) not in answered]
    return consolidate(store.get_review(review_id), backend.member_form, latest, at, include_late=include_late)


def write_factor_summary(backend: Backend, review_id: str) -> list[str]:
    """Consolidate members' input and write the factor summary the lead reviewers will see."""
    review = backend.store.get_review(review_id)
    summary = current_summary(backend, review_id)
    document = backend.renderer.document(
        "factor-summary.md.j2", review=review, vocab=review.vocabulary, summary=summary,
        overview=factor_overview(summary, review), deadline=open_reviewer_window(backend, review_id),
    )
    paths = _write(backend, review_id, SUMMARY, document)
    backend.store.set_stage(review_id, Stage.CONSOLIDATED)  # only once written: a crash before redoes the step
    return paths


def assemble(backend: Backend, review_id: str, with_record: bool = True) -> Assembly:
    """Everything the documents draw on; with ``with_record``, the board's latest decision record too."""
    store = backend.store
    latest = store.latest_responses(review_id, include_late=True)  # read once: the summary and the evidence
    return assembly(
        store.get_review(review_id), backend.member_form, backend.reviewer_form,
        current_summary(backend, review_id, latest), store.reviewer_inputs(review_id),
        store.decision_record(review_id) if with_record else None, store.events(review_id), latest,
        store.response_versions(review_id),
    )  # fmt: skip


def assembly(review, member_form, reviewer_form, summary, inputs, record, events, responses, versions) -> Assembly:
    """The rationale, the evidence and the drafted content, from what the store holds (a pure function)."""
    rationale = build_rationale(summary, member_form, reviewer_form, inputs, record)
    evidence = assess(review, member_form, summary, rationale, events, responses, versions, inputs, reviewer_form,
                      record)
    return Assembly(review, summary, rationale, evidence, draft_content(summary, inputs, reviewer_form), record)


def draft_terms_of_reference(backend: Backend, review_id: str) -> list[str]:
    """Draft the ToR (0.1) for the board's meeting: proposals with their evidence, no verdicts."""
    a = assemble(backend, review_id, with_record=False)
    drafted = backend.clock.now()
    paths = _write(backend, review_id, TOR_DRAFT,
                   render_terms(backend.renderer, a, DRAFT_VERSION, drafted, version_table(drafted)), drafted)
    # "Evidence ready for the decision", from the same assembly: the board has normally recorded nothing yet.
    recorded = backend.store.decision_record(review_id) is not None
    _write_evidence(backend, review_id, assemble(backend, review_id) if recorded else a)
    backend.store.set_stage(review_id, Stage.DRAFTED)
    return paths


def agree_terms_of_reference(backend: Backend, review_id: str) -> list[str]:
    """Write the agreed ToR (1.0) from the board's latest decision record: its reasons, then the evidence."""
    a = assemble(backend, review_id)
    if a.record is None:
        raise AssertionError(f"review {review_id}: no decision record to agree the terms of reference from")
    draft = backend.store.documents(review_id).get(TOR_DRAFT)
    drafted = draft.written_at if draft and draft.written_at else a.record.recorded_at
    document = render_terms(backend.renderer, a, AGREED_VERSION, a.record.recorded_at, version_table(drafted, a.record))
    paths = _write(backend, review_id, TOR, document)
    _write_evidence(backend, review_id, a)
    backend.store.set_stage(review_id, Stage.AGREED)
    return paths


def version_table(drafted: dt.datetime, record: DecisionRecord | None = None) -> list[tuple]:
    """The terms of reference's version table: the draft, and the agreed version once recorded."""
    rows: list[tuple] = [(DRAFT_VERSION, drafted, "Draft for the meeting")]
    if record is not None:
        rows.append((AGREED_VERSION, record.meeting_date,
                     f"Agreed ({record.agreed_by}); decision record version {record.version}"))
    return rows


def render_terms(renderer: Renderer, a: Assembly, version: str, at: dt.datetime, versions: list) -> Document:
    """The terms of reference: the draft (0.x) without a record, the agreed version with one."""
    return renderer.document(
        "terms-of-reference.md.j2", review=a.review, vocab=a.review.vocabulary, summary=a.summary,
        rationale=a.rationale, evidence=a.evidence, content=a.content, drafted_at=at,
        target_date=_six_months_after(a.review.decision_date), version=version, versions=versions,
        split_rule=SPLIT_RULE,
    )


def write_qm6_evidence(backend: Backend, review_id: str) -> list[str]:
    """Write the evidence that the board met quality marker 6's four questions."""
    return _write_evidence(backend, review_id, assemble(backend, review_id))


def _write_evidence(backend: Backend, review_id: str, a: Assembly) -> list[str]:
    document = backend.renderer.document(
        "qm6-evidence.md.j2", review=a.review, vocab=a.review.vocabulary, evidence=a.evidence,
        generated_at=backend.clock.now(),
    )
    return _write(backend, review_id, EVIDENCE, document)


def finish_review(backend: Backend, review_id: str, documents: list[str]) -> None:
    """Share the agreed terms of reference with the members and lead reviewers and tell them, close every
    personal link, and tell the business manager the documents are ready."""
    store = backend.store
    review = store.get_review(review_id)
    manager = review.business_manager
    backend.documents.share(review_id, TOR, [(manager.email, "writer")]
                            + [(r.email, "commenter") for r in review.lead_reviewers]
                            + [(m.email, "reader") for m in review.members],
                            f"The agreed terms of reference for {review.review_id} ({review.child_pseudonym}).")
    backend.documents.share(review_id, EVIDENCE, [(manager.email, "writer")],
                            f"The quality marker 6 evidence for {review.review_id}.")
    send_agreed_terms(backend, review_id, document_refs(store, review_id, TOR))
    backend.forms.close(review)
    for role in Role:
        store.close_tokens(review_id, role)
    if not store.events(review_id, "documents_ready"):
        messages.send(backend, review, "documents-ready", manager.name, manager.email,
                      manager=manager, documents=documents)
        store.record_event(review_id, Event("documents_ready", backend.clock.now(), manager.email))
    store.set_stage(review_id, Stage.COMPLETE)  # last: a crash before it finishes the review again


def _write(backend: Backend, review_id: str, name: str, document: Document,
           at: dt.datetime | None = None) -> list[str]:
    paths = [str(p) for p in backend.documents.write(review_id, name, document)]
    now = backend.clock.now()
    backend.store.set_document(review_id, name, paths, at or now)
    backend.store.record_event(review_id, Event("documents_written", now, None, name))
    return paths


def _six_months_after(day: dt.date) -> dt.date:
    month = day.month + 6
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
