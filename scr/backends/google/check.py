"""`scr google-check`: before a review starts, check the Google account can reach what the board configured.

One cheap read per thing (the Drive folder, each template, the roster sheet, each API); nothing is
written or sent. Credential problems raise the ``ScrError`` from loading the key, which names the file
or variable and never any of its contents.
"""

from __future__ import annotations

from scr.backends.google.auth import Services, account_email, check_access
from scr.backends.google.wiring import build_clients
from scr.config import GoogleConfig

__all__ = ["google_check"]


def google_check(google: GoogleConfig) -> tuple[list[str], bool]:
    """One line per check, and whether nothing is a problem ("not checked" is not a problem)."""
    clients = build_clients(google)
    services = Services(drive=clients.drive, forms=clients.forms, docs=clients.docs, sheets=clients.sheets,
                        gmail=clients.gmail if google.mail == "gmail" else None)
    checks = check_access(services, google.drive_folder_id, list(google.templates.values()),
                          google.roster_sheet_id, account=account_email(clients.credentials))
    return [str(check) for check in checks], all(check.ok is not False for check in checks)
