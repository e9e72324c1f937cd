"""Forms v1: create, get, batchUpdate, setPublishSettings, responses.list/get, and `add_response`.

As Google does: create takes only the title, and the form is published unless ``unpublished=true`` (the
parameter's description); responses.list filters only by ``timestamp > T`` / ``timestamp >= T``;
respondentEmail only when the form collects emails; only a person holding a Drive permission on the form with
``view: "published"`` and role reader (or an editor) can respond (googleworkspace/python-samples
forms/snippets/add_responder.py). Which time the filter compares for an edited response, and whether an
"other" option may omit ``value``, Google does not say: ``State.behaviours`` chooses.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from .errors import ApiError, invalid
from .state import FORM, Call, State, paginate, parse_rfc3339, rfc3339

_FILTER = re.compile(r"\s*timestamp\s*(>=|>)\s*(\S+)\s*\Z")
_KINDS = ("choiceQuestion", "textQuestion", "scaleQuestion", "dateQuestion", "timeQuestion",
          "fileUploadQuestion", "rowQuestion", "ratingQuestion")


def _form(state: State, form_id: str) -> dict[str, Any]:
    form = state.forms.get(form_id)
    if form is None:
        raise ApiError(404, f"Requested entity was not found. (form {form_id})")
    return form


def create(call: Call) -> dict[str, Any]:
    body = call.body or {}
    info = body.get("info") or {}
    if set(body) - {"info"} or set(info) - {"title", "documentTitle"}:
        raise invalid("Only info.title and info.document_title can be set when creating a form. "
                      "To add items and change settings, use batchUpdate.")
    state = call.state
    unpublished = bool(call.param("unpublished"))
    title = info.get("title", "")
    meta = state.new_file(info.get("documentTitle") or title or "Untitled form", FORM)
    form_id = meta["id"]
    state.forms[form_id] = {
        "formId": form_id,
        "info": {"title": title, "documentTitle": meta["name"]},
        "settings": {"emailCollectionType": "DO_NOT_COLLECT"},
        "revisionId": "00000001",
        "responderUri": f"https://docs.google.com/forms/d/e/{form_id}/viewform",
        "publishSettings": {"publishState": {"isPublished": not unpublished, "isAcceptingResponses": not unpublished}},
    }
    state.responses[form_id] = []
    return copy.deepcopy(state.forms[form_id])


def get(call: Call) -> dict[str, Any]:
    return copy.deepcopy(_form(call.state, call.param("formId")))


def batch_update(call: Call) -> dict[str, Any]:
    state, body = call.state, call.body or {}
    original = _form(state, call.param("formId"))
    required = (body.get("writeControl") or {}).get("requiredRevisionId")
    if required and required != original["revisionId"]:
        raise invalid(f"The required revision ID {required!r} does not match the latest revision.")
    form = copy.deepcopy(original)  # all requests apply, or none
    replies = [_apply(state, form, request, i) for i, request in enumerate(body.get("requests", []))]
    form["revisionId"] = f"{int(form['revisionId']) + 1:08d}"
    state.forms[form["formId"]] = form
    state.files[form["formId"]]["name"] = form["info"].get("documentTitle", form["info"].get("title", ""))
    state.touch(form["formId"])
    out: dict[str, Any] = {"replies": replies, "writeControl": {"requiredRevisionId": form["revisionId"]}}
    if body.get("includeFormInResponse"):
        out["form"] = copy.deepcopy(form)
    return out


def _apply(state: State, form: dict[str, Any], request: dict[str, Any], i: int) -> dict[str, Any]:
    if len(request) != 1:
        raise invalid(f"requests[{i}]: exactly one kind of request must be set")
    kind, spec = next(iter(request.items()))
    items = form.setdefault("items", [])
    if kind == "createItem":
        item = copy.deepcopy(spec.get("item") or {})
        index = _index(spec.get("location"), len(items) + 1, i)
        question_ids = _assign_ids(state, item, i)
        items.insert(index, item)
        return {"createItem": {"itemId": item["itemId"], "questionId": question_ids}}
    if kind == "updateFormInfo":
        _masked_update(form.setdefault("info", {}), spec.get("info") or {}, spec.get("updateMask"), i)
    elif kind == "updateSettings":
        _masked_update(form.setdefault("settings", {}), spec.get("settings") or {}, spec.get("updateMask"), i)
    elif kind == "deleteItem":
        items.pop(_index(spec.get("location"), len(items), i))
    elif kind == "moveItem":
        item = items.pop(_index(spec.get("originalLocation"), len(items), i))
        items.insert(_index(spec.get("newLocation"), len(items) + 1, i), item)
    elif kind == "updateItem":
        index = _index(spec.get("location"), len(items), i)
        _masked_update(items[index], spec.get("item") or {}, spec.get("updateMask"), i)
    else:
        raise ApiError(501, f"The emulator does not implement forms batchUpdate {kind}.")
    return {}


def _index(location: dict[str, Any] | None, limit: int, i: int) -> int:
    if location is None or "index" not in location:
        raise invalid(f"requests[{i}]: location.index is required")
    index = int(location["index"])
    if not 0 <= index < limit:
        raise invalid(f"requests[{i}]: location.index {index} is out of range (form has {limit} slots)")
    return index


def _assign_ids(state: State, item: dict[str, Any], i: int) -> list[str]:
    item["itemId"] = state.new_hex()
    questions = []
    if "questionItem" in item:
        questions = [item["questionItem"].setdefault("question", {})]
    elif "questionGroupItem" in item:
        questions = item["questionGroupItem"].get("questions", [])
    for question in questions:
        kinds = [k for k in _KINDS if k in question]
        if len(kinds) != 1:
            raise invalid(f"requests[{i}]: a question must have exactly one kind, got {kinds or 'none'}")
        if "choiceQuestion" in question:
            _check_options(state, question["choiceQuestion"].get("options") or [], i)
        question["questionId"] = state.new_hex()
    return [q["questionId"] for q in questions]


def _check_options(state: State, options: list[dict[str, Any]], i: int) -> None:
    """Option.value is "Required"; whether an isOther option may omit it is what `behaviours` says."""
    if not options:
        raise invalid(f"requests[{i}]: a choice question needs at least one option")
    lenient = state.behaviours.other_value == "optional"
    for n, option in enumerate(options):
        if not option.get("value") and not (option.get("isOther") and lenient):
            raise invalid(f"requests[{i}]: options[{n}].value is required", reason="required")


def _masked_update(target: dict[str, Any], source: dict[str, Any], mask: str | None, i: int) -> None:
    if not mask:
        raise invalid(f"requests[{i}]: updateMask is required", reason="required")
    paths = list(source) if mask.strip() == "*" else [p.strip() for p in mask.split(",")]
    for path in paths:
        *parents, leaf = path.split(".")
        src, dst = source, target
        for part in parents:
            src = src.get(part, {}) if isinstance(src, dict) else {}
            dst = dst.setdefault(part, {})
        if isinstance(src, dict) and leaf in src:
            dst[leaf] = copy.deepcopy(src[leaf])
        else:
            dst.pop(leaf, None)


def set_publish_settings(call: Call) -> dict[str, Any]:
    form = _form(call.state, call.param("formId"))
    state = ((call.body or {}).get("publishSettings") or {}).get("publishState") or {}
    if "isPublished" not in state:
        raise invalid("publishSettings.publishState.isPublished is required")
    if state.get("isAcceptingResponses") and not state["isPublished"]:
        raise invalid("A form that is not published cannot accept responses.")
    form["publishSettings"] = {"publishState": {
        "isPublished": state["isPublished"],
        "isAcceptingResponses": bool(state.get("isAcceptingResponses", state["isPublished"])),
    }}
    return {"formId": form["formId"], "publishSettings": copy.deepcopy(form["publishSettings"])}


def list_responses(call: Call) -> dict[str, Any]:
    form = _form(call.state, call.param("formId"))
    responses = call.state.responses[form["formId"]]
    text = call.param("filter")
    if text:
        found = _FILTER.match(text)
        if not found:
            raise invalid(f"Invalid filter: {text!r}. Only 'timestamp > T' and 'timestamp >= T' are supported.")
        since = parse_rfc3339(found.group(2), "filter")
        keep = (lambda t: t >= since) if found.group(1) == ">=" else (lambda t: t > since)
        stamp = call.state.behaviours.filter_time
        responses = [r for r in responses if keep(parse_rfc3339(r[stamp], "stored"))]
    size = call.param("pageSize") or 5000
    if size < 0:
        raise invalid("pageSize must not be negative")
    page, token = paginate(responses, call.param("pageToken"), min(size, 5000))
    # "The formId field is not returned in the FormResponse object for list requests" (forms.v1 discovery)
    listed = [{k: v for k, v in copy.deepcopy(r).items() if k != "formId"} for r in page]
    out: dict[str, Any] = {"responses": listed} if listed else {}
    if token:
        out["nextPageToken"] = token
    return out


def get_response(call: Call) -> dict[str, Any]:
    form = _form(call.state, call.param("formId"))
    for response in call.state.responses[form["formId"]]:
        if response["responseId"] == call.param("responseId"):
            return copy.deepcopy(response)
    raise ApiError(404, f"Requested entity was not found. (response {call.param('responseId')})")


def add_response(state: State, form_id: str, respondent_email: str | None,
                 answers: dict[str, Any], at: datetime | None) -> dict[str, Any]:
    """What Google records when a person submits the form in a browser."""
    form = _accepting(state, form_id, respondent_email)
    stamp = rfc3339(at or state.clock())
    response = {"formId": form_id, "responseId": state.new_id("r"), "createTime": stamp,
                "lastSubmittedTime": stamp, "answers": _recorded(form, answers)}
    if respondent_email and form["settings"].get("emailCollectionType") in ("VERIFIED", "RESPONDER_INPUT"):
        response["respondentEmail"] = respondent_email
    state.responses[form_id].append(response)
    state.responses[form_id].sort(key=lambda r: r["lastSubmittedTime"])
    return copy.deepcopy(response)


def edit_response(state: State, form_id: str, response_id: str, answers: dict[str, Any],
                  at: datetime | None) -> dict[str, Any]:
    """A person edits their submitted response (the form allows editing): same responseId and createTime,
    a new lastSubmittedTime ("the most recent time the response was submitted"), the new answers."""
    response = next((r for r in state.responses[_form(state, form_id)["formId"]] if r["responseId"] == response_id),
                    None)
    if response is None:
        raise ValueError(f"form {form_id} has no response {response_id!r}")
    form = _accepting(state, form_id, response.get("respondentEmail"))
    response["answers"] = _recorded(form, answers)
    response["lastSubmittedTime"] = rfc3339(at or state.clock())
    state.responses[form_id].sort(key=lambda r: r["lastSubmittedTime"])
    return copy.deepcopy(response)


def may_respond(state: State, form_id: str, email: str | None) -> bool:
    """A published-view reader permission for the person (or for anyone), or edit access to the form."""
    for permission in state.permissions.get(form_id, []):
        mine = permission.get("type") == "anyone" or (
            email and (permission.get("emailAddress") or "").lower() == email.lower())
        if mine and ((permission.get("view") == "published" and permission.get("role") == "reader")
                     or permission.get("role") in ("writer", "owner")):
            return True
    return False


def _accepting(state: State, form_id: str, email: str | None) -> dict[str, Any]:
    form = _form(state, form_id)
    if not form["publishSettings"]["publishState"]["isAcceptingResponses"]:
        raise ValueError(f"form {form_id} is not accepting responses: call setPublishSettings first")
    if not may_respond(state, form_id, email):
        raise ValueError(f"{email or 'an anonymous person'} cannot open form {form_id}: it needs a Drive "
                         "permission with view 'published' and role 'reader'")
    return form


def _recorded(form: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    questions = _questions(form)
    for question_id, question in questions.items():
        if question.get("required") and answers.get(question_id) in (None, "", []):
            raise ValueError(f"question {question_id} is required")
    recorded = {}
    for question_id, value in answers.items():
        if question_id not in questions:
            raise ValueError(f"form {form['formId']} has no question {question_id!r}")
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        _check_answer(questions[question_id], question_id, values)
        recorded[question_id] = {"questionId": question_id,
                                 "textAnswers": {"answers": [{"value": v} for v in values]}}
    return recorded


def alter_response(state: State, form_id: str, response_id: str, drop: tuple[str, ...],
                   raw_answers: dict[str, list[str]]) -> dict[str, Any]:
    """Odd answers Google may give: a stored response without some of its fields, or with answers to
    question ids the form does not have (e.g. a question deleted in the UI). Not validated, on purpose."""
    response = next((r for r in state.responses[_form(state, form_id)["formId"]] if r["responseId"] == response_id),
                    None)
    if response is None:
        raise ValueError(f"form {form_id} has no response {response_id!r}")
    for question_id, values in raw_answers.items():
        response.setdefault("answers", {})[question_id] = {
            "questionId": question_id, "textAnswers": {"answers": [{"value": v} for v in values]}}
    for name in drop:
        response.pop(name, None)
    return copy.deepcopy(response)


def _questions(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for item in form.get("items", []):
        group = [item["questionItem"]["question"]] if "questionItem" in item else []
        group += item.get("questionGroupItem", {}).get("questions", [])
        found.update({q["questionId"]: q for q in group})
    return found


def _check_answer(question: dict[str, Any], question_id: str, values: list[str]) -> None:
    if "choiceQuestion" in question:
        choice = question["choiceQuestion"]
        offered = {o.get("value") for o in choice.get("options", [])}
        other = any(o.get("isOther") for o in choice.get("options", []))
        if not other and set(values) - offered:
            raise ValueError(f"question {question_id}: {values} not among the options {sorted(offered)}")
        if choice.get("type") != "CHECKBOX" and len(values) != 1:
            raise ValueError(f"question {question_id} takes exactly one choice")
    if "scaleQuestion" in question:
        scale = question["scaleQuestion"]
        if len(values) != 1 or not scale.get("low", 0) <= int(values[0]) <= scale.get("high", 0):
            raise ValueError(f"question {question_id}: {values} outside the scale")


HANDLERS = {
    "forms.forms.create": create,
    "forms.forms.get": get,
    "forms.forms.batchUpdate": batch_update,
    "forms.forms.setPublishSettings": set_publish_settings,
    "forms.forms.responses.list": list_responses,
    "forms.forms.responses.get": get_response,
}
