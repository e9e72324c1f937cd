"""The whole commissioning workflow on the embedded backend, under a Prefect test harness."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import docx

from scr.config import review_from_config
from scr.demo.answers import DECISION_TEXT, FACTOR_COMMENTS, REVIEWER_COMMENTS
from scr.demo.run import example_config
from tests.flows.processes import review_runs, wait_for

REVIEW = review_from_config(example_config())
SILENT, AFTER_REMINDER, REVISER = REVIEW.members[10], REVIEW.members[9], REVIEW.members[2]
ANSWER_TEXTS = [text for texts in (*FACTOR_COMMENTS.values(), *DECISION_TEXT.values()) for text in texts]
REVIEWER_TEXTS = [text for comments in REVIEWER_COMMENTS for text in comments.values()]


def outbox(out: Path) -> list:
    folder = out / REVIEW.review_id / "outbox"
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def to(message) -> str:
    return message["To"].addresses[0].addr_spec.lower()


def test_every_document_is_written_as_markdown_and_word(demo_run):
    out, result = demo_run
    assert set(result.documents) == {"factor summary", "terms of reference (draft)", "terms of reference",
                                     "QM6 evidence"}
    for paths in result.documents.values():
        suffixes = sorted(Path(p).suffix for p in paths)
        assert suffixes == [".docx", ".md"]
        for path in paths:
            assert Path(path).stat().st_size > 500
            assert Path(path).parent == out / REVIEW.review_id


def test_each_member_is_invited_once_and_only_non_respondents_are_reminded(demo_run):
    out, _ = demo_run
    messages = outbox(out)
    invitations = [m for m in messages if "remind" not in str(m["Subject"]).lower() and "/f/" in m.get_content()]
    assert sorted(to(m) for m in invitations) == sorted(m.email.lower() for m in REVIEW.members)
    reminded = {to(m) for m in messages if "remind" in str(m["Subject"]).lower()}
    assert reminded, "the demo's silent member must have been reminded"
    assert SILENT.email.lower() in reminded and AFTER_REMINDER.email.lower() in reminded
    assert REVISER.email.lower() not in reminded


def test_the_business_manager_hears_who_is_missing_and_that_documents_are_ready(demo_run):
    out, _ = demo_run
    to_manager = [m for m in outbox(out) if to(m) == REVIEW.business_manager.email.lower()]
    bodies = [m.get_content() for m in to_manager]
    assert any(SILENT.name in body and SILENT.agency in body for body in bodies)
    assert any("terms-of-reference" in body for body in bodies)


def test_the_factor_summary_attributes_comments_to_agencies_and_names_who_did_not_answer(demo_run):
    out, _ = demo_run
    summary = (out / REVIEW.review_id / "factor-summary.md").read_text()
    assert REVIEW.child_pseudonym in summary
    assert SILENT.name in summary
    for factor in ("B1", "B2", "B3", "C1", "C2", "C3", "C4", "C5", "C6", "A1", "A3", "A5"):
        assert factor in summary
    assert any(agency in summary for agency in REVIEW.agencies)


def test_the_rationale_cites_case_and_context_factors_members_and_reviewers(demo_run):
    out, _ = demo_run
    tor = (out / REVIEW.review_id / "terms-of-reference.md").read_text()
    rationale = tor.split("Rationale", 1)[1]
    assert "B2" in rationale and "C" in rationale
    assert "the gravity and/or complexity of apparent concerns about professional practice" in rationale
    assert "public interest" in rationale or "previous local learning" in rationale
    assert "Jane Whitfield" in rationale and "Samuel Osei" in rationale
    assert f"To be completed by {REVIEW.vocabulary.deciders}" in tor
    word = docx.Document(str(out / REVIEW.review_id / "terms-of-reference.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert any("Rationale" in h for h in headings)


def test_the_business_manager_records_the_boards_decisions_on_the_page_and_the_terms_are_agreed(demo_run):
    out, _ = demo_run
    from scr.store.store import SqlStore

    store = SqlStore(f"sqlite:///{out / '.scr-data' / 'scr.sqlite3'}")
    record = store.decision_record(REVIEW.review_id)
    assert (record.version, record.recorded_by) == (1, REVIEW.business_manager.email)
    assert [d.item_id for d in record.decisions] == ["A1", "A2", "A3", "A4", "A5"]
    assert [e.kind for e in store.events(REVIEW.review_id, "board_decided")] == ["board_decided"]
    folder = out / REVIEW.review_id
    draft, agreed = (folder / "terms-of-reference-draft.md").read_text(), (folder / "terms-of-reference.md").read_text()
    assert "Draft version 0.1" in draft and "Question 4: evidence ready for the decision" in draft
    assert "Decided by" not in draft
    assert "Version 1.0, agreed on " in agreed and "Question 4: Yes" in agreed
    for comment in (c for i in store.reviewer_inputs(REVIEW.review_id) for c in i.comments):
        assert comment.text in agreed, f"a comment of {comment.reviewer_email} on {comment.section_id} is missing"
    told = {to(m) for m in outbox(out) if "terms of reference are agreed" in str(m["Subject"])}
    assert told == {p.email.lower() for p in (*REVIEW.members, *REVIEW.lead_reviewers)}


def test_the_evidence_answers_the_four_questions(demo_run):
    out, _ = demo_run
    evidence = (out / REVIEW.review_id / "qm6-evidence.md").read_text()
    assert "opportunity to input" in evidence
    assert "properly influence the scope" in evidence
    assert "full range of factors" in evidence
    assert "explain the rationale" in evidence
    for text in ANSWER_TEXTS + REVIEWER_TEXTS:
        assert text not in evidence


def test_the_reviser_has_two_versions_and_the_latest_counts(demo_run):
    out, _ = demo_run
    from scr.store.store import SqlStore

    store = SqlStore(f"sqlite:///{out / '.scr-data' / 'scr.sqlite3'}")
    assert store.response_versions(REVIEW.review_id)[REVISER.email.lower()] == 2
    latest = {r.member_email.lower(): r for r in store.latest_responses(REVIEW.review_id)}
    assert latest[REVISER.email.lower()].answers["A3"].choice == "silp"
    assert SILENT.email.lower() not in latest
    assert len(latest) == len(REVIEW.members) - 1


def test_personal_links_stop_working_when_the_review_is_complete(demo_run):
    out, _ = demo_run
    from scr.store.store import SqlStore

    store = SqlStore(f"sqlite:///{out / '.scr-data' / 'scr.sqlite3'}")
    link = next(m for m in outbox(out) if to(m) == REVIEW.members[0].email.lower()).get_content()
    token = link.split("/f/", 1)[1].split()[0]
    assert store.resolve_token(token) is None


def test_each_run_is_named_and_tagged_for_the_review_and_its_tasks_for_the_business_steps(demo_run):
    _, result = demo_run
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = review_runs(client, result.review_id, result.started_at)
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[r.id for r in runs])))
    assert len(runs) >= 3 and all(r.state.is_completed() for r in runs)
    assert runs[0].name.startswith(f"{result.review_id} · collecting member input · "), "renamed at its end"
    assert runs[-1].name == f"{result.review_id} · complete · 12 of 13 answered"
    assert all(r.name.startswith(f"{result.review_id} · ") for r in runs)
    assert {"board:northshire-safeguarding-children-partnership"} <= set.intersection(*(set(r.tags) for r in runs))
    steps = {t.name.split(" · ")[0] for t in tasks}
    assert steps == {"invite-members", "check-member-answers", "close-member-input", "write-factor-summary",
                     "circulate-summary", "check-reviewers-input", "draft-terms-of-reference", "ask-for-the-decision",
                     "agree-terms-of-reference", "finish-review"}
    assert all(t.name.endswith(f" · {result.review_id}") for t in tasks)
    assert all(t.tags == [] for t in tasks), "no tags on steps: each would take a tag concurrency slot as it starts"


def test_artifacts_show_progress_and_status_without_answer_text(demo_run):
    _, result = demo_run
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        run_ids = [r.id for r in review_runs(client, result.review_id, result.started_at)]
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=run_ids)))
        # one progress artifact per review, updated in place by whichever run sees a change
        (progress,) = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=[f"{result.review_id.lower()}-member-answers"])))
    assert {"table", "markdown"} <= {a.type for a in artifacts}
    assert float(progress.data) == round(100 * 12 / 13)
    assert progress.description.startswith("12 of 13 answered (92%)")
    artifacts.append(progress)
    dumped = " ".join(str(a.data) + str(a.description) for a in artifacts)
    assert SILENT.name in dumped
    for text in ANSWER_TEXTS + REVIEWER_TEXTS:
        assert text[:40] not in dumped



def test_prefect_logs_of_the_review_hold_no_answer_text(demo_run):
    _, result = demo_run
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # logs are shipped to the API in the background
    with get_client(sync_client=True) as client:
        run_ids = [r.id for r in review_runs(client, result.review_id, result.started_at)]
        only_this_run = LogFilter(flow_run_id=LogFilterFlowRunId(any_=run_ids))

        def shipped():
            found = client.read_logs(log_filter=only_this_run)
            return found if len(found) >= 8 else None  # each task run logs its end

        logs = wait_for(shipped, "each task run to log its end", every=0.2,
                        seen=lambda: f"{len(client.read_logs(log_filter=only_this_run))} log lines")
    logged = " ".join(log.message for log in logs)
    for text in ANSWER_TEXTS + REVIEWER_TEXTS:
        assert text[:40] not in logged


def test_the_partnerships_documents_and_emails_speak_of_no_board(demo_run):
    from tests.wording import find_board_wording, quotations_are_attributed

    out, _ = demo_run
    names = [REVIEW.board_name, *REVIEW.agencies]
    assert REVIEW.vocabulary.is_partnership
    for path in sorted((out / REVIEW.review_id).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert find_board_wording(text, names) == [], path.name
        assert quotations_are_attributed(text) == [], path.name
    for message in outbox(out):
        assert str(message["Subject"]).startswith("OFFICIAL-SENSITIVE: ")
        assert find_board_wording(f"{message['Subject']}\n{message.get_content()}", names) == []
        assert "Please do not reply to this email with details of the case" in message.get_content()
