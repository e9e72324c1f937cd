"""A loopback emulator of the Google REST APIs the product calls (Forms, Docs, Drive, Sheets, Gmail).

    from tests.google_emulator import GoogleEmulator, DROP

    with GoogleEmulator() as emu:
        forms = emu.build("forms")            # googleapiclient, static discovery, anonymous
        gc = emu.gspread_client()             # gspread, through a URL-rewriting session
        emu.faults.fail("forms.forms.get", status=503)

Requests are validated against the discovery documents shipped in google-api-python-client:
unknown query parameters, unknown body fields, wrong types and bad enum values answer 400 in
Google's error JSON.
"""

from .credentials import FakeTokenCredentials
from .emulator import GoogleEmulator
from .faults import DROP, FaultPlan
from .gspread_hook import EmulatorSession
from .state import Behaviours, Caller

__all__ = ["DROP", "Behaviours", "Caller", "EmulatorSession", "FakeTokenCredentials", "FaultPlan", "GoogleEmulator"]
