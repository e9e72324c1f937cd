"""Loading Google credentials: service account keys (with delegation), OAuth token files, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from scr.backends.google.auth import SCOPES, account_email, load_credentials, scopes_for
from scr.errors import ScrError

AUTH = "https://www.googleapis.com/auth/"


def _service_account_key() -> dict[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {
        "type": "service_account", "project_id": "lscb-scr", "private_key_id": "abc123", "private_key": pem,
        "client_email": "scr-bot@lscb-scr.iam.gserviceaccount.com", "client_id": "1234567890",
        "token_uri": "https://oauth2.googleapis.com/token",
    }


@pytest.fixture(scope="module")
def key() -> dict[str, str]:
    return _service_account_key()


def _write(tmp_path: Path, content: object) -> str:
    path = tmp_path / "key.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_scopes_ask_for_drive_because_the_folder_is_the_boards_not_the_apps() -> None:
    assert SCOPES == [AUTH + s for s in ("forms.body", "forms.responses.readonly", "documents", "drive",
                                         "spreadsheets", "gmail.send")]
    assert scopes_for(uses_gmail=False) == SCOPES[:-1]
    assert AUTH + "drive.file" not in SCOPES


def test_service_account_key_from_a_file_with_delegation(tmp_path: Path, key: dict[str, str]) -> None:
    path = _write(tmp_path, key)
    plain = load_credentials(path, None, SCOPES)
    assert isinstance(plain, service_account.Credentials)
    assert plain.service_account_email == key["client_email"]
    assert list(plain.scopes) == SCOPES
    delegated = load_credentials(path, "business.manager@lscb.example.org", SCOPES)
    assert account_email(delegated) == "business.manager@lscb.example.org"
    assert account_email(plain) == key["client_email"]


def test_service_account_key_from_an_environment_variable(key: dict[str, str], monkeypatch) -> None:
    monkeypatch.setenv("SCR_TEST_GOOGLE_KEY", json.dumps(key))
    loaded = load_credentials("env:SCR_TEST_GOOGLE_KEY", None, SCOPES[:2])
    assert loaded.service_account_email == key["client_email"] and list(loaded.scopes) == SCOPES[:2]
    monkeypatch.delenv("SCR_TEST_GOOGLE_KEY")
    with pytest.raises(ScrError, match="environment variable SCR_TEST_GOOGLE_KEY is not set"):
        load_credentials("env:SCR_TEST_GOOGLE_KEY", None, SCOPES)


def test_authorized_user_token_file(tmp_path: Path) -> None:
    token = {"type": "authorized_user", "client_id": "cid.apps.googleusercontent.com",
             "client_secret": "shh-client-secret", "refresh_token": "1//refresh-token"}
    path = _write(tmp_path, token)
    loaded = load_credentials(path, None, SCOPES)
    assert isinstance(loaded, user_credentials.Credentials) and loaded.refresh_token == "1//refresh-token"
    with pytest.raises(ScrError, match="needs a service account key") as caught:
        load_credentials(path, "someone@example.org", SCOPES)
    assert "shh" not in str(caught.value)
    del token["refresh_token"]
    with pytest.raises(ScrError, match="lacks refresh_token"):
        load_credentials(_write(tmp_path, token), None, SCOPES)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ScrError, match=r"key\.json does not exist"):
        load_credentials(str(tmp_path / "key.json"), None, SCOPES)


def test_unreadable_json_does_not_echo_the_content(tmp_path: Path, key: dict[str, str]) -> None:
    broken = json.dumps(key)[:-40]  # cut off inside the private key's neighbourhood
    with pytest.raises(ScrError, match="not valid JSON") as caught:
        load_credentials(_write(tmp_path, broken), None, SCOPES)
    assert "PRIVATE KEY" not in str(caught.value) and "scr-bot" not in str(caught.value)


def test_wrong_key_type_and_missing_fields(tmp_path: Path, key: dict[str, str]) -> None:
    with pytest.raises(ScrError, match="type 'external_account'"):
        load_credentials(_write(tmp_path, {**key, "type": "external_account"}), None, SCOPES)
    with pytest.raises(ScrError, match="no usable type"):
        load_credentials(_write(tmp_path, {"private_key": key["private_key"]}), None, SCOPES)
    with pytest.raises(ScrError, match="not a JSON object"):
        load_credentials(_write(tmp_path, "[1, 2]"), None, SCOPES)
    partial = {k: v for k, v in key.items() if k not in ("client_email", "token_uri")}
    with pytest.raises(ScrError, match="lacks client_email, token_uri") as caught:
        load_credentials(_write(tmp_path, partial), None, SCOPES)
    assert "PRIVATE KEY" not in str(caught.value)


def test_a_damaged_private_key_is_reported_without_its_contents(tmp_path: Path, key: dict[str, str]) -> None:
    damaged = {**key, "private_key": key["private_key"].replace("MII", "XYZ", 1)[:300]}
    with pytest.raises(ScrError, match="private_key could not be read") as caught:
        load_credentials(_write(tmp_path, damaged), None, SCOPES)
    assert damaged["private_key"][40:80] not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
