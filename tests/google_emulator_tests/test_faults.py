"""Fault injection: 5xx with retries, 429 with Retry-After, dropped connections, auth refusals."""

from __future__ import annotations

import http.client

import google.auth.exceptions
import pytest
from googleapiclient.errors import HttpError

from tests.google_emulator import DROP, FakeTokenCredentials, GoogleEmulator


def _no_wait(request):  # googleapiclient sleeps rand() * 2**n between retries; record instead
    request.sleeps = []
    request._sleep = request.sleeps.append
    return request


def test_503_then_success_with_retries(emu: GoogleEmulator) -> None:
    emu.faults.fail("drive.files.list", status=503)
    request = _no_wait(emu.build("drive").files().list())
    assert request.execute(num_retries=3)["files"] == []
    assert len(request.sleeps) == 1
    assert emu.counts()["drive.files.list"] == 2


def test_nth_call_fails_without_retries(emu: GoogleEmulator) -> None:
    drive = emu.build("drive")
    emu.faults.fail("drive.files.list", status=500, nth=2)
    drive.files().list().execute()
    with pytest.raises(HttpError) as caught:
        drive.files().list().execute()
    assert caught.value.status_code == 500
    drive.files().list().execute()


def test_429_carries_retry_after(emu: GoogleEmulator) -> None:
    emu.faults.fail("forms.forms.create", status=429, retry_after=7)
    with pytest.raises(HttpError) as caught:
        emu.build("forms").forms().create(body={"info": {"title": "T"}}).execute()
    assert caught.value.status_code == 429
    assert caught.value.resp["retry-after"] == "7"
    assert caught.value.error_details[0]["reason"] == "rateLimitExceeded"


def test_dropped_connection_raises(emu: GoogleEmulator) -> None:
    # httplib2 silently retries one dropped connection, so drop two in a row
    emu.faults.fail("docs.documents.create", status=DROP, times=2)
    with pytest.raises(http.client.RemoteDisconnected):
        emu.build("docs").documents().create(body={"title": "T"}).execute()
    assert emu.counts()["docs.documents.create"] == 2


def test_401_is_http_error_after_token_refreshes(emu: GoogleEmulator) -> None:
    credentials = FakeTokenCredentials()
    gmail = emu.build("gmail", credentials=credentials)
    emu.faults.deny(401)
    with pytest.raises(HttpError) as caught:
        gmail.users().messages().send(userId="me", body={"raw": "eA"}).execute(num_retries=2)
    assert caught.value.status_code == 401
    assert caught.value.error_details[0]["reason"] == "authError"
    # google-auth-httplib2 refreshes and retries twice; googleapiclient never retries a 401
    assert credentials.refreshes == 2
    assert emu.counts()["gmail.users.messages.send"] == 3


def test_401_with_anonymous_credentials_is_a_refresh_error(emu: GoogleEmulator) -> None:
    emu.faults.deny(401, method="drive.files.list")
    with pytest.raises(google.auth.exceptions.InvalidOperation):
        emu.build("drive").files().list().execute()


def test_403_for_one_method(emu: GoogleEmulator) -> None:
    emu.faults.deny(403, method="drive.files.get")
    drive = emu.build("drive")
    drive.files().list().execute()
    with pytest.raises(HttpError) as caught:
        drive.files().get(fileId="x").execute(num_retries=3)
    assert caught.value.status_code == 403
    assert emu.counts()["drive.files.get"] == 1  # a 403 that is not a rate limit is not retried


def test_seeded_fraction_is_reproducible() -> None:
    def outcomes(seed: int) -> list[int]:
        with GoogleEmulator() as emu:
            emu.faults.fail_fraction(0.5, status=503, seed=seed)
            drive = emu.build("drive")
            results = []
            for _ in range(12):
                try:
                    drive.files().list().execute()
                    results.append(200)
                except HttpError as error:
                    results.append(error.status_code)
            return results

    first = outcomes(11)
    assert first == outcomes(11)
    assert 200 in first and 503 in first


def test_counts_per_method(emu: GoogleEmulator) -> None:
    drive = emu.build("drive")
    drive.files().list().execute()
    drive.files().list().execute()
    drive.files().create(body={"name": "x"}).execute()
    assert emu.counts() == {"drive.files.list": 2, "drive.files.create": 1}
    emu.reset_counts()
    assert emu.counts() == {}
