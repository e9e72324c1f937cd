"""The member form on Google Forms: publish it, close it, read its responses, map them to answers.

Layout (pure, shared with the CSV importer): every section becomes a header item (the first a text
item, the others page breaks), every form item one or two questions, titled by ``question_title``:

    factor  required RADIO over the scale labels           + optional paragraph "Comment on B1 (optional)"
    choice  RADIO over the option labels, "other" as isOther + the same optional comment
    multi   CHECKBOX likewise                              + the same optional comment
    text    a paragraph question

Google records an "other" answer as the typed text itself, so a value that is not an offered label
on a question with an isOther option becomes choice "other" with ``other`` set to that text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from scr.backends.google.errors import GoogleAccessError, GoogleError, GoogleNotFound, call, pause_before_retry
from scr.domain.forms import OTHER, Item, MemberForm, clean_text
from scr.domain.model import ItemAnswer

__all__ = [
    "FieldRef", "GoogleForms", "MappedAnswers", "PublishedForm", "RawResponse",
    "answer_fields", "form_requests", "question_refs", "question_title", "to_answers",
]

PAGE_SIZE = 5000  # the most responses.list returns per page
FORM_MIME = "application/vnd.google-apps.form"
CLOCK_SKEW = dt.timedelta(minutes=5)  # how far this machine's clock may be ahead of Google's
_ATTEMPTS = 5
_FIELD_BY_KIND = {"factor": "rating", "choice": "choice", "multi": "choices", "text": "comment"}


class FieldRef(NamedTuple):
    """Which answer a Google question holds: ("B1", "rating"), ("A5", "choices"), ("B1", "comment") ..."""

    item_id: str
    field: str


@dataclass(frozen=True)
class PublishedForm:
    form_id: str
    responder_uri: str
    questions: dict[str, FieldRef]  # Google question id -> what it asks


@dataclass(frozen=True)
class RawResponse:
    """One response as Google holds it: answer values per question id (labels, or typed text)."""

    response_id: str
    email: str | None
    submitted_at: str
    last_submitted: str
    answers: dict[str, list[str]]


class MappedAnswers(NamedTuple):
    answers: dict[str, ItemAnswer]  # every item of the form, empty when unanswered
    unknown_questions: list[str]  # question ids the form's map does not know
    problems: list[str]  # "A1: ..." lines, never the answer text


# -- layout --------------------------------------------------------------------------------------
def question_refs(item: Item) -> list[FieldRef]:
    """The questions one item becomes, in creation order."""
    main = FieldRef(item.id, _FIELD_BY_KIND[item.kind])
    return [main] if item.kind == "text" else [main, FieldRef(item.id, "comment")]


def question_title(item: Item, field: str) -> str:
    """The title of the question holding `field` of `item`; the CSV download uses it as column header."""
    if field == "comment" and item.kind != "text":
        return f"Comment on {item.id} (optional)"
    return f"{item.id}. {item.label} \u2014 {item.prompt}"


def form_requests(
    form: MemberForm, agencies: Sequence[str], title: str, description: str
) -> tuple[list[dict[str, Any]], list[FieldRef]]:
    """The forms.batchUpdate requests building the member form, and what each created question is.

    `title` is set by forms.create (it takes nothing else); it is not repeated here.
    """
    requests: list[dict[str, Any]] = [
        {"updateFormInfo": {"info": {"description": description}, "updateMask": "description"}},
        {"updateSettings": {"settings": {"emailCollectionType": "VERIFIED"}, "updateMask": "emailCollectionType"}},
    ]
    refs: list[FieldRef] = []
    items: list[dict[str, Any]] = []
    for n, section in enumerate(form.sections):
        header = {"title": section.title, "textItem" if n == 0 else "pageBreakItem": {}}
        items.append({**header, **({"description": section.intro} if section.intro else {})})
        for item in section.items:
            for ref in question_refs(item):
                items.append(_question_item(form, agencies, item, ref.field))
                refs.append(ref)
    requests += [{"createItem": {"item": it, "location": {"index": i}}} for i, it in enumerate(items)]
    return requests, refs


def _question_item(form: MemberForm, agencies: Sequence[str], item: Item, field: str) -> dict[str, Any]:
    if field == "comment":
        question: dict[str, Any] = {"required": item.kind == "text" and item.required,
                                    "textQuestion": {"paragraph": True}}
    elif field == "rating":
        options = [{"value": o.label} for o in form.scale]
        question = {"required": True, "choiceQuestion": {"type": "RADIO", "options": options}}
    else:
        labels = dict.fromkeys(o.label for o in form.options_for(item, agencies) if o.value != OTHER)
        options = [{"value": label} for label in labels] + ([{"isOther": True}] if item.allow_other else [])
        kind = "CHECKBOX" if field == "choices" else "RADIO"
        question = {"required": item.required, "choiceQuestion": {"type": kind, "options": options}}
    main = field != "comment" or item.kind == "text"
    described = {"description": item.help} if main and item.help else {}
    return {"title": question_title(item, field), **described, "questionItem": {"question": question}}


# -- answers -------------------------------------------------------------------------------------
def answer_fields(
    form: MemberForm, agencies: Sequence[str], item: Item, field: str, values: Sequence[str]
) -> dict[str, Any] | None:
    """ItemAnswer fields for one question's values; None when a value is not one the form offers."""
    if field == "comment":
        text = clean_text("\n".join(values))
        return {"comment": text} if text else {}
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return {}
    if field == "rating":
        scale = {o.label: o.value for o in form.scale}
        return {"rating": scale[values[0]]} if len(values) == 1 and values[0] in scale else None
    labels = {o.label: o.value for o in form.options_for(item, agencies) if o.value != OTHER}
    chosen = [labels[v] for v in values if v in labels]
    others = [v for v in values if v not in labels]
    if (others and not item.allow_other) or (field == "choice" and len(values) > 1):
        return None
    chosen += [OTHER] if others else []
    other = clean_text("\n".join(others))
    if field == "choice":
        return {"choice": chosen[0], "other": other}
    return {"choices": tuple(dict.fromkeys(chosen)), "other": other}


def to_answers(
    raw: RawResponse, questions: Mapping[str, FieldRef], member_form: MemberForm, agencies: Sequence[str]
) -> MappedAnswers:
    """Our answers for every item from one Google response; unknown questions and values are reported."""
    items = {item.id: item for item in member_form.items}
    fields: dict[str, dict[str, Any]] = {item_id: {} for item_id in items}
    unknown: list[str] = []
    problems: list[str] = []
    for question_id, values in raw.answers.items():
        ref = questions.get(question_id)
        if ref is None or ref.item_id not in items:
            unknown.append(question_id)
            continue
        decoded = answer_fields(member_form, agencies, items[ref.item_id], ref.field, values)
        if decoded is None:
            problems.append(f"{ref.item_id}: the answer is not one of the options the form offers")
        else:
            fields[ref.item_id].update(decoded)
    if unknown:
        problems.append(f"{len(unknown)} answer(s) to questions this review did not create were ignored")
    answers = {item_id: ItemAnswer(**found) for item_id, found in fields.items()}
    return MappedAnswers(answers, unknown, problems)


# -- the API -------------------------------------------------------------------------------------
class GoogleForms:
    """Publishes member forms and reads their responses through a googleapiclient forms v1 service.

    With a Drive v3 service a form is never made twice: one an earlier run began (``begun``) and a create
    whose answer was lost are found again in Drive by their title, and finished.
    """

    def __init__(self, forms_service: Any, page_size: int = PAGE_SIZE, drive_service: Any = None):
        self._forms = forms_service.forms()
        self._drive = drive_service
        self.page_size = page_size

    def publish(self, member_form: MemberForm, agencies: Sequence[str], title: str, description: str,
                begun: dt.datetime | None = None) -> PublishedForm:
        """Three requests: create (title only), one batchUpdate with every item, setPublishSettings.

        `begun`: when a run that may have died part-way began publishing this form. A form titled `title`
        made since then is finished instead (files.list 1 and forms.get 1 instead of create, and batchUpdate
        only if the form has no questions yet).
        """
        requests, refs = form_requests(member_form, agencies, title, description)
        form = self._made_or_found(title, begun)
        form_id = form["formId"]
        question_ids = _question_ids(form)
        if not question_ids:
            reply = call(self._forms.batchUpdate(formId=form_id, body={"requests": requests}),
                         f"add the questions to form {form_id}")
            replies = reply.get("replies", [])
            question_ids = [q for r in replies for q in (r.get("createItem") or {}).get("questionId", [])]
        if len(question_ids) != len(refs):
            raise GoogleError(f"Form {form_id}: Google holds {len(question_ids)} questions, expected {len(refs)}. "
                              "Delete the form in Drive and publish again.")
        self._set_state(form_id, accepting=True, what=f"publish form {form_id}")
        uri = form.get("responderUri") or f"https://docs.google.com/forms/d/{form_id}/viewform"
        return PublishedForm(form_id, uri, dict(zip(question_ids, refs, strict=True)))

    def _made_or_found(self, title: str, begun: dt.datetime | None) -> dict[str, Any]:
        """The form made since `begun` with this title, else a new one; a failed create is looked for first."""
        body = {"info": {"title": title, "documentTitle": title}}
        if self._drive is None:
            return call(self._forms.create(body=body), "create the member form")
        since = begun
        for attempt in range(_ATTEMPTS):
            found = self._find(title, since) if since is not None else None
            if found is not None:
                return call(self._forms.get(formId=found), f"read form {found}, begun by an earlier run")
            started = dt.datetime.now(dt.UTC)
            try:
                return call(self._forms.create(body=body), "create the member form", retries=0)
            except GoogleError as error:
                if isinstance(error, GoogleAccessError | GoogleNotFound) or attempt == _ATTEMPTS - 1 or not (
                        error.status is None or error.status in (403, 408, 429) or error.status >= 500):
                    raise
            since = since or started
            pause_before_retry(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _find(self, title: str, since: dt.datetime) -> str | None:
        """The id of the first form titled `title` made since `since` (allowing for clock skew), if any."""
        quoted = "'" + title.replace("\\", "\\\\").replace("'", "\\'") + "'"
        request = self._drive.files().list(
            q=f"name = {quoted} and mimeType = '{FORM_MIME}' and trashed = false", fields="files(id,createdTime)",
            pageSize=100, orderBy="createdTime", spaces="drive",
        )
        files = call(request, f"look in Drive for the member form {title!r} begun by an earlier run").get("files", [])
        after = since - CLOCK_SKEW
        made = [f["id"] for f in files if dt.datetime.fromisoformat(f["createdTime"].replace("Z", "+00:00")) >= after]
        return made[0] if made else None

    def close(self, form_id: str) -> None:
        """Stop accepting responses (the form stays published, so people see that it is closed)."""
        self._set_state(form_id, accepting=False, what=f"close form {form_id}")

    def responses_since(self, form_id: str, since: str | None = None) -> list[RawResponse]:
        """Responses submitted after `since` (RFC 3339 UTC, e.g. a previous ``last_submitted``); all when None.

        One request per page (up to 5000 responses by default), whatever the number of members.
        """
        params: dict[str, Any] = {"formId": form_id, "pageSize": self.page_size}
        if since:
            params["filter"] = f"timestamp > {since}"
        found: list[RawResponse] = []
        while True:
            page = call(self._forms.responses().list(**params), f"read the responses of form {form_id}")
            found += [_raw(r) for r in page.get("responses", [])]
            if not page.get("nextPageToken"):
                return found
            params["pageToken"] = page["nextPageToken"]

    def _set_state(self, form_id: str, accepting: bool, what: str) -> None:
        state = {"isPublished": True, "isAcceptingResponses": accepting}
        body = {"publishSettings": {"publishState": state}, "updateMask": "publish_state"}
        call(self._forms.setPublishSettings(formId=form_id, body=body), what)


def _question_ids(form: dict[str, Any]) -> list[str]:
    """The ids of a form's questions in the order they stand (the order they were created in)."""
    return [item["questionItem"]["question"]["questionId"] for item in form.get("items", [])
            if "questionItem" in item]


def _raw(response: dict[str, Any]) -> RawResponse:
    answers = {
        question_id: [a.get("value", "") for a in (answer.get("textAnswers") or {}).get("answers", [])]
        for question_id, answer in (response.get("answers") or {}).items()
    }
    return RawResponse(
        response_id=response["responseId"],
        email=response.get("respondentEmail"),
        submitted_at=response.get("createTime", ""),
        last_submitted=response.get("lastSubmittedTime") or response.get("createTime", ""),
        answers=answers,
    )
