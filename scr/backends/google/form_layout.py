"""The member form's layout on Google Forms, and how Google's answers map back to ours. Pure: no Google
library, so the CSV importer (Google Forms' "Download responses") shares it on any backend.

Every section becomes a header item (the first a text item, the others page breaks), every form item one
or two questions, titled by ``question_title``:

    factor  required RADIO over the scale labels           + optional paragraph "Comment on B1 (optional)"
    choice  RADIO over the option labels, "other" as isOther + the same optional comment
    multi   CHECKBOX likewise                              + the same optional comment
    text    a paragraph question

Google records an "other" answer as the typed text itself, so a value that is not an offered label
on a question with an isOther option becomes choice "other" with ``other`` set to that text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from scr.domain.forms import MAX_TEXT, OTHER, Item, MemberForm, clean_text, over_limit
from scr.domain.model import ItemAnswer

__all__ = [
    "FieldRef", "MappedAnswers", "PublishedForm", "RawResponse",
    "answer_fields", "form_requests", "question_refs", "question_title", "to_answers",
]

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
    too_long: bool = False  # a typed text is over the limit every form applies: not to be saved


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
        # Option.value is "Required" (forms.v1): the "other" option carries one too, whatever Google makes of it
        options = [{"value": label} for label in labels] + (
            [{"isOther": True, "value": "Other"}] if item.allow_other else [])
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
    too_long = over_limit(answers)
    problems += [f"{item_id}: the answer ({name}) is {length:,} characters, over the {MAX_TEXT:,} every form allows; "
                 "this response was not saved: ask the member to shorten it in the form and submit again"
                 for item_id, name, length in too_long]
    return MappedAnswers(answers, unknown, problems, bool(too_long))
