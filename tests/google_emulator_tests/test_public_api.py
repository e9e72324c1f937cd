"""The package's public names."""

from __future__ import annotations

import tests.google_emulator as package


def test_public_names() -> None:
    assert sorted(package.__all__) == ["Behaviours", "Caller", "DROP", "EmulatorSession", "FakeTokenCredentials",
                                      "FaultPlan", "GoogleEmulator"]
    for name in package.__all__:
        assert getattr(package, name) is not None


def test_requires_running_server() -> None:
    emulator = package.GoogleEmulator()
    try:
        emulator.endpoint("docs")
    except RuntimeError as error:
        assert "not running" in str(error)
    else:
        raise AssertionError("endpoint() of a stopped emulator should fail")
