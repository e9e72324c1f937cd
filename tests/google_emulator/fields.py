"""The `fields` partial-response parameter: ``files(id,name),nextPageToken``, ``a/b``, ``a.b``, ``*``.

Docs "Use field masks": "multiple different fields are comma-separated and subfields are dot-separated";
Drive's guide writes ``a/b``. Both are read.
"""

from __future__ import annotations

from typing import Any

from .errors import invalid

Mask = dict[str, "Mask"]


def parse(text: str) -> Mask:
    """The field mask as a tree; an empty subtree means 'the whole value'."""
    mask, pos = _parse_list(text.replace(" ", ""), 0)
    if pos != len(text.replace(" ", "")):
        raise invalid(f"Invalid field selection {text}", location="fields")
    return mask


def _parse_list(text: str, pos: int) -> tuple[Mask, int]:
    mask: Mask = {}
    while pos < len(text) and text[pos] != ")":
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = text[start:pos].replace(".", "/").split("/")  # Docs: "subfields are dot-separated"
        if not all(path):
            raise invalid(f"Invalid field selection {text}", location="fields")
        node = mask
        for part in path:
            node = node.setdefault(part, {})
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse_list(text, pos + 1)
            if pos >= len(text) or text[pos] != ")":
                raise invalid(f"Invalid field selection {text}", location="fields")
            node.update(sub)
            pos += 1
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return mask, pos


def apply(mask: Mask, value: Any) -> Any:
    """`value` with only the selected fields kept (lists are filtered element by element)."""
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply(mask, item) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: apply(sub, value[key]) for key, sub in mask.items() if key in value}
