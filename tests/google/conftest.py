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
