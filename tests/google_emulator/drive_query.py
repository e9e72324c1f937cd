"""Drive's `q` search language, the part our product uses.

Supported terms, combined with and / or / not and parentheses::

    appProperties has { key='k' and value='v' }      properties has { ... }
    '<id>' in parents          trashed = false          name = 'x'    name contains 'x'
    mimeType = '...'           mimeType != '...'        modifiedTime > '2026-01-01T00:00:00'

Anything else is answered as Drive does: 400 "Invalid Value" on parameter q.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import invalid

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<op>!=|<=|>=|[=<>{}()])|(?P<word>[A-Za-z_]+))")


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if not found or found.end() == pos:
            if text[pos:].strip():
                raise _invalid_q()
            break
        kind = found.lastgroup or ""
        value = found.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
        pos = found.end()
    return out


def _invalid_q() -> Exception:
    return invalid("Invalid Value", location="q")


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> str:
        token = self.peek()
        if token is None or (kind and token[0] != kind) or (value and token[1].lower() != value):
            raise _invalid_q()
        self.pos += 1
        return token[1]

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] != "str" and token[1].lower() == value

    def expression(self) -> Predicate:
        left = self.conjunction()
        while self.at("or"):
            self.take()
            right, first = self.conjunction(), left
            left = lambda f, a=first, b=right: a(f) or b(f)  # noqa: E731
        return left

    def conjunction(self) -> Predicate:
        left = self.term()
        while self.at("and"):
            self.take()
            right, first = self.term(), left
            left = lambda f, a=first, b=right: a(f) and b(f)  # noqa: E731
        return left

    def term(self) -> Predicate:
        if self.at("not"):
            self.take()
            inner = self.term()
            return lambda f: not inner(f)
        if self.at("("):
            self.take()
            inner = self.expression()
            self.take("op", ")")
            return inner
        token = self.peek()
        if token and token[0] == "str":
            value = self.take()
            self.take("word", "in")
            collection = self.take("word")
            if collection != "parents":
                raise _invalid_q()
            return lambda f: value in f.get("parents", [])
        return self.condition(self.take("word"))

    def condition(self, field: str) -> Predicate:
        if field in ("appProperties", "properties"):
            self.take("word", "has")
            self.take("op", "{")
            self.take("word", "key")
            self.take("op", "=")
            key = self.take("str")
            self.take("word", "and")
            self.take("word", "value")
            self.take("op", "=")
            value = self.take("str")
            self.take("op", "}")
            return lambda f: f.get(field, {}).get(key) == value
        if field == "trashed":
            self.take("op", "=")
            wanted = self.take("word").lower()
            if wanted not in ("true", "false"):
                raise _invalid_q()
            return lambda f: f.get("trashed", False) == (wanted == "true")
        if field in ("name", "mimeType"):
            if self.at("contains") and field == "name":
                self.take()
                part = self.take("str").lower()
                return lambda f: part in f.get("name", "").lower()
            op = self.take("op")
            value = self.take("str")
            if op == "=":
                return lambda f: f.get(field) == value
            if op == "!=":
                return lambda f: f.get(field) != value
            raise _invalid_q()
        if field in ("modifiedTime", "createdTime"):
            op = self.take("op")
            value = self.take("str")
            compare = {"=": str.__eq__, "!=": str.__ne__, "<": str.__lt__, "<=": str.__le__,
                       ">": str.__gt__, ">=": str.__ge__}.get(op)
            if compare is None:
                raise _invalid_q()
            return lambda f: compare(f.get(field, "")[:19], value[:19])
        raise _invalid_q()


def compile_query(text: str | None) -> Predicate:
    """A predicate on file metadata for Drive query `text` (None or blank matches everything)."""
    if not text or not text.strip():
        return lambda f: True
    parser = _Parser(text)
    predicate = parser.expression()
    if parser.peek() is not None:
        raise _invalid_q()
    return predicate
