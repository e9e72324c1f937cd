"""The trial's output checks: a tracker tab written by the product and read back, and one email to the
operator through Gmail whose Message-ID the operator reads from "Show original"."""

from __future__ import annotations

from typing import Any

from scr.backends.google.errors import call
from scr.backends.google.gmail import GmailMailer
from scr.backends.google.sheets import TRACKER_COLUMNS, Tracker
from scr.backends.google.trial import OperatorStep, TrialRun
from scr.ports import Message

__all__ = ["check_email", "check_tracker"]

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"


def check_tracker(run: TrialRun) -> None:
    """A tracker tab written by the product and read back."""
    what = "Write a tracker tab and read it back"
    sheet_id, note = run.google.tracker_sheet_id, ""
    if not sheet_id:
        sheet_id = run.attempt(what, lambda: _trial_sheet(run))
        note = " (no tracker sheet is configured: a trial sheet in the trial folder)"
        if sheet_id is None:
            return
    row = {"member": run.me, "agency": "Trial agency, Ελληνικά", "status": "answered", "answered": "trial"}
    tracker = Tracker(run.clients.gspread(run.google.api_root), sheet_id)
    if not run.succeeds(what, lambda: tracker.write(run.label, [row])):
        return
    if run.google.tracker_sheet_id:
        run.cleanups.append(lambda: _delete_tab(run, sheet_id))
    values = call(run.clients.sheets.spreadsheets().values().get(spreadsheetId=sheet_id, range=f"'{run.label}'!A1:D2"),
                  f"read back the trial tab of sheet {sheet_id}").get("values", [])
    expected = [list(TRACKER_COLUMNS), [row[c] for c in TRACKER_COLUMNS]]
    run.check(what, values == expected, ("ok" if values == expected else
              f"read back {len(values)} row(s) that differ from the {len(expected)} written") + note)


def _trial_sheet(run: TrialRun) -> str:
    body = {"name": f"{run.label} tracker", "mimeType": SPREADSHEET_MIME, "parents": [run.folder_id]}
    made = call(run.clients.drive.files().create(body=body, fields="id", supportsAllDrives=True),
                "make a trial tracker sheet", retries=0)
    run.made.append(made["id"])
    return made["id"]


def _delete_tab(run: TrialRun, sheet_id: str) -> None:
    sheets = run.clients.sheets.spreadsheets()
    found: dict[str, Any] = call(sheets.get(spreadsheetId=sheet_id, fields="sheets(properties(sheetId,title))"),
                                 f"find the trial tab in sheet {sheet_id}")
    ids = [s["properties"]["sheetId"] for s in found.get("sheets", []) if s["properties"].get("title") == run.label]
    if ids:
        call(sheets.batchUpdate(spreadsheetId=sheet_id, body={"requests": [{"deleteSheet": {"sheetId": ids[0]}}]}),
             f"delete the trial tab {run.label} from sheet {sheet_id}")


def check_email(run: TrialRun) -> None:
    """One email to the operator through Gmail, and the Message-ID the operator sees."""
    what = f"Send an email to {run.me} through Gmail"
    if run.google.mail != "gmail":
        run.check(what, None, f"mail is {run.google.mail}: the board does not send through Gmail")
        return
    sender = run.google.subject or run.me
    subject = f"scr google-trial {run.label}: a test email"
    message = Message(run.me, run.me, subject, "This email was sent by scr google-trial. Nothing to do but read "
                      "its Message-ID, as the trial asks.", kind="trial", key=run.label)
    mailer = GmailMailer(run.clients.gmail, "scr google-trial", sender)
    if not run.succeeds(what, lambda: mailer.send(run.label, message)):
        return
    run.check(what, True, f"from {sender}")
    expected = message.message_id(run.label, sender)
    answer = run.operator.ask(OperatorStep(
        "message-id", f"Open the email '{subject}' in {run.me}'s inbox, choose 'Show original', and paste its "
        "Message-ID on the next line (or just press Enter to skip)."), run.waiting.timeout)
    keep = "Gmail keeps the Message-ID scr set (resends are recognised)"
    if not answer or not answer.strip():
        run.check(keep, None, "not confirmed: no Message-ID was given")
        return
    same = answer.strip().strip("<>") == expected.strip("<>")
    run.check(keep, same, "ok" if same else f"Gmail replaced it: scr set {expected}, the inbox shows "
              f"{answer.strip()}; a resend after a crash reaches people as a new email")
