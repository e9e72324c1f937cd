"""Filters that make what people typed safe to place in the Markdown our templates emit.

``md`` is for body text (paragraphs, bullets, quotes) and ``md_cell`` for a table cell. Both escape
HTML's special characters as entities and backslash-escape Markdown's, so an answer holding HTML,
Markdown or Jinja syntax comes out literally, never as markup.
"""

from __future__ import annotations

import re
from typing import Any

# Characters that start inline markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]|~{}=])")  # "=" too: "==" marks a highlighted placeholder
# Markers that start a block when they open a line: headings, quotes, bullets, numbered lists, rules.
_LINE_START = re.compile(r"^(#|>|[-+=]|\d+[.)])")
# C0/C1 control characters other than tab and newline: not allowed in .docx and never meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
HARD_BREAK = "\\\n"


def _escape_line(line: str) -> str:
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    line = _INLINE.sub(r"\\\1", line)
    # ">" is already an entity here; the remaining block markers need a backslash.
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], line)


def _lines(value: Any) -> list[str]:
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (line.strip() for line in text.split("\n"))
    return [_escape_line(line) for line in lines if line]


def md(value: Any) -> str:
    """Text a person typed, escaped for Markdown body text; its line breaks kept as hard breaks."""
    return HARD_BREAK.join(_lines(value))


def md_cell(value: Any) -> str:
    """Text a person typed, escaped for one Markdown table cell: line breaks become ' / '."""
    return " / ".join(_lines(value))


FILTERS = {"md": md, "md_cell": md_cell}
