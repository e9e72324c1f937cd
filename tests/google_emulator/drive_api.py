"""Drive v3 files and permissions (metadata only: no media upload or download).

Like Drive, answers carry only kind, id, name and mimeType unless the request names `fields`.
Docs, Sheets and Forms created through their own APIs are Drive files here too, and
`files.copy` copies their content (a template Doc copied keeps its text).
"""

from __future__ import annotations

import copy
from typing import Any

from . import docs_api, sheets_api
from .drive_query import compile_query
from .errors import ApiError, invalid
from .state import DOCUMENT, FOLDER, FORM, SPREADSHEET, Call, paginate

_FILE_DEFAULT = ("kind", "id", "name", "mimeType")
_PERMISSION_DEFAULT = ("kind", "id", "type", "role")
#: Drive's answer to sharing with an address that has no Google account without a notification
#: (seen in public issue threads; Drive's sharing guide: such people are invited by email).
NO_ACCOUNT = ("Bad Request. User message: \"You are trying to invite {email}. Since there is no Google account "
              "associated with this email address, you must check the 'Notify people' box to invite this recipient.\"")
_WRITABLE = {"name", "mimeType", "parents", "appProperties", "properties", "description", "starred", "trashed"}


def _project(call: Call, resource: dict[str, Any], default: tuple[str, ...]) -> dict[str, Any]:
    resource = copy.deepcopy(resource)
    return resource if call.param("fields") else {k: v for k, v in resource.items() if k in default}


def _check_writable(body: dict[str, Any], allowed: set[str]) -> None:
    for name in body:
        if name not in allowed:
            raise ApiError(403, f"The resource body includes fields which are not directly writable: {name}.",
                           reason="fieldNotWritable")


def create_file(call: Call) -> dict[str, Any]:
    body = call.body or {}
    _check_writable(body, _WRITABLE)
    state = call.state
    mime = body.get("mimeType", "application/octet-stream")
    for parent in body.get("parents", []):
        state.file(parent)
    if mime != FOLDER:
        state.may_own_files_in((body.get("parents") or ["root"])[0])
    meta = state.new_file(body.get("name") or "Untitled", mime, body.get("parents"))
    for key in ("appProperties", "properties"):
        meta[key].update({k: v for k, v in (body.get(key) or {}).items() if v is not None})
    if "description" in body:
        meta["description"] = body["description"]
    if mime == DOCUMENT:
        state.documents[meta["id"]] = docs_api.Document()
    elif mime == SPREADSHEET:
        state.spreadsheets[meta["id"]] = sheets_api.new_spreadsheet(state, meta["id"])
    elif mime == FORM:
        raise ApiError(501, "Create forms with forms.create; the emulator does not create them through Drive.")
    return _project(call, meta, _FILE_DEFAULT)


def get_file(call: Call) -> dict[str, Any]:
    return _project(call, call.state.file(call.param("fileId")), _FILE_DEFAULT)


def list_files(call: Call) -> dict[str, Any]:
    predicate = compile_query(call.param("q"))
    size = call.param("pageSize") or 100
    if not 1 <= size <= 1000:
        raise invalid("Invalid Value", location="pageSize")
    matches = sorted((f for f in call.state.files.values() if call.state.visible(f["id"]) and predicate(f)),
                     key=lambda f: f["createdTime"])
    page, token = paginate(matches, call.param("pageToken"), size)
    files = [_project(call, f, _FILE_DEFAULT) for f in page]
    out: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False, "files": files}
    if token:
        out["nextPageToken"] = token
    return out


def copy_file(call: Call) -> dict[str, Any]:
    state = call.state
    source = state.file(call.param("fileId"))
    body = call.body or {}
    _check_writable(body, _WRITABLE)
    for parent in body.get("parents", []):
        state.file(parent)
    state.may_own_files_in((body.get("parents") or source["parents"])[0])
    meta = state.new_file(body.get("name") or f"Copy of {source['name']}", source["mimeType"],
                          body.get("parents") or list(source["parents"]))
    for key in ("appProperties", "properties"):
        meta[key] = {**source.get(key, {}), **(body.get(key) or {})}
    for store in (state.documents, state.spreadsheets, state.forms):
        if source["id"] in store:
            store[meta["id"]] = copy.deepcopy(store[source["id"]])
    if source["id"] in state.forms:
        state.forms[meta["id"]]["formId"] = meta["id"]
        state.responses[meta["id"]] = []
    if source["id"] in state.spreadsheets:
        state.spreadsheets[meta["id"]].spreadsheet_id = meta["id"]
    return _project(call, meta, _FILE_DEFAULT)


def update_file(call: Call) -> dict[str, Any]:
    state = call.state
    meta = state.file(call.param("fileId"))
    body = call.body or {}
    _check_writable(body, _WRITABLE - {"parents"})
    for key, value in body.items():
        if key in ("appProperties", "properties"):
            merged = {**meta.get(key, {}), **value}
            meta[key] = {k: v for k, v in merged.items() if v is not None}
        else:
            meta[key] = value
    parents = [p for p in meta["parents"] if p not in (call.param("removeParents") or "").split(",")]
    for parent in filter(None, (call.param("addParents") or "").split(",")):
        state.file(parent)
        parents.append(parent)
    meta["parents"] = parents
    state.touch(meta["id"])
    return _project(call, meta, _FILE_DEFAULT)


def delete_file(call: Call) -> None:
    state = call.state
    file_id = state.file(call.param("fileId"))["id"]
    for store in (state.files, state.documents, state.spreadsheets, state.forms, state.comments,
                  state.permissions):
        store.pop(file_id, None)


def create_permission(call: Call) -> dict[str, Any]:
    state = call.state
    file_id = state.file(call.param("fileId"))["id"]
    body = call.body or {}
    for name in ("type", "role"):
        if not body.get(name):
            raise invalid(f"The permission {name} field is required.", reason="required",
                          location=f"permission.{name}")
    email = body.get("emailAddress")
    if body["type"] in ("user", "group") and not email:
        raise invalid("The permission emailAddress field is required for users and groups.", reason="required")
    if body.get("view") not in (None, "published") or (body.get("view") and body["role"] != "reader"):
        raise invalid("A permission's view can only be 'published', with role 'reader'.", location="permission.view")
    notify = call.param("sendNotificationEmail", body["type"] in ("user", "group"))
    if body["type"] == "user" and not notify and state.account_name(email) is None:
        raise invalid(NO_ACCOUNT.format(email=email), reason="invalidSharingRequest")
    state.permission_calls.append({
        "fileId": file_id, "type": body["type"], "role": body["role"], "emailAddress": email,
        "view": body.get("view"), "sendNotificationEmail": notify, "emailMessage": call.param("emailMessage"),
    })
    permissions = state.permissions.setdefault(file_id, [])
    for existing in permissions:
        if (existing.get("emailAddress") == email and existing["type"] == body["type"]
                and existing.get("view") == body.get("view")):
            existing["role"] = body["role"]
            return _project(call, existing, _PERMISSION_DEFAULT)
    permission = {"kind": "drive#permission", "id": state.new_id("p"), **body}
    if body["type"] == "user" and state.account_name(email):
        permission["displayName"] = state.account_name(email)
    permissions.append(permission)
    return _project(call, permission, _PERMISSION_DEFAULT)


def list_permissions(call: Call) -> dict[str, Any]:
    state = call.state
    file_id = state.file(call.param("fileId"))["id"]
    permissions = [_project(call, p, _PERMISSION_DEFAULT) for p in state.permissions.get(file_id, [])]
    return {"kind": "drive#permissionList", "permissions": permissions}


def delete_permission(call: Call) -> None:
    state = call.state
    file_id = state.file(call.param("fileId"))["id"]
    permissions = state.permissions.get(file_id, [])
    wanted = call.param("permissionId")
    if not any(p["id"] == wanted for p in permissions):
        raise ApiError(404, f"Permission not found: {wanted}.", reason="notFound", location="permissionId")
    state.permissions[file_id] = [p for p in permissions if p["id"] != wanted]


HANDLERS = {
    "drive.files.create": create_file,
    "drive.files.get": get_file,
    "drive.files.list": list_files,
    "drive.files.copy": copy_file,
    "drive.files.update": update_file,
    "drive.files.delete": delete_file,
    "drive.permissions.create": create_permission,
    "drive.permissions.list": list_permissions,
    "drive.permissions.delete": delete_permission,
}
