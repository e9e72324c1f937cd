"""Set-ups that cannot work are refused before a review, and each Google refusal names its fix.

A plain service account owns no files outside a shared drive (Drive's shared-drives guide: "Service accounts
don't have storage quota and can't own any files"); `scr check` and `scr google-check` say so and what to do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from googleapiclient.errors import HttpError

from scr.backends.google.auth import Services, check_access, setup_problems
from scr.backends.google.errors import FIXES, GoogleAccessError, GoogleError, call, transient
from scr.entrypoints.cli import main
from scr.rendering import parse_document
from tests.google_emulator import GoogleEmulator

ROOT = Path(__file__).resolve().parents[2]
SA_KEY = {"type": "service_account", "client_email": "scr@board.iam.gserviceaccount.com", "private_key": "x",
          "token_uri": "https://oauth2.googleapis.com/token"}
USER_TOKEN = {"type": "authorized_user", "client_id": "a", "client_secret": "b", "refresh_token": "c"}


def _key(tmp_path: Path, info: dict) -> str:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return str(path)


def test_a_plain_service_account_is_refused_unless_the_folder_is_on_a_shared_drive(tmp_path: Path) -> None:
    key = _key(tmp_path, SA_KEY)
    (field, fix), (mail, _) = setup_problems(key, None, shared_drive=False, mail="gmail")
    assert field == "google.subject" and "storageQuotaExceeded" in fix and "shared_drive: true" in fix
    assert mail == "google.mail"
    assert setup_problems(key, None, shared_drive=True, mail="outbox") == []
    assert setup_problems(key, "bm@lscb.example.org", shared_drive=False, mail="gmail") == []
    assert setup_problems(_key(tmp_path, USER_TOKEN), None, shared_drive=False, mail="gmail") == []
    assert setup_problems(str(tmp_path / "missing.json"), None, False, "gmail")[0][0] == "google.credentials"


def test_scr_check_refuses_it_naming_the_field_and_the_fix(tmp_path: Path, capsys) -> None:
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text(encoding="utf-8"))
    raw.update(backend="google", google={"credentials": _key(tmp_path, SA_KEY), "drive_folder_id": "1AbCdEfGhIj",
                                         "mail": "outbox"})
    path = tmp_path / "board.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    said = capsys.readouterr().err
    assert "google.subject" in said and "shared drive" in said and "private_key" not in said
    raw["google"]["shared_drive"] = True
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert main(["check", str(path)]) == 0


def test_google_check_confirms_the_folder_is_on_a_shared_drive(emu: GoogleEmulator) -> None:
    services = Services(drive=emu.build("drive"))
    mine = emu.add_folder("Reviews")
    (line,) = check_access(services, mine, plain_service_account=True)
    assert line.ok is False and "is in My Drive" in line.advice and "google.subject" in line.advice
    shared = emu.add_shared_drive("Safeguarding reviews")
    (line,) = check_access(services, shared, plain_service_account=True)
    assert line.ok is True and "(on a shared drive)" in line.advice
    assert check_access(services, mine, plain_service_account=False)[0].ok is True


@pytest.mark.parametrize(("status", "reason", "says"), [
    (403, "storageQuotaExceeded", "google.subject"),
    (400, "invalidSharingRequest", "create a Google account"),
    (403, "sharingRateLimitExceeded", "wait an hour"),
    (403, "shareOutNotPermitted", "sharing policy"),
    (403, "accessNotConfigured", "not enabled in the Google Cloud project"),
    (403, "insufficientPermissions", "lack a scope"),
])
def test_each_google_reason_gets_a_message_naming_its_fix(emu: GoogleEmulator, status, reason, says) -> None:
    emu.faults.fail("drive.files.get", status=status, reason=reason)
    with pytest.raises(GoogleError) as refused:
        call(emu.build("drive").files().get(fileId="x"), "look up the folder", retries=0)
    assert says in str(refused.value) and reason in str(refused.value) and refused.value.reasons == (reason,)
    assert isinstance(refused.value, GoogleAccessError) == (status == 403 and reason != "sharingRateLimitExceeded")
    assert reason in FIXES


@pytest.mark.parametrize(("status", "reasons", "worth_retrying"), [
    (None, (), True), (408, (), True), (429, (), True), (500, (), True), (503, (), True),
    (403, ("rateLimitExceeded",), True), (403, ("userRateLimitExceeded",), True),
    (403, ("storageQuotaExceeded",), False), (403, ("sharingRateLimitExceeded",), False), (403, (), False),
    (400, (), False), (401, (), False), (404, (), False),
])
def test_what_is_transient_is_decided_in_one_place(status, reasons, worth_retrying) -> None:
    assert transient(status, reasons) is worth_retrying


def test_a_rate_limited_request_is_retried_and_a_quota_refusal_is_not(emu: GoogleEmulator) -> None:
    emu.faults.fail("drive.files.list", status=429, times=2)
    assert call(emu.build("drive").files().list(), "list the folder")["files"] == []
    assert emu.counts()["drive.files.list"] == 3
    with pytest.raises(HttpError):
        emu.build("drive").files().get(fileId="nothing").execute()


def test_writing_as_a_plain_service_account_into_my_drive_says_what_to_do() -> None:
    from scr.backends.google.documents import GoogleDocuments
    from tests.google_emulator import Caller

    with GoogleEmulator(caller=Caller(kind="service_account")) as emu:
        folder = emu.add_folder("Reviews")
        documents = GoogleDocuments(emu.build("drive"), emu.build("docs"), folder)
        with pytest.raises(GoogleAccessError) as refused:
            documents.write("SCR-1", "factor-summary", parse_document("# Summary\n"))
        assert "storageQuotaExceeded" in str(refused.value) and "google.subject" in str(refused.value)
        assert emu.counts()["drive.files.create"] == 1, "a refusal that will not change is not retried"
        shared = emu.add_shared_drive("Reviews")
        assert GoogleDocuments(emu.build("drive"), emu.build("docs"), shared).write("SCR-1", "factor-summary",
                                                                                    parse_document("# Summary\n"))


def test_the_gateway_rechecks_before_retrying_a_create_and_never_retries_a_refusal() -> None:
    from scr.backends.google.errors import retrying

    tries: list[str] = []

    def flaky(fails: int, error: GoogleError) -> str:
        tries.append("try")
        if len(tries) <= fails:
            raise error
        return "made"

    unavailable = GoogleError("Could not create the summary: Google answered HTTP 503.", 503)
    assert retrying(lambda: flaky(1, unavailable), recheck=lambda: "made by the lost attempt") == \
        "made by the lost attempt" and tries == ["try"]
    tries.clear()
    assert retrying(lambda: flaky(2, unavailable)) == "made" and len(tries) == 3
    tries.clear()
    with pytest.raises(GoogleAccessError):
        retrying(lambda: flaky(9, GoogleAccessError("Could not create: access denied (HTTP 403).", 403)))
    assert len(tries) == 1
