"""Drive v3 comments and replies, and the hooks that stand for people commenting in Docs.

As Drive does: every comments/replies method needs an explicit `fields` parameter (400 otherwise);
comments.list pages at most 100 (a larger pageSize is coerced to 100), filters by startModifiedTime and
hides deleted comments unless includeDeleted; a reply with action "resolve" resolves its comment ("reopen" reopens it).
An author is shown as displayName, photoLink and me only: drive.v3 ``Comment.author`` "The author's email
address and permission ID will not be populated" (``Reply.author`` likewise). Only someone who can comment
on the file (a permission on it or on a folder above it, or the owner) can leave a comment.
"""

from __future__ import annotations

import copy
import html
from datetime import datetime
from typing import Any

from .errors import ApiError, invalid
from .state import OWNER, Call, State, paginate, parse_rfc3339, rfc3339


def _require_fields(call: Call) -> None:
    if not call.param("fields"):
        raise invalid("The 'fields' parameter is required for this method.", reason="required",
                      location="fields")


def _comments(state: State, file_id: str) -> list[dict[str, Any]]:
    state.file(file_id)
    return state.comments.setdefault(file_id, [])


def _comment(state: State, file_id: str, comment_id: str) -> dict[str, Any]:
    for comment in _comments(state, file_id):
        if comment["id"] == comment_id:
            return comment
    raise ApiError(404, f"Comment not found: {comment_id}.", reason="notFound", location="commentId")


def _user(name: str, me: bool = False) -> dict[str, Any]:
    """A comment's or reply's author as Drive shows it: never the email address or permission id."""
    return {"kind": "drive#user", "displayName": name, "me": me,
            "photoLink": "//lh3.googleusercontent.com/a/default-user=s64"}


_COMMENTERS = ("commenter", "writer", "fileOrganizer", "organizer", "owner")


def may_comment(state: State, file_id: str, email: str) -> bool:
    """Whether `email` can comment on the file: a permission on it or on a folder above it (or anyone's)."""
    seen: set[str] = set()
    pending = [file_id]
    while pending:
        current = pending.pop()
        if current in seen or current not in state.files:
            continue
        seen.add(current)
        for permission in state.permissions.get(current, []):
            if permission.get("role") in _COMMENTERS and (
                    permission.get("type") == "anyone"
                    or (permission.get("emailAddress") or "").lower() == email.lower()):
                return True
        pending += state.files[current].get("parents", [])
    return False


def _author(state: State, file_id: str, email: str | None, name: str, me: bool) -> dict[str, Any]:
    me = me or (email or "").lower() == OWNER["emailAddress"]  # `me`: the author is the caller
    if not me:
        if not email:
            raise ValueError("a comment needs its author's address: Docs comments need a signed-in account")
        if not may_comment(state, file_id, email):
            raise ValueError(f"{email} cannot comment on file {file_id}: share it with them as commenter")
    return _user(state.account_name(email) or name, me)


def add_comment(state: State, file_id: str, author_email: str | None, author_name: str, content: str,
                quoted_text: str | None, at: datetime | None, me: bool = False) -> dict[str, Any]:
    """Records a comment; `quoted_text` is the text it is anchored to."""
    stamp = rfc3339(at or state.clock())
    author = _author(state, file_id, author_email, author_name, me)
    comment: dict[str, Any] = {
        "kind": "drive#comment", "id": state.new_id("c"), "createdTime": stamp, "modifiedTime": stamp,
        "author": author, "content": content,
        "htmlContent": html.escape(content), "deleted": False, "resolved": False, "replies": [],
    }
    if quoted_text is not None:
        comment["quotedFileContent"] = {"mimeType": "text/html", "value": quoted_text}
        comment["anchor"] = f"kix.{comment['id']}"
    _comments(state, file_id).append(comment)
    state.authors[comment["id"]] = (author_email or OWNER["emailAddress"]).lower()
    return copy.deepcopy(comment)


def add_reply(state: State, file_id: str, comment_id: str, author_email: str | None, author_name: str,
              content: str, action: str | None, at: datetime | None, me: bool = False) -> dict[str, Any]:
    """Records a reply; action "resolve"/"reopen" changes the comment's `resolved`."""
    comment = _comment(state, file_id, comment_id)
    if action not in (None, "resolve", "reopen"):
        raise invalid(f"Invalid reply action {action!r}.")
    if not content and not action:
        raise invalid("A reply needs content or an action.", reason="required")
    stamp = rfc3339(at or state.clock())
    author = _author(state, file_id, author_email, author_name, me)
    reply: dict[str, Any] = {
        "kind": "drive#reply", "id": state.new_id("r"), "createdTime": stamp, "modifiedTime": stamp,
        "author": author, "content": content,
        "htmlContent": html.escape(content), "deleted": False,
    }
    if action:
        reply["action"] = action
        comment["resolved"] = action == "resolve"
    comment["replies"].append(reply)
    state.authors[reply["id"]] = (author_email or OWNER["emailAddress"]).lower()
    comment["modifiedTime"] = max(comment["modifiedTime"], stamp)
    return copy.deepcopy(reply)


def list_comments(call: Call) -> dict[str, Any]:
    _require_fields(call)
    size = min(call.param("pageSize", 20), 100)  # "values above 100 will be coerced to 100"
    if size < 1:
        raise invalid("Invalid Value", location="pageSize")
    comments = _comments(call.state, call.param("fileId"))
    if call.param("startModifiedTime"):
        since = parse_rfc3339(call.param("startModifiedTime"), "startModifiedTime")
        comments = [c for c in comments if parse_rfc3339(c["modifiedTime"], "stored") >= since]
    if not call.param("includeDeleted"):
        comments = [c for c in comments if not c["deleted"]]
    page, token = paginate(comments, call.param("pageToken"), size)
    out: dict[str, Any] = {"kind": "drive#commentList", "comments": copy.deepcopy(page)}
    if token:
        out["nextPageToken"] = token
    return out


def get_comment(call: Call) -> dict[str, Any]:
    _require_fields(call)
    comment = _comment(call.state, call.param("fileId"), call.param("commentId"))
    if comment["deleted"] and not call.param("includeDeleted"):
        raise ApiError(404, f"Comment not found: {comment['id']}.", reason="notFound")
    return copy.deepcopy(comment)


def create_comment(call: Call) -> dict[str, Any]:
    _require_fields(call)
    body = call.body or {}
    if not body.get("content"):
        raise invalid("The comment content field is required.", reason="required")
    quoted = (body.get("quotedFileContent") or {}).get("value")
    return add_comment(call.state, call.param("fileId"), OWNER["emailAddress"], OWNER["displayName"],
                       body["content"], quoted, None, me=True)


def delete_comment(call: Call) -> None:
    comment = _comment(call.state, call.param("fileId"), call.param("commentId"))
    comment["deleted"] = True
    comment["modifiedTime"] = rfc3339(call.state.clock())


def create_reply(call: Call) -> dict[str, Any]:
    _require_fields(call)
    body = call.body or {}
    return add_reply(call.state, call.param("fileId"), call.param("commentId"), OWNER["emailAddress"],
                     OWNER["displayName"], body.get("content", ""), body.get("action"), None, me=True)


def list_replies(call: Call) -> dict[str, Any]:
    _require_fields(call)
    size = call.param("pageSize", 20)
    if not 1 <= size <= 100:
        raise invalid("Invalid Value", location="pageSize")
    replies = _comment(call.state, call.param("fileId"), call.param("commentId"))["replies"]
    if not call.param("includeDeleted"):
        replies = [r for r in replies if not r["deleted"]]
    page, token = paginate(replies, call.param("pageToken"), size)
    out: dict[str, Any] = {"kind": "drive#replyList", "replies": copy.deepcopy(page)}
    if token:
        out["nextPageToken"] = token
    return out


HANDLERS = {
    "drive.comments.list": list_comments,
    "drive.comments.get": get_comment,
    "drive.comments.create": create_comment,
    "drive.comments.delete": delete_comment,
    "drive.replies.create": create_reply,
    "drive.replies.list": list_replies,
}
