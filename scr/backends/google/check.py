"""`scr google-check`: before a review starts, check the Google account can reach what the board configured.

One cheap read per thing (the Drive folder, each template, the roster sheet, each API); nothing is
written or sent. Credential problems raise the ``ScrError`` from loading the key, which names the file
or variable and never any of its contents.
"""

from __future__ import annotations

from scr.backends.google.auth import (
    Services,
    account_email,
    check_access,
    is_plain_service_account,
    setup_problems,
)
from scr.backends.google.wiring import build_clients
from scr.config import GoogleConfig

__all__ = ["google_check"]


def google_check(google: GoogleConfig) -> tuple[list[str], bool]:
    """One line per check, and whether nothing is a problem ("not checked" is not a problem)."""
    clients = build_clients(google)
    services = Services(drive=clients.drive, forms=clients.forms, docs=clients.docs, sheets=clients.sheets,
                        gmail=clients.gmail if google.mail == "gmail" else None)
    checks = check_access(services, google.drive_folder_id, list(google.templates.values()),
                          google.roster_sheet_id, account=account_email(clients.credentials),
                          plain_service_account=is_plain_service_account(clients.credentials))
    lines = [str(check) for check in checks]
    others = [(field, fix) for field, fix in setup_problems(google.credentials, google.subject, google.shared_drive,
                                                             google.mail) if field != "google.subject"]
    lines += [f"{field}: PROBLEM; {fix}" for field, fix in others]  # the folder's line covers google.subject
    return lines, all(check.ok is not False for check in checks) and not others
