"""Form definitions as data, and turning a submitted form into answers (or named problems).

The member form asks, for each case factor (B1-B3) and context factor (C1-C6) of quality marker 6,
how much it should weigh, and for each decision the terms of reference must make (A1-A5) the member's
view. The reviewer form says what lead reviewers return on the factor summary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scr.domain.model import ItemAnswer
from scr.errors import ConfigError

MAX_TEXT = 5000
OTHER = "other"
AGENCIES = "$agencies"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Data):
    value: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str


class Item(_Data):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*$")
    kind: Literal["factor", "choice", "multi", "text"]
    label: str = Field(description="the marker's own words")
    prompt: str
    help: str = ""
    options: list[Option] | Literal["$agencies"] = Field(default_factory=list)
    allow_other: bool = False
    required: bool = False
    weighed_with: list[str] = Field(default_factory=list, description="factors that bear on this decision")

    @property
    def group(self) -> str:
        """'case', 'context', 'decision' or 'other', from the marker's lists B, C and A."""
        return {"B": "case", "C": "context", "A": "decision"}.get(self.id[0], "other")


class Section(_Data):
    id: str
    title: str
    intro: str = ""
    items: list[Item]


class MemberForm(_Data):
    id: str
    title: str
    intro: str
    scale: list[Option]
    sections: list[Section]

    @model_validator(mode="after")
    def _consistent(self) -> MemberForm:
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("item ids must be unique")
        for item in self.items:
            unknown = set(item.weighed_with) - set(ids)
            if unknown:
                raise ValueError(f"{item.id}.weighed_with names unknown items {sorted(unknown)}")
            if item.kind in ("choice", "multi") and not item.options:
                raise ValueError(f"{item.id} is a {item.kind} item and needs options")
        return self

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    def factors(self, group: str | None = None) -> list[Item]:
        return [i for i in self.items if i.kind == "factor" and (group is None or i.group == group)]

    def decisions(self) -> list[Item]:
        return [i for i in self.items if i.group == "decision"]

    def scale_label(self, value: str) -> str:
        return next((o.label for o in self.scale if o.value == value), value)

    def options_for(self, item: Item, agencies: Sequence[str]) -> list[Option]:
        """The item's options, with the board's agencies filled in where the definition says so."""
        if item.options == AGENCIES:
            options = [Option(value=_slug(a), label=a) for a in agencies]
        else:
            options = list(item.options)
        if item.allow_other:
            options.append(Option(value=OTHER, label="Other (say which below)"))
        return options


class Proposal(_Data):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: str
    bears_on: list[str]


class ReviewerForm(_Data):
    id: str
    title: str
    intro: str
    general_label: str
    comment_prompt: str
    proposals: list[Proposal]
    complete_label: str


@dataclass(frozen=True)
class Submission:
    """A parsed form post: answers, and problems keyed by field name (empty when valid)."""

    answers: dict[str, ItemAnswer]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def load_member_form(path: str | Path) -> MemberForm:
    return _load(path, MemberForm)


def load_reviewer_form(path: str | Path) -> ReviewerForm:
    return _load(path, ReviewerForm)


def _load(path: str | Path, model: type[BaseModel]):
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except FileNotFoundError:
        raise ConfigError(str(path), [("(file)", "form definition not found")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), [("(file)", f"not valid YAML: {exc}")]) from None
    except ValidationError as exc:
        problems = [(".".join(map(str, e["loc"])) or "(top level)", e["msg"]) for e in exc.errors()]
        raise ConfigError(str(path), problems) from None


def clean_text(value: str) -> str:
    """Normalise typed text: NFC, LF line ends, no control characters but newline and tab, trimmed."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return value.strip()


def over_limit(answers: Mapping[str, ItemAnswer]) -> list[tuple[str, str, int]]:
    """(item id, field, length) of each typed text longer than MAX_TEXT: the one limit every way in (the web form,
    Google Forms, a CSV import) applies, so no answer is in one route's documents that another would refuse."""
    return [(item_id, name, len(text)) for item_id, answer in answers.items()
            for name, text in (("comment", answer.comment), ("other", answer.other)) if len(text) > MAX_TEXT]


def parse_submission(
    form: MemberForm, fields: Mapping[str, Sequence[str]], agencies: Sequence[str]
) -> Submission:
    """Turn posted fields (name -> values) into answers, naming every problem a member must fix.

    Field names are ``<item>.rating``, ``<item>.choice`` (repeated for multi), ``<item>.other`` and
    ``<item>.comment``. Nothing is lost: answers hold everything typed, even when there are errors.
    """
    answers: dict[str, ItemAnswer] = {}
    errors: dict[str, str] = {}

    def given(name: str) -> list[str]:
        """The distinct non-empty values sent for ``name``: a field sent twice keeps both, never only one."""
        return list(dict.fromkeys(v for v in (clean_text(value) for value in fields.get(name) or []) if v))

    def text(name: str) -> str:
        return "\n\n".join(given(name))

    scale = {o.value for o in form.scale}
    for item in form.items:
        options = {o.value for o in form.options_for(item, agencies)}
        picked = [v for v in (fields.get(f"{item.id}.choice") or []) if v]
        ratings = given(f"{item.id}.rating")
        answer = ItemAnswer(
            rating=ratings[0] if ratings else None,
            choice=picked[0] if item.kind == "choice" and picked else None,
            choices=tuple(dict.fromkeys(picked)) if item.kind == "multi" else (),
            other=text(f"{item.id}.other"),
            comment=text(f"{item.id}.comment"),
        )
        answers[item.id] = answer
        for name, value in ((f"{item.id}.comment", answer.comment), (f"{item.id}.other", answer.other)):
            if len(value) > MAX_TEXT:
                errors[name] = f"{item.id}: please shorten this to {MAX_TEXT} characters (now {len(value)})."
        if item.kind == "factor":
            if answer.rating is None:
                errors[f"{item.id}.rating"] = (
                    f"{item.id}: choose how much this factor should weigh (choose \u201cdon\u2019t know\u201d "
                    "if you cannot say)."
                )
            elif answer.rating not in scale or len(ratings) > 1:
                errors[f"{item.id}.rating"] = f"{item.id}: choose one of the options shown."
        chosen = [answer.choice] if answer.choice else list(answer.choices)
        if any(value not in options for value in chosen):
            errors[f"{item.id}.choice"] = f"{item.id}: choose from the options shown."
        elif item.kind == "choice" and len(set(picked)) > 1:
            errors[f"{item.id}.choice"] = f"{item.id}: choose only one of the options shown."
        elif item.required and not chosen and item.kind in ("choice", "multi"):
            errors[f"{item.id}.choice"] = f"{item.id}: choose at least one option."
        elif OTHER in chosen and not answer.other:
            errors[f"{item.id}.other"] = f"{item.id}: you chose \u201cother\u201d; say which."
        if item.kind == "text" and item.required and not answer.comment:
            errors[f"{item.id}.comment"] = f"{item.id}: this question needs an answer."
    return Submission(answers=answers, errors=errors)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "agency"
