"""The trial's document checks: a reviewer's own copy of the summary that the operator comments on (who
Google says wrote each comment, COMPLETE, sections), and a Doc with headings, bullets, a table and
non-Latin text written by the product and read back.

Comment text is read to test the COMPLETE keyword and the section it is tied to; it is never shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from scr.backends.google.comments import GENERAL, GoogleComments, document_sections, is_completion, section_of
from scr.backends.google.documents import GoogleDocuments, document_url
from scr.backends.google.errors import call
from scr.backends.google.trial import OperatorStep, TrialRun
from scr.rendering import parse_document

__all__ = ["NON_LATIN", "QUOTE", "Outline", "check_document", "check_reviewer_copy", "outline"]

QUOTE = "the words to comment on"  # in section B1 of the trial summary: the operator selects these
SUMMARY = f"""# Factor summary (trial)

This copy exists for scr google-trial and goes to the trash when the trial ends.

## B1: A case factor

Select {QUOTE} and comment on them.

## C1: A context factor

Nothing to do here.
"""
NON_LATIN = ("Zoë Ødegård", "Łódź", "Ελληνικά", "Українська", "العربية", "עברית", "中文", "हिन्दी", "👶🏽")
BULLETS = ("A first point, in a list", "A second point: " + ", ".join(NON_LATIN[:4]))
TABLE = (("Agency", "Status"), ("Children's Social Care", "Answered"), ("Поліція", "Не відповіла"))
DOCUMENT = "\n".join([
    "# Trial document", "", "## B1: Headings, bullets and a table", "",
    *(f"- {text}" for text in BULLETS), "",
    f"| {' | '.join(TABLE[0])} |", "|---|---|", *(f"| {' | '.join(row)} |" for row in TABLE[1:]), "",
    "Closing words: " + " ".join(NON_LATIN), "",
])
_AUTHOR_FIELDS = {"kind", "displayName", "photoLink", "me"}  # drive.v3 Comment.author: no email, no permission id


def _write(run: TrialRun, name: str, markdown: str, what: str) -> str | None:
    """The product writes `markdown` as a Doc in the trial folder; its id, kept to trash even if writing failed."""
    documents = GoogleDocuments(run.clients.drive, run.clients.docs, run.folder_id)
    written = run.succeeds(what, lambda: documents.write(run.label, name, parse_document(markdown)))
    file_id = run.attempt(f"Find the {name} Doc to trash it", lambda: documents.file_id(run.label, name))
    if file_id:
        run.made.append(file_id)
    if not written or not file_id:
        return None
    run.check(what, True, f"Doc {file_id}")
    return file_id


def check_reviewer_copy(run: TrialRun) -> None:
    """A reviewer's own copy of the summary: shared, commented on by the operator, read back."""
    summary_id = _write(run, "factor-summary", SUMMARY, "Write a factor summary as a Google Doc")
    if summary_id is None:
        return
    copy_id = run.attempt(f"Make a reviewer's copy shared with {run.me} alone, as commenter",
                          lambda: _copy_for_operator(run, summary_id))
    if copy_id is None:
        return
    run.operator.tell(OperatorStep(
        "comment", f"Open {document_url(copy_id)} as {run.me}. Under 'B1', select the words '{QUOTE}' and "
        "comment on them (anything). Then add a comment of its own starting with "
        f"{run.google.completion_keyword}.", document_url(copy_id), copy_id))
    found = run.waiting.until(lambda: _once_complete(run, copy_id))
    if found is None:
        run.check("Your comments arrive", None, f"no comment starting {run.google.completion_keyword} within "
                  f"{run.waiting.timeout / 60:g} minute(s)")
        return
    _check_authors(run, found)
    _check_reading(run, copy_id)


def _copy_for_operator(run: TrialRun, summary_id: str) -> str:
    drive = run.clients.drive
    body = {"name": f"{run.label} Factor summary, copy for {run.me}", "parents": [run.folder_id]}
    copy_id = call(drive.files().copy(fileId=summary_id, body=body, fields="id", supportsAllDrives=True),
                   f"copy trial summary {summary_id}", retries=0)["id"]
    run.made.append(copy_id)
    permission = {"type": "user", "role": "commenter", "emailAddress": run.me}
    call(drive.permissions().create(fileId=copy_id, body=permission, sendNotificationEmail=True, fields="id",
                                    emailMessage="scr google-trial: comment on this copy as the trial asks.",
                                    supportsAllDrives=True), f"share trial copy {copy_id} with {run.me}", retries=0)
    run.check(f"Make a reviewer's copy shared with {run.me} alone, as commenter", True, f"Doc {copy_id}")
    return copy_id


def _said(run: TrialRun, file_id: str) -> list[dict[str, Any]]:
    """Every comment and reply on the file, as Google gives them (author, content, quoted text)."""
    fields = "comments(id,author,content,quotedFileContent,replies(id,author,content))"
    page = call(run.clients.drive.comments().list(fileId=file_id, fields=fields, pageSize=100),
                f"read the comments on trial copy {file_id}")
    return [said for c in page.get("comments", []) for said in [c, *c.get("replies", [])]]


def _once_complete(run: TrialRun, file_id: str) -> list[dict[str, Any]] | None:
    said = _said(run, file_id)
    done = any(is_completion(s.get("content", ""), run.google.completion_keyword) for s in said)
    return said if done else None


def _check_authors(run: TrialRun, said: list[dict[str, Any]]) -> None:
    fields = sorted({name for s in said for name in (s.get("author") or {})})
    extra = sorted(set(fields) - _AUTHOR_FIELDS)
    run.check("Comment authors carry a name and 'me', and no email", not extra and "displayName" in fields,
              f"author fields {', '.join(fields) or 'none'}" + (
                  f"; Google also gave {', '.join(extra)}, which drive.v3 says it leaves out" if extra else ""))
    mine = sum(bool((s.get("author") or {}).get("me")) for s in said)
    run.check(f"'me' is false on comments by {run.me}", mine == 0, "ok" if mine == 0 else
              f"'me' is true on {mine} of {len(said)}: Google sees {run.me} as the account the tool acts as. A lead "
              "reviewer must never be that account; run the trial with --me another person's address")


def _check_reading(run: TrialRun, copy_id: str) -> None:
    comments = GoogleComments(run.clients.drive, run.clients.docs)
    read = comments.read(copy_id)
    sections = document_sections(run.clients.docs, copy_id)
    texts = [(c.content, c.quoted_text) for c in read] + [(r.content, c.quoted_text) for c in read for r in c.replies]
    keyword = run.google.completion_keyword
    run.check(f"A comment starting {keyword} is read as the end of a review",
              any(is_completion(text, keyword) for text, _ in texts))
    anchored = [section_of(html.unescape(quote), sections) for c in read if (quote := c.quoted_text)]
    placed = sorted({section for section in anchored if section != GENERAL})
    run.check("A comment on selected words is tied to its section", bool(placed),
              f"tied to {', '.join(placed)}" if placed else
              "no comment carried the words it was made on" if not anchored else
              "the words commented on were not found in any section")


def check_document(run: TrialRun) -> None:
    """A Doc with headings, bullets, a table and non-Latin text, written by the product and read back."""
    file_id = _write(run, "trial-document", DOCUMENT, "Write a Doc with headings, bullets, a table and non-Latin text")
    if file_id is None:
        return
    fields = ("body(content(paragraph(elements(textRun(content)),paragraphStyle(namedStyleType),bullet(listId)),"
              "table(rows,columns,tableRows(tableCells(content(paragraph(elements(textRun(content)))))))))")
    content = call(run.clients.docs.documents().get(documentId=file_id, fields=fields),
                   f"read back trial Doc {file_id}").get("body", {}).get("content", [])
    _check_structure(run, content)


def _text(paragraph: dict[str, Any]) -> str:
    return "".join(e.get("textRun", {}).get("content", "") for e in paragraph.get("elements", [])).strip()


@dataclass(frozen=True)
class Outline:
    """What a documents.get body holds, as the trial compares it: styles by text, list items, table cells."""

    styles: dict[str, str]  # paragraph text -> namedStyleType
    list_items: list[str]  # texts of paragraphs that are items of a Google Docs list (they carry `bullet`)
    paragraphs: list[str]
    tables: list[list[tuple[str, ...]]]  # each table's rows of cell texts

    @property
    def text(self) -> str:
        return "".join(self.paragraphs) + "".join(" ".join(row) for table in self.tables for row in table)


def outline(content: list[dict[str, Any]]) -> Outline:
    """The outline of a Body's `content` (a documents.get answer); pure."""
    paragraphs = [e["paragraph"] for e in content if "paragraph" in e]
    tables = [[tuple(" ".join(_text(p["paragraph"]) for p in cell.get("content", []) if "paragraph" in p).strip()
                     for cell in row.get("tableCells", [])) for row in e["table"].get("tableRows", [])]
              for e in content if "table" in e]
    return Outline({_text(p): (p.get("paragraphStyle") or {}).get("namedStyleType", "") for p in paragraphs},
                   [_text(p) for p in paragraphs if "bullet" in p], [_text(p) for p in paragraphs], tables)


def _check_structure(run: TrialRun, content: list[dict[str, Any]]) -> None:
    found = outline(content)
    headings = ("Trial document", "B1: Headings, bullets and a table")
    run.check("Headings come back as Google Docs headings",
              all(found.styles.get(h, "").startswith("HEADING_") for h in headings),
              ", ".join(f"{h!r}: {found.styles.get(h) or 'missing'}" for h in headings))
    real = sum(any(item.endswith(b) for item in found.list_items) for b in BULLETS)
    run.check("Bullets come back as a Google Docs list", real == len(BULLETS),
              "ok" if real == len(BULLETS) else f"{real} of {len(BULLETS)} are list items; the others are "
              "paragraphs of text")
    first = tuple(found.tables[0]) if found.tables else ()
    run.check("The table comes back with its rows and cells", first == TABLE,
              "ok" if first == TABLE else f"{len(found.tables)} table(s); the first holds {len(first)} row(s) "
              "that differ from what was written")
    lost = [text for text in NON_LATIN if text not in found.text]
    run.check("Non-Latin text comes back unchanged (indices in UTF-16 code units)", not lost,
              "ok" if not lost else f"{len(lost)} of {len(NON_LATIN)} samples changed or missing")
