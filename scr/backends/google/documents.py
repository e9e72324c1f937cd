"""The review's documents as Google Docs in one Drive folder, found again by appProperties.

Each document carries ``appProperties`` ``scr_review=<review id>`` and ``scr_kind=<name>`` from the moment
it is created, so a second ``write`` (or a retry after a failure) finds and rewrites it instead of making
another. Creating is never retried blindly: after a failed ``files.create``/``files.copy`` the folder is
searched again first.

Requests per operation (without faults; a retried request counts again):

- ``write``: ``files.list`` 1, ``files.create`` or ``files.copy`` 1 only the first time,
  ``documents.get`` 1 and ``documents.batchUpdate`` 1 (clearing and writing in one, all or nothing);
  a document with tables adds ``documents.get`` 1 and ``documents.batchUpdate`` 1, whatever their number;
  the protective marking adds ``documents.get`` 1 (the header, read), and the first time ``documents.get``
  2 and ``documents.batchUpdate`` 3 (the header made, the marking written, then centred and bold).
- ``share``: ``files.list`` 1, ``permissions.list`` 1 per 100 permissions, ``permissions.create`` 1 per
  person who lacks the role, one after another (Drive does not support concurrent changes on one file).
- ``file_id``: ``files.list`` 1.
- ``copy``: ``files.list`` 2 (the source, and the copy if made already), ``files.copy`` 1 only the first time.
- ``holders``: ``files.list`` 1, ``permissions.list`` 1 per 100 permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scr.backends.google.docs_requests import document_requests, table_requests
from scr.backends.google.errors import GoogleError, GoogleNotFound, call, retrying
from scr.domain.email import EmailAddress
from scr.rendering.document import Document

__all__ = ["DOCUMENT_MIME", "GoogleDocuments", "document_url"]

DOCUMENT_MIME = "application/vnd.google-apps.document"
_TITLES = {"factor-summary": "Factor summary", "terms-of-reference": "Terms of reference",
           "terms-of-reference-draft": "Terms of reference (draft)",
           "qm6-evidence": "QM6 evidence"}
#: Drive roles from least to most access; someone holding a role at least as high is not asked again.
_RANK = {"reader": 0, "commenter": 1, "writer": 2, "fileOrganizer": 3, "organizer": 3, "owner": 4}
_SHAREABLE = ("reader", "commenter", "writer")


def document_url(file_id: str) -> str:
    return f"https://docs.google.com/document/d/{file_id}/edit"


def _element_text(element: dict[str, Any]) -> str:
    runs = (element.get("paragraph") or {}).get("elements", [])
    return "".join(run.get("textRun", {}).get("content", "") for run in runs)


def _header_text(doc: dict[str, Any], header_id: str) -> str:
    return "".join(_element_text(e) for e in (doc.get("headers") or {}).get(header_id, {}).get("content", []))


def _quoted(value: str) -> str:
    """`value` as a Drive query string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class GoogleDocuments:
    """Writes review documents as Google Docs in `folder_id` and shares them with named people only.

    `templates` maps a document name (e.g. "terms-of-reference") to the id of a Doc to copy for house style;
    `notify` says whether Drive emails people when a document is shared with them.
    """

    def __init__(
        self,
        drive: Any,
        docs: Any,
        folder_id: str,
        templates: dict[str, str] | None = None,
        notify: bool = True,
        marking_for: Callable[[str], str] | None = None,
    ) -> None:
        self.drive = drive
        self.docs = docs
        self.folder_id = folder_id
        self.templates = dict(templates or {})
        self.notify = notify
        self.marking_for = marking_for  # review id -> its protective marking, put in every Doc's header

    # -- writing ------------------------------------------------------------------------------
    def write(self, review_id: str, name: str, document: Document) -> list[str]:
        """Write `document` as the review's `name` Doc (created once, rewritten after); return its URL."""
        blocks = document.blocks
        file_id = self._ensure(review_id, name)
        label = self._label(review_id, name)
        doc = call(self.docs.documents().get(documentId=file_id, fields="revisionId,body(content(endIndex))"),
                   f"read {label} (Google Doc {file_id}) before rewriting it")
        end = doc["body"]["content"][-1]["endIndex"]
        requests = [{"deleteContentRange": {"range": {"startIndex": 1, "endIndex": end - 1}}}] if end > 2 else []
        requests += document_requests(blocks)
        if requests:
            self._batch(file_id, label, requests, doc["revisionId"], "write the text of")
        if document.tables:
            fields = "revisionId,body(content(table(tableRows(tableCells(content(startIndex))))))"
            doc = call(self.docs.documents().get(documentId=file_id, fields=fields),
                       f"read the tables of {label} (Google Doc {file_id})")
            try:
                requests = table_requests(doc, blocks)
            except ValueError:
                raise GoogleError(f"Could not fill the tables of {label} (Google Doc {file_id}): the document "
                                  "changed while it was being written. Run the step again.") from None
            if requests:
                self._batch(file_id, label, requests, doc["revisionId"], "fill the tables of")
        if self.marking_for is not None:
            self._mark(file_id, label, self.marking_for(review_id))
        return [document_url(file_id)]

    def _mark(self, file_id: str, label: str, marking: str) -> None:
        """The protective marking centred and bold in the Doc's header, as in the .docx; left alone when the header
        (a house-style template's, say) already carries it. The header's indices are read back, not assumed."""
        if not marking:
            return
        doc = self._header(file_id, label)
        header_id = (doc.get("documentStyle") or {}).get("defaultHeaderId")
        if header_id and marking in _header_text(doc, header_id):
            return
        if not header_id:  # CreateHeaderRequest: "applied to the DocumentStyle" when no section break is given
            reply = self._batch(file_id, label, [{"createHeader": {"type": "DEFAULT"}}], doc["revisionId"],
                                "add a header to")
            header_id = reply["replies"][0]["createHeader"]["headerId"]
            doc = self._header(file_id, label)
        insert = {"insertText": {"endOfSegmentLocation": {"segmentId": header_id}, "text": marking}}
        self._batch(file_id, label, [insert], doc["revisionId"], "mark the header of")
        doc = self._header(file_id, label)
        paragraph = next(e for e in doc["headers"][header_id]["content"] if marking in _element_text(e))
        where = {"segmentId": header_id, "startIndex": paragraph.get("startIndex", 0),
                 "endIndex": paragraph["endIndex"]}
        self._batch(file_id, label, [
            {"updateParagraphStyle": {"range": where, "paragraphStyle": {"alignment": "CENTER"},
                                      "fields": "alignment"}},
            {"updateTextStyle": {"range": {**where, "endIndex": where["endIndex"] - 1},
                                 "textStyle": {"bold": True}, "fields": "bold"}},
        ], doc["revisionId"], "style the marking of")

    def _header(self, file_id: str, label: str) -> dict[str, Any]:
        return call(self.docs.documents().get(documentId=file_id, fields="revisionId,documentStyle,headers"),
                    f"read the header of {label} (Google Doc {file_id})")

    def file_id(self, review_id: str, name: str) -> str | None:
        """The id of the review's `name` document in the folder, or None when it was never written."""
        query = " and ".join([
            f"{_quoted(self.folder_id)} in parents",
            "trashed = false",
            f"appProperties has {{ key='scr_review' and value={_quoted(review_id)} }}",
            f"appProperties has {{ key='scr_kind' and value={_quoted(name)} }}",
        ])
        request = self.drive.files().list(
            q=query, fields="files(id,createdTime)", pageSize=10, orderBy="createdTime", spaces="drive",
            supportsAllDrives=True, includeItemsFromAllDrives=True,
        )
        found = call(request, f"look for {self._label(review_id, name)} in Drive folder {self.folder_id}")
        files = found.get("files", [])
        return files[0]["id"] if files else None

    def _label(self, review_id: str, name: str) -> str:
        return f"the {name} document of review {review_id}"

    def _title(self, review_id: str, name: str) -> str:
        return f"{review_id} {_TITLES.get(name, name.replace('-', ' ').capitalize())}"

    def _batch(self, file_id: str, label: str, requests: list[dict], revision: str, doing: str) -> dict[str, Any]:
        body = {"requests": requests, "writeControl": {"requiredRevisionId": revision}}
        try:
            request = self.docs.documents().batchUpdate(documentId=file_id, body=body)
            return call(request, f"{doing} {label} (Google Doc {file_id})")
        except GoogleError as error:
            if error.status != 400:
                raise
            raise GoogleError(f"{error} The document was changed by someone else while scr wrote it (or the request "
                              "was refused): run the step again; it rewrites the whole document.", 400) from None

    def copy(self, review_id: str, source: str, name: str, title: str) -> str:
        """The id of the review's `name` document: a copy of its `source` document, made once, titled `title`."""
        source_id = self.file_id(review_id, source)
        if source_id is None:
            raise GoogleNotFound(f"Cannot copy {self._label(review_id, source)}: it is not in Drive folder "
                                 f"{self.folder_id}. Write the document first.")
        return self._ensure(review_id, name, source_id, title)

    def _ensure(self, review_id: str, name: str, source: str | None = None, title: str | None = None) -> str:
        """The document's id, creating it when the folder has none; never two for one review and name (after a
        failed create the folder is searched again before another)."""
        existing = self.file_id(review_id, name)
        if existing is not None:
            return existing
        return retrying(lambda: self._create(review_id, name, source or self.templates.get(name), title),
                        recheck=lambda: self.file_id(review_id, name))

    def _create(self, review_id: str, name: str, source: str | None, title: str | None) -> str:
        body = {"name": title or self._title(review_id, name), "parents": [self.folder_id],
                "appProperties": {"scr_review": review_id, "scr_kind": name}}
        if source:
            request = self.drive.files().copy(fileId=source, body=body, fields="id", supportsAllDrives=True)
            what = f"copy Doc {source} as {self._label(review_id, name)} into Drive folder {self.folder_id}"
        else:
            request = self.drive.files().create(body={**body, "mimeType": DOCUMENT_MIME}, fields="id",
                                                supportsAllDrives=True)
            what = f"create {self._label(review_id, name)} in Drive folder {self.folder_id}"
        return call(request, what, retries=0)["id"]

    # -- sharing ------------------------------------------------------------------------------
    def share(self, review_id: str, name: str, people: list[tuple[str, str]], message: str) -> int:
        """Give each (email, "commenter" | "writer") access, one at a time; return how many were granted."""
        for email, role in people:
            if role not in _SHAREABLE:
                raise ValueError(f"Cannot share {self._label(review_id, name)} with {email} as {role!r}: "
                                 f"use one of {', '.join(_SHAREABLE)}.")
        file_id = self.file_id(review_id, name)
        if file_id is None:
            raise GoogleNotFound(f"Cannot share {self._label(review_id, name)}: it is not in Drive folder "
                                 f"{self.folder_id}. Write the document first, then share it.")
        held = self._roles(file_id, review_id, name)
        granted = 0
        for email, role in people:  # serial on purpose: Drive refuses concurrent permission changes on a file
            key = EmailAddress(email)
            if held.get(key, -1) >= _RANK[role]:
                continue
            self._grant(file_id, review_id, name, (email.strip(), role), message, held)
            held[key] = _RANK[role]
            granted += 1
        return granted

    def holders(self, review_id: str, name: str) -> dict[str, str | None]:
        """Lower-cased email -> the name of their Google account ("as defined for their Google Account", says
        Permission.displayName; None when Drive gives none), for each user who can open the document."""
        file_id = self.file_id(review_id, name)
        if file_id is None:
            raise GoogleNotFound(f"Cannot read who can open {self._label(review_id, name)}: it is not in Drive "
                                 f"folder {self.folder_id}.")
        return {email: shown for email, (_, shown) in self._permissions(file_id, review_id, name).items()}

    def _roles(self, file_id: str, review_id: str, name: str) -> dict[str, int]:
        """Lower-cased email -> rank of the highest role each user already holds on the file."""
        return {email: rank for email, (rank, _) in self._permissions(file_id, review_id, name).items()}

    def _permissions(self, file_id: str, review_id: str, name: str) -> dict[str, tuple[int, str | None]]:
        held: dict[str, tuple[int, str | None]] = {}
        token = None
        while True:
            request = self.drive.permissions().list(
                fileId=file_id, fields="nextPageToken,permissions(type,emailAddress,role,displayName)",
                pageSize=100, pageToken=token, supportsAllDrives=True,
            )
            page = call(request, f"read who can open {self._label(review_id, name)} (Google Doc {file_id})")
            for permission in page.get("permissions", []):
                email = EmailAddress(permission.get("emailAddress") or "")
                if permission.get("type") == "user" and email:
                    rank = max(held.get(email, (-1, None))[0], _RANK.get(permission.get("role", ""), -1))
                    held[email] = (rank, permission.get("displayName") or held.get(email, (0, None))[1])
            token = page.get("nextPageToken")
            if not token:
                return held

    def _grant(self, file_id: str, review_id: str, name: str, person: tuple[str, str], message: str,
               held: dict[str, int]) -> None:
        email, role = person
        notify: dict[str, Any] = {"sendNotificationEmail": True, "emailMessage": message} if self.notify else {
            "sendNotificationEmail": False}
        what = f"share {self._label(review_id, name)} (Google Doc {file_id}) with {email} as {role}"

        def grant() -> bool:
            request = self.drive.permissions().create(
                fileId=file_id, body={"type": "user", "role": role, "emailAddress": email}, fields="id",
                supportsAllDrives=True, **notify,
            )
            call(request, what, retries=0)
            return True

        def granted_after_all() -> bool | None:  # the failed call may have been applied: never grant (notify) twice
            held.update(self._roles(file_id, review_id, name))
            return True if held.get(EmailAddress(email), -1) >= _RANK[role] else None

        retrying(grant, recheck=granted_after_all)
