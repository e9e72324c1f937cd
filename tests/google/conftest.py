"""An emulator per test; a test fails if the emulator answered outside its own response schemas."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.google_emulator import GoogleEmulator


@pytest.fixture
def emu() -> Iterator[GoogleEmulator]:
    with GoogleEmulator(seed=11) as emulator:
        yield emulator
        assert emulator.emulator_errors() == []


@pytest.fixture(autouse=True)
def quick_retries():
    """Retries wait milliseconds here, not seconds: the emulator's faults are instant."""
    from scr.backends.google.errors import configure_retries

    configure_retries(0.001)
    yield
    configure_retries(1.0)
