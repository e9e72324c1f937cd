"""check_access (for `scr google-check`) against the emulator, with refreshable fake credentials."""

from __future__ import annotations

from scr.backends.google.auth import Services, check_access
from tests.google_emulator import FakeTokenCredentials, GoogleEmulator

ACCOUNT = "scr-bot@lscb-scr.iam.gserviceaccount.com"


def _services(emu: GoogleEmulator) -> Services:
    creds = FakeTokenCredentials()
    return Services(*(emu.build(api, credentials=creds) for api in ("drive", "forms", "docs", "sheets", "gmail")))


def _setup(emu: GoogleEmulator) -> tuple[str, str, str]:
    folder = emu.build("drive").files().create(
        body={"name": "SCR reviews", "mimeType": "application/vnd.google-apps.folder"}).execute()["id"]
    template = emu.build("docs").documents().create(body={"title": "ToR template"}).execute()["documentId"]
    roster = emu.build("sheets").spreadsheets().create(body={"properties": {"title": "Roster"}}).execute()
    return folder, template, roster["spreadsheetId"]


def test_everything_shared_is_reported_ok(emu: GoogleEmulator) -> None:
    folder, template, roster = _setup(emu)
    emu.reset_counts()
    lines = check_access(_services(emu), folder, [template], roster, account=ACCOUNT)
    assert [(line.what, line.ok) for line in lines] == [
        (f"Drive folder {folder}", True), (f"Template document {template}", True),
        (f"Roster sheet {roster}", True), ("Google Forms API", True), ("Google Docs API", True),
        ("Google Sheets API", True), ("Gmail API", None),
    ]
    assert "SCR reviews" in lines[0].advice
    assert emu.counts() == {"drive.files.get": 3, "forms.forms.get": 1, "docs.documents.get": 1,
                            "sheets.spreadsheets.get": 1}
    assert emu.sent_messages() == []


def test_missing_folder_wrong_kind_and_denied_api_get_advice(emu: GoogleEmulator) -> None:
    folder, template, roster = _setup(emu)
    emu.faults.deny(403, method="forms.forms.get")
    lines = check_access(_services(emu), "1AbCmissing", [roster], None, account=ACCOUNT)
    by_what = {line.what: line for line in lines}
    missing = by_what["Drive folder 1AbCmissing"]
    assert missing.ok is False
    assert f"not shared with {ACCOUNT}" in missing.advice and "as Editor" in missing.advice
    assert str(missing).startswith("Drive folder 1AbCmissing: PROBLEM; not found")
    wrong = by_what[f"Template document {roster}"]
    assert wrong.ok is False and "spreadsheet" in wrong.advice
    forms = by_what["Google Forms API"]
    assert forms.ok is False and "HTTP 403" in forms.advice and "forms.body" in forms.advice


def test_a_revoked_token_is_an_access_problem(emu: GoogleEmulator) -> None:
    folder, _, _ = _setup(emu)
    emu.faults.deny(401)
    services = _services(emu)
    lines = check_access(Services(drive=services.drive, forms=services.forms), folder, account=ACCOUNT)
    assert [line.ok for line in lines] == [False, False]
    assert all("HTTP 401" in line.advice for line in lines)
