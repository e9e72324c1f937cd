"""Reviewers' comments on a Google Doc, read through Drive, and where in the document each one points.

Comments are read, never written (the Docs comment-writing requests are a Developer Preview). One poll of
a document costs one ``drive.comments.list`` request per 100 comments (replies come inside their comment),
whatever the number of reviewers; ``document_sections`` costs one ``documents.get``.

A reviewer marks their review complete with a comment or reply whose first word is the keyword
(``is_completion``). Comment text is returned to the caller and never logged or put in an error.

Drive never says who wrote a comment by address: drive.v3 ``Comment.author`` "The author's email address and
permission ID will not be populated" (``Reply.author`` likewise). An author is a display name and whether it
is ``me`` (the account the tool runs as); ``GoogleReviewerDocs`` tells reviewers apart by giving each their own
copy of the summary.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scr.backends.google.errors import call

__all__ = ["GENERAL", "DocComment", "DocReply", "GoogleComments", "document_sections", "is_completion",
           "section_of", "split_sections"]

GENERAL = "general"
_PAGE_SIZE = 100
_PERSON = "author(displayName,me)"
_FIELDS = (f"nextPageToken,comments(id,{_PERSON},content,quotedFileContent(value),modifiedTime,resolved,deleted,"
           f"replies(id,{_PERSON},content,modifiedTime,action,deleted))")
_ITEM_HEADING = re.compile(r"^\s*([A-Z][0-9]+)\s*:")
_FIRST_WORD = re.compile(r"[\W_]*([^\W_]+)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DocReply:
    reply_id: str
    author_me: bool  # written by the account the tool runs as
    author_name: str
    content: str
    modified_at: datetime
    action: str | None  # "resolve" | "reopen" | None


@dataclass(frozen=True)
class DocComment:
    comment_id: str
    author_me: bool
    author_name: str
    content: str
    quoted_text: str | None  # the document text the comment is anchored to
    modified_at: datetime
    resolved: bool
    replies: tuple[DocReply, ...]


def _timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("since must be timezone-aware (for example datetime.now(UTC))")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _reply(raw: dict[str, Any]) -> DocReply:
    author = raw.get("author", {})
    return DocReply(raw["id"], bool(author.get("me")), author.get("displayName", ""), raw.get("content", ""),
                    _timestamp(raw["modifiedTime"]), raw.get("action"))


def _comment(raw: dict[str, Any]) -> DocComment:
    author = raw.get("author", {})
    quoted = (raw.get("quotedFileContent") or {}).get("value")
    replies = tuple(_reply(r) for r in raw.get("replies", []) if not r.get("deleted"))
    return DocComment(raw["id"], bool(author.get("me")), author.get("displayName", ""), raw.get("content", ""),
                      html.unescape(quoted) if quoted is not None else None, _timestamp(raw["modifiedTime"]),
                      bool(raw.get("resolved")), replies)


class GoogleComments:
    """Reads the comments people leave on the review's Google Docs."""

    def __init__(self, drive: Any, docs: Any) -> None:
        self.drive = drive
        self.docs = docs

    def read(self, file_id: str, since: datetime | None = None) -> list[DocComment]:
        """Comments (with their replies) modified at or after `since`, or all; deleted ones left out."""
        extra = {"startModifiedTime": _rfc3339(since)} if since is not None else {}
        comments: list[DocComment] = []
        token = None
        while True:
            request = self.drive.comments().list(fileId=file_id, fields=_FIELDS, pageSize=_PAGE_SIZE,
                                                 includeDeleted=False, pageToken=token, **extra)
            page = call(request, f"read the comments on Google Doc {file_id}")
            comments += [_comment(raw) for raw in page.get("comments", []) if not raw.get("deleted")]
            token = page.get("nextPageToken")
            if not token:
                return comments

    def sections(self, file_id: str) -> list[tuple[str, str]]:
        """The document's sections (see `document_sections`)."""
        return document_sections(self.docs, file_id)


def _paragraph_text(paragraph: dict[str, Any]) -> str:
    return "".join(e.get("textRun", {}).get("content", "") for e in paragraph.get("elements", []))


def _content_text(content: list[dict[str, Any]]) -> str:
    parts = []
    for element in content:
        if "paragraph" in element:
            parts.append(_paragraph_text(element["paragraph"]))
        for row in element.get("table", {}).get("tableRows", []):
            for cell in row.get("tableCells", []):
                parts.append(_content_text(cell.get("content", [])))
    return "".join(parts)


def split_sections(content: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """A documents.get body's content split at headings starting with an item id ("B1: ..."); pure."""
    sections: list[tuple[str, list[dict[str, Any]]]] = [(GENERAL, [])]
    for element in content:
        paragraph = element.get("paragraph")
        if paragraph is not None:
            style = paragraph.get("paragraphStyle", {}).get("namedStyleType", "")
            found = _ITEM_HEADING.match(_paragraph_text(paragraph))
            if style.startswith("HEADING_") and found:
                sections.append((found.group(1), []))
        sections[-1][1].append(element)
    return [(section_id, _content_text(elements)) for section_id, elements in sections
            if section_id != GENERAL or elements]


def document_sections(docs: Any, file_id: str) -> list[tuple[str, str]]:
    """(section id, section text) in document order, read with one documents.get; "general" comes first."""
    fields = "body(content(paragraph(elements(textRun(content)),paragraphStyle(namedStyleType)),table))"
    document = call(docs.documents().get(documentId=file_id, fields=fields),
                    f"read the sections of Google Doc {file_id}")
    return split_sections(document.get("body", {}).get("content", []))


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u000b", " ")).strip().casefold()


def section_of(quoted_text: str | None, sections: list[tuple[str, str]]) -> str:
    """The id of the first item's section whose text contains `quoted_text` (spacing and case aside), else
    "general". Item sections come first: the summary's opening overview repeats every factor's label, and a
    comment on a label belongs to that factor."""
    needle = _normal(quoted_text or "")
    if not needle:
        return GENERAL
    for section_id, text in sections:
        if section_id != GENERAL and needle in _normal(text):
            return section_id
    return GENERAL


def is_completion(text: str, keyword: str = "COMPLETE") -> bool:
    """True when `text` starts with `keyword` written as the invitation shows it, in capitals ("COMPLETE." counts).

    Case matters: a comment starting "Complete chronology needed" is a comment, not a completion.
    """
    found = _FIRST_WORD.match(text or "")
    return bool(found) and found.group(1) == keyword.upper()
