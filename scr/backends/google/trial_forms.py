"""The trial's form checks: made unpublished with every item, published, opened to the operator alone,
answered and edited by the operator, and read back (respondentEmail, and which submission the filter gives).

Answers are read to compare ids, emails and times only; their text is never shown or kept.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from scr.backends.google.errors import call
from scr.backends.google.form_layout import FieldRef, form_requests, to_answers
from scr.backends.google.forms import GoogleForms
from scr.backends.google.trial import OperatorStep, TrialRun
from scr.domain.email import same_address

__all__ = ["check_form", "moment"]

_FRACTION = re.compile(r"\.(\d{6})\d*")


def moment(stamp: str) -> dt.datetime:
    """An RFC 3339 time as Google writes it (0 to 9 fractional digits, "Z"), as a datetime."""
    return dt.datetime.fromisoformat(_FRACTION.sub(r".\1", stamp).replace("Z", "+00:00"))


def check_form(run: TrialRun) -> None:
    """The member form: made, filled with items, published, opened to the operator, answered and edited."""
    form_id = _create_unpublished(run)
    questions = _add_items(run, form_id) if form_id else None
    if form_id is None or questions is None:
        return
    link = _publish(run, form_id)
    if link is not None and _open_to_operator(run, form_id):
        _answers(run, form_id, link, questions)


def _forms(run: TrialRun) -> Any:
    return run.clients.forms.forms()


def _create_unpublished(run: TrialRun) -> str | None:
    what = "Create the member form unpublished"
    title = f"{run.label}: trial member form"
    body = {"info": {"title": title, "documentTitle": title}}
    made = run.attempt(what, lambda: call(_forms(run).create(body=body, unpublished=True),
                                          "create the trial form", retries=0))
    if made is None:
        return None
    form_id = made["formId"]
    run.made.append(form_id)
    run.succeeds("Put the form in the trial folder", lambda: _move_into_folder(run, form_id))
    form = call(_forms(run).get(formId=form_id), f"read trial form {form_id}")
    settings = form.get("publishSettings")
    if settings is None:
        run.check(what, False, "forms.get gave no publishSettings: Google made a form that is published at once")
    else:
        published = (settings.get("publishState") or {}).get("isPublished", False)
        run.check(what, not published, "ok" if not published else "Google published it at once")
    return form_id


def _move_into_folder(run: TrialRun, form_id: str) -> None:
    drive = run.clients.drive.files()
    parents = call(drive.get(fileId=form_id, fields="parents", supportsAllDrives=True),
                   f"find where trial form {form_id} was made").get("parents", [])
    call(drive.update(fileId=form_id, addParents=run.folder_id, removeParents=",".join(parents), fields="id",
                      supportsAllDrives=True), f"move trial form {form_id} into the trial folder")


def _add_items(run: TrialRun, form_id: str) -> dict[str, FieldRef] | None:
    what = "Add every item of the member form, 'other' options included"
    requests, refs = form_requests(run.member_form, run.agencies, f"{run.label}: trial member form",
                                   run.member_form.intro)
    others = sum(1 for r in requests for o in _options(r.get("createItem", {}).get("item", {})) if o.get("isOther"))
    reply = run.attempt(what, lambda: call(_forms(run).batchUpdate(formId=form_id, body={"requests": requests}),
                                           f"add the items to trial form {form_id}"))
    if reply is None:
        return None
    ids = [q for r in reply.get("replies", []) for q in (r.get("createItem") or {}).get("questionId", [])]
    form = call(_forms(run).get(formId=form_id), f"read trial form {form_id}")
    items = [i for i in form.get("items", []) if "questionItem" in i]
    kept = sum(1 for i in items for o in _options(i) if o.get("isOther"))
    run.check(what, (len(items), kept) == (len(refs), others),
              f"{len(items)} of {len(refs)} questions, {kept} of {others} 'other' option(s) kept")
    collected = (form.get("settings") or {}).get("emailCollectionType", "not given")
    run.check("Collect verified email addresses", collected == "VERIFIED",
              "ok" if collected == "VERIFIED" else f"Google holds emailCollectionType {collected}")
    return dict(zip(ids, refs, strict=False))


def _options(item: dict[str, Any]) -> list[dict[str, Any]]:
    question = (item.get("questionItem") or {}).get("question") or {}
    return (question.get("choiceQuestion") or {}).get("options", [])


def _publish(run: TrialRun, form_id: str) -> str | None:
    what = "Publish the form once every item is in"
    state = {"isPublished": True, "isAcceptingResponses": True}
    body = {"publishSettings": {"publishState": state}, "updateMask": "publish_state"}
    if run.attempt(what, lambda: call(_forms(run).setPublishSettings(formId=form_id, body=body),
                                      f"publish trial form {form_id}")) is None:
        return None
    form = call(_forms(run).get(formId=form_id), f"read trial form {form_id}")
    held = (form.get("publishSettings") or {}).get("publishState") or {}
    ok = bool(held.get("isPublished")) and bool(held.get("isAcceptingResponses"))
    run.check(what, ok, "ok" if ok else f"Google holds publishState {held}")
    return form.get("responderUri") or f"https://docs.google.com/forms/d/{form_id}/viewform"


def _open_to_operator(run: TrialRun, form_id: str) -> bool:
    """As the product does: no notification first; an address Google knows no account for needs one."""
    what = f"Give {run.me} a published-view responder permission (no link sharing)"
    made = run.attempt(what, lambda: _responder_permission(run, form_id, notify=False))
    noted = ""
    if made is None and "invalidSharingRequest" in run.checks[-1].detail:
        run.checks.pop()
        made = run.attempt(what, lambda: _responder_permission(run, form_id, notify=True))
        noted = (f"; Google knows no account for {run.me}, so Drive sent a notification email. A member in that "
                 "position needs a Google account for their work address to answer")
    if made is None:
        return False
    ok = made.get("view") == "published" and made.get("role") == "reader"
    return bool(run.check(what, ok, ("ok" if ok else f"Google made a {made.get('role')} permission, view "
                                                     f"{made.get('view', 'not given')}") + noted))


def _responder_permission(run: TrialRun, form_id: str, notify: bool) -> dict[str, Any]:
    body = {"type": "user", "role": "reader", "emailAddress": run.me, "view": "published"}
    return call(run.clients.drive.permissions().create(
        fileId=form_id, body=body, sendNotificationEmail=notify, fields="id,role,view", supportsAllDrives=True),
        f"let {run.me} answer trial form {form_id}", retries=0)


def _responses(run: TrialRun, form_id: str, since: str | None = None) -> list[dict[str, Any]]:
    extra = {"filter": f"timestamp > {since}"} if since else {}
    page = call(_forms(run).responses().list(formId=form_id, pageSize=50, **extra),
                f"read the trial form's responses{' since ' + since if since else ''}")
    return sorted(page.get("responses", []), key=lambda r: moment(r.get("createTime", "1970-01-01T00:00:00Z")))


def _answers(run: TrialRun, form_id: str, link: str, questions: dict[str, FieldRef]) -> None:
    minutes = f"{run.waiting.timeout / 60:g} minute(s)"
    run.operator.tell(OperatorStep("answer", f"Open {link} signed in as {run.me}, answer anything you like "
                                   "(the trial never shows it; choose 'Other' and type a few words in one question "
                                   "that offers it) and submit.", link, form_id))
    first = run.waiting.until(lambda: next(iter(_responses(run, form_id)), None))
    if first is None:
        run.check("Your answer arrives", None, f"no answer within {minutes}; answer the form and run again")
        return
    email = first.get("respondentEmail")
    run.check("respondentEmail is the address you answered with", same_address(email, run.me),
              "ok" if same_address(email, run.me) else
              f"Google gave {email}" if email else "Google gave no respondentEmail")
    _read_as_the_product_does(run, form_id, first["responseId"], questions)
    run.operator.tell(OperatorStep("edit", "Now change one answer: choose 'Edit your response' on the "
                                   "confirmation page (or open the link again and submit).", link, form_id))
    edited = run.waiting.until(lambda: _edit_of(run, form_id, first))
    if edited is None:
        run.check("Your edited answer arrives", None, f"no edit within {minutes}")
        return
    same = edited["responseId"] == first["responseId"]
    run.check("Your edited answer arrives", True, "ok: the same response, its lastSubmittedTime moved on" if same
              else "ok, as a second response with its own id (every submission is kept; the latest counts)")
    _filter_gives_the_edit(run, form_id, first, edited, same)


def _read_as_the_product_does(run: TrialRun, form_id: str, response_id: str, questions: dict[str, FieldRef]) -> None:
    raws = [r for r in GoogleForms(run.clients.forms).responses_since(form_id) if r.response_id == response_id]
    if not raws:
        run.check("Your answer reads back as the product reads it", False, "the product's read did not find it")
        return
    mapped = to_answers(raws[0], questions, run.member_form, run.agencies)
    answered = sum(not answer.is_empty for answer in mapped.answers.values())
    run.check("Your answer reads back as the product reads it", not mapped.problems,
              f"{answered} of {len(mapped.answers)} items answered" + (
                  f"; {len(mapped.problems)} problem(s): " + "; ".join(mapped.problems) if mapped.problems else ""))
    others = sorted(item for item, answer in mapped.answers.items() if answer.other)
    run.check("An 'Other' answer comes back as its own words", True if others else None,
              f"ok ({', '.join(others)})" if others else "not checked: no question was answered with 'Other'")


def _edit_of(run: TrialRun, form_id: str, first: dict[str, Any]) -> dict[str, Any] | None:
    before = moment(first["lastSubmittedTime"])
    return next((r for r in reversed(_responses(run, form_id)) if moment(r["lastSubmittedTime"]) > before), None)


def _filter_gives_the_edit(run: TrialRun, form_id: str, first: dict[str, Any], edited: dict[str, Any],
                           same: bool) -> None:
    what = "Which time the 'timestamp >' filter reads for an edited answer (undocumented)"
    found = run.attempt(what, lambda: _responses(run, form_id, since=first["lastSubmittedTime"]))
    if found is None:
        return
    returned = any(r["responseId"] == edited["responseId"] for r in found)
    if not same:
        detail = "returned (a new response: this does not tell which time the filter reads)"
    elif returned:
        detail = "the last submission time: the edit is returned"
    else:
        detail = ("the first submission time: the edit is not returned; the product's overlapping reads and its "
                  "full read at the close collect it all the same")
    run.check(what, True, detail)
