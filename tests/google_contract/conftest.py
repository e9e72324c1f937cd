"""The emulator fixture the Google adapter tests use, for the contract tests too."""

from tests.google.conftest import emu, quick_retries  # noqa: F401
