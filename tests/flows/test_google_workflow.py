"""The whole workflow with `backend: google`, against the loopback server that speaks Google's APIs.

Every request is checked against the discovery documents shipped in google-api-python-client, and the
emulator behaves as Google documents (tests/google_emulator/BEHAVIOURS.md). Where Google documents nothing,
the whole workflow runs under each plausible behaviour (``BEHAVIOURS`` below). Nothing here was run against
live Google.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scr.bootstrap import backend_for
from scr.config import parse_config, review_from_config
from scr.services import deciding
from scr.settings import Runtime
from tests import samples
from tests.flows.google_people import STRANGER, UNKNOWN, GooglePeople, GooglePlan, doc_text
from tests.google_emulator import Behaviours, GoogleEmulator

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400.0
DOC = "application/vnd.google-apps.document"
#: Each undocumented behaviour both ways: the filter's time, an "other" option's value, Gmail's Message-ID.
BEHAVIOURS = {
    "as-assumed": Behaviours(),
    "each-switched": Behaviours(filter_time="createTime", other_value="required", gmail_message_id="replaced",
                                header_start="1"),
}


def kind_of(subject: str) -> str:
    """'OFFICIAL-SENSITIVE: Reminder: your input ...' -> 'Reminder': the subject's first words after the marking."""
    return subject.removeprefix("OFFICIAL-SENSITIVE: ").split(":")[0]


def config_reminder_days() -> list[int]:
    return yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())["deadlines"]["reminder_working_days"]


def google_review(tmp_path: Path, emu: GoogleEmulator, *, day_seconds: float = DAY, faults=None):
    """The example board's review, started on the Google backend over the emulator: (runtime, backend, review)."""
    drive = emu.build("drive", "v3")
    folder = drive.files().create(body={"name": "Reviews", "mimeType": "application/vnd.google-apps.folder"},
                                  fields="id").execute()["id"]
    tracker = emu.gspread_client().create("SCR tracker").id
    if faults is not None:
        faults(emu.faults)  # after the test's own set-up: only the product's calls meet them
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["backend"] = "google"
    raw["google"] = {"credentials": "anonymous", "api_root": emu.origin, "drive_folder_id": folder,
                     "mail": "gmail", "retry_seconds": 0.001, "tracker_sheet_id": tracker}
    config = parse_config(raw)
    runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}", out_dir=str(tmp_path),
                                  poll_seconds=0.05, clock_speed=DAY / day_seconds)
    backend = backend_for(runtime)
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    return runtime, backend, review


# A day of the review lasts a second: each look at a Google review is a Prefect run (up to a second or two on a busy
# machine), and a day shorter than a look lets reminders and deadlines race past the members who act on them.
def run_on_google(tmp_path: Path, emu: GoogleEmulator, *, day_seconds: float = 1.0, faults=None):
    from flows.advance_review import follow
    from scr.backends.google.errors import configure_retries
    from scr.services.advancing import documents_by_label

    runtime, backend, review = google_review(tmp_path, emu, day_seconds=day_seconds, faults=faults)
    emails = [m.email.lower() for m in review.members]
    plan = GooglePlan(revise={emails[2], emails[4]}, after_reminder={emails[9]}, late={emails[10]},
                      edit={emails[5]})
    def decide() -> int:  # the business manager runs `scr decide` after the board's meeting
        inputs = backend.store.reviewer_inputs(review.review_id)
        record = samples.board_record(review, backend.member_form, backend.reviewer_form, inputs)
        return deciding.record_decisions(backend, review.review_id, record)

    people = GooglePeople(emu, backend.store, review, backend.member_form, backend.clock, plan, decide)
    people.start()
    try:
        follow(review.review_id, runtime, runtime.poll_seconds)
        documents = documents_by_label(backend, review.review_id)
    finally:
        people.stop()
        configure_retries(1.0)
    assert people.errors == []
    return review, backend, documents, emails


@pytest.fixture(scope="module", params=list(BEHAVIOURS))
def google_run(request, prefect_harness, tmp_path_factory):
    with GoogleEmulator(seed=3, behaviours=BEHAVIOURS[request.param]) as emu:
        review, backend, documents, emails = run_on_google(tmp_path_factory.mktemp("google"), emu)
        yield emu, review, backend, documents, emails


def test_one_form_with_every_item_and_four_documents_in_the_folder(google_run):
    emu, review, backend, documents, _ = google_run
    counts = emu.counts()
    assert counts["forms.forms.create"] == 1 and counts["forms.forms.setPublishSettings"] >= 2
    form = emu.build("forms", "v1").forms().get(formId=backend.store.google_form(review.review_id).form_id)
    titles = " ".join(i.get("title", "") for i in form.execute()["items"])
    for item in backend.member_form.items:
        assert f"{item.id}." in titles
    files = emu.build("drive", "v3").files().list(
        q=f"appProperties has {{ key='scr_review' and value='{review.review_id}' }}",
        fields="files(id,mimeType,appProperties)").execute()["files"]
    assert len(files) == 4 + len(review.lead_reviewers) and {f["mimeType"] for f in files} == {DOC}
    kinds = {f["appProperties"]["scr_kind"] for f in files}
    copies = {k for k in kinds if k.startswith("factor-summary-for-")}
    assert kinds - copies == {"factor-summary", "terms-of-reference-draft", "terms-of-reference", "qm6-evidence"}
    assert len(copies) == len(review.lead_reviewers)
    assert set(documents) == {"factor summary", "terms of reference (draft)", "terms of reference", "QM6 evidence"}


def test_the_tor_read_back_cites_case_and_context_factors_and_the_reviewers(google_run):
    emu, review, _, documents, _ = google_run
    tor = doc_text(emu, documents["terms of reference"][0])
    rationale = tor.split("Rationale for a proportionate approach", 1)[1]
    assert "B2" in rationale and "the gravity and/or complexity of apparent concerns" in rationale
    assert re.search(r"C[1-6]", rationale) and "previous local learning" in rationale
    assert "Jane Whitfield" in rationale and "Samuel Osei" in rationale
    assert "Proposed change: Learning Together with a staged start" in rationale
    assert review.child_pseudonym in tor and f"To be completed by {review.vocabulary.deciders}" in tor
    assert "Version 1.0, agreed on" in tor and "Question 4: Yes" in tor
    draft = doc_text(emu, documents["terms of reference (draft)"][0])
    assert "Draft version 0.1" in draft and "Question 4: evidence ready for" in draft


def test_members_answers_revisions_late_and_unknown_respondents(google_run):
    _, review, backend, _, emails = google_run
    store = backend.store
    versions = store.response_versions(review.review_id)
    assert versions[emails[2]] == 2 and versions[emails[4]] == 2
    latest = {r.member_email.lower(): r for r in store.latest_responses(review.review_id)}
    assert len(latest) == len(review.members)
    assert latest[emails[10]].late and not latest[emails[0]].late
    assert latest[emails[2]].answers["A3"].choice == "silp"
    assert latest[emails[5]].answers["A3"].choice == "silp", "an edited response is read, whatever the filter reads"
    assert [email for email, _ in store.held_responses(review.review_id)] == [UNKNOWN]
    assert UNKNOWN not in {r.member_email for r in store.latest_responses(review.review_id)}


def test_the_business_manager_is_told_of_answers_held_apart_by_address(google_run):
    emu, review, _, _, _ = google_run
    told = [m for m in emu.sent_messages()
            if m["to"][0] == review.business_manager.email and "not on the list for this review" in m["subject"]]
    assert len(told) == 1 and UNKNOWN in told[0]["text"]


def test_each_person_gets_their_messages_once_and_reviewers_mark_complete_from_the_doc(google_run):
    emu, review, backend, _, emails = google_run
    sent = emu.sent_messages()
    invitations = [m["to"][0].lower() for m in sent if "your input is needed" in m["subject"]]
    assert sorted(invitations) == sorted(emails)
    reminded = {m["to"][0].lower() for m in sent if m["subject"].startswith("OFFICIAL-SENSITIVE: Reminder")}
    assert emails[9] in reminded and emails[0] not in reminded
    summaries = [m["to"][0] for m in sent if "factor summary is ready" in m["subject"]]
    assert sorted(summaries) == sorted(r.email for r in review.lead_reviewers)
    assert all("COMPLETE" in m["text"] for m in sent if "factor summary is ready" in m["subject"])
    inputs = backend.store.reviewer_inputs(review.review_id)
    assert all(i.completed_at is not None for i in inputs)
    copies = backend.store.google_reviewer_copies(review.review_id)
    links = {m["to"][0].lower(): m["text"] for m in sent if "factor summary is ready" in m["subject"]}
    assert all(copies[r.email.lower()].url in links[r.email.lower()] for r in review.lead_reviewers)
    assert len({c.file_id for c in copies.values()}) == len(review.lead_reviewers), "a copy per reviewer"
    assert inputs[0].proposals.get("method", "").startswith("Proposed change")
    assert [c.section_id for c in inputs[1].comments] == ["C1"]


def test_the_tracker_sheet_shows_status_by_member_without_answer_text(google_run):
    from scr.demo.answers import DECISION_TEXT, FACTOR_COMMENTS

    emu, review, backend, _, _ = google_run
    tracker = backend.tracker
    rows = emu.gspread_client().open_by_key(tracker.spreadsheet_id).worksheet(review.review_id).get_all_values()
    assert rows[0] == ["member", "agency", "status", "answered"]
    assert {row[0] for row in rows[1:]} == {m.name for m in review.members}
    assert {row[2] for row in rows[1:]} <= {"invited", "reminded", "answered", "answered late", "no answer"}
    cells = " ".join(" ".join(row) for row in rows)
    for text in [t for texts in (*FACTOR_COMMENTS.values(), *DECISION_TEXT.values()) for t in texts]:
        assert text not in cells


def test_documents_are_shared_with_named_people_only(google_run):
    emu, review, backend, _, _ = google_run
    calls = emu.permission_calls()
    assert calls and all(c["type"] == "user" for c in calls), "never link or domain sharing"
    granted = {(c["fileId"], c["emailAddress"], c["role"]) for c in calls}
    assert len(granted) == len(calls), "no permission is granted twice"
    form_id = backend.store.google_form(review.review_id).form_id
    responders = [c for c in calls if c["fileId"] == form_id]
    assert sorted(c["emailAddress"] for c in responders) == sorted(m.email for m in review.members)
    assert all(c["view"] == "published" and c["role"] == "reader" and not c["sendNotificationEmail"]
               for c in responders)
    copies = backend.store.google_reviewer_copies(review.review_id)
    for reviewer in review.lead_reviewers:
        on_copy = [c for c in calls if c["fileId"] == copies[reviewer.email.lower()].file_id]
        assert [(c["emailAddress"], c["role"]) for c in on_copy] == [(reviewer.email, "commenter")], "theirs alone"
    shared = {(email, role) for file_id, email, role in granted if file_id != form_id}
    assert (review.business_manager.email, "writer") in shared
    summary = backend.store.documents(review.review_id)["factor-summary"].refs[0].split("/d/")[1].split("/")[0]
    assert not [c for c in calls if c["fileId"] == summary], "the summary itself is shared with no one"
    assert {(m.email, "reader") for m in review.members} <= shared, "the agreed ToR, for members to read"
    documents = [c for c in calls if c["fileId"] != form_id]
    assert len(documents) == 2 * len(review.lead_reviewers) + 2 + len(review.members), \
        "copies and ToR to reviewers; ToR, evidence to BM; the agreed ToR to members"
    assert all(c["sendNotificationEmail"] and c["emailMessage"] for c in documents)


def test_a_comment_on_a_reviewers_copy_by_someone_else_is_noted_never_credited(google_run):
    _, review, backend, _, _ = google_run
    noted = backend.store.events(review.review_id, "comment_not_counted")
    assert len(noted) == 1 and "Pat Stranger" in noted[0].detail and "Jane Whitfield's copy" in noted[0].detail
    assert STRANGER not in str(backend.store.reviewer_inputs(review.review_id))


def test_with_one_call_in_five_failing_the_run_ends_the_same_with_nothing_twice(prefect_harness, google_run,
                                                                                 tmp_path):
    clean_emu, _, _, clean_documents, _ = google_run
    with GoogleEmulator(seed=5) as emu:
        review, _, documents, emails = run_on_google(
            tmp_path, emu, faults=lambda faults: faults.fail_fraction(0.2, status=503, seed=20))
        emu.faults.clear()  # the test's own reads below are not the product's
        counts = emu.counts()
        docs = [f for f in emu.state.files.values() if f["mimeType"] == DOC]
        assert len(docs) == 4 + len(review.lead_reviewers), "one Doc per document and reviewer's copy, however many " \
                                                            "creates were retried"
        assert len(emu.state.forms) == 1, "one form"
        ids = [m["message"]["Message-ID"] for m in emu.sent_messages()]
        assert len(ids) == len(set(ids)), "no message sent twice"
        kinds = Counter((m["to"][0], kind_of(m["subject"])) for m in emu.sent_messages())
        clean_kinds = Counter((m["to"][0], kind_of(m["subject"])) for m in clean_emu.sent_messages())
        # Reminders go on the reminder days a check falls on (the latest only, when a slow check passes two):
        # on a busy machine the simulated days race past, so their number is bounded, not fixed.
        reminders = {key: n for key, n in kinds.items() if key[1] == "Reminder"}
        assert all(n <= len(config_reminder_days()) for n in reminders.values()), reminders
        assert +Counter({k: n for k, n in kinds.items() if k[1] != "Reminder"}) == +Counter(
            {k: n for k, n in clean_kinds.items() if k[1] != "Reminder"})
        assert sum(1 for m in emu.sent_messages() if "your input is needed" in m["subject"]) == len(emails)
        granted = [(c["fileId"], c["emailAddress"], c["role"]) for c in emu.permission_calls()]
        assert len(granted) == len(set(granted)) == len(clean_emu.permission_calls())
        rationale = doc_text(emu, documents["terms of reference"][0]).split("Rationale for a proportionate", 1)[1]
        clean = doc_text(clean_emu, clean_documents["terms of reference"][0]).split("Rationale for a proportionate",
                                                                                   1)[1]
        assert rationale.split("6. Scope")[0] == clean.split("6. Scope")[0]
        assert 0.15 < emu.faults.injected / sum(counts.values()) < 0.25, "about one call in five failed"


@pytest.mark.parametrize(("status", "method", "says"), [
    (403, "forms.forms.create", "forms.body scope"),
    (403, "gmail.users.messages.send", "gmail.send scope"),
    (401, None, "did not accept the credentials"),
])
def test_refused_access_stops_the_run_saying_what_is_missing(prefect_harness, tmp_path, status, method, says):
    from flows.advance_review import run_review
    from scr.backends.google.errors import GoogleAccessError

    with GoogleEmulator(seed=9) as emu:
        folder = emu.build("drive", "v3").files().create(
            body={"name": "Reviews", "mimeType": "application/vnd.google-apps.folder"}, fields="id").execute()["id"]
        raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
        raw["backend"] = "google"
        raw["google"] = {"credentials": "anonymous", "api_root": emu.origin, "drive_folder_id": folder,
                         "retry_seconds": 0.001}
        config = parse_config(raw)
        runtime = Runtime.from_config(config, store_url=f"sqlite:///{tmp_path / 'scr.sqlite3'}",
                                      out_dir=str(tmp_path), poll_seconds=0.05)
        backend_for(runtime).store.create_review(review_from_config(config),
                                                 config.deadlines.schedule())
        emu.faults.deny(status, method=method)
        state = run_review(config.case.review_id, runtime, return_state=True)
        assert state.is_failed()
        with pytest.raises(GoogleAccessError) as refused:
            state.result()
        message = str(refused.value)
        assert says in message and f"HTTP {status}" in message
        assert "Traceback" not in message and "{" not in message
