"""The Markdown our templates emit, read once into the document model (``scr.rendering.document``).

The subset understood is what the templates write: ATX headings, paragraphs (a line ending in a backslash
is a hard break), ``-`` bullets indented two spaces a level, ``>`` quotes and pipe tables with a header row.
Inline: ``**bold**``, ``*italic*``, ``==highlighted==`` (a placeholder the board must complete), backslash
escapes and HTML entities, which become the literal characters a person typed (``&lt;script&gt;`` is the
text ``<script>``). Only rendering parses: the writers of the .docx and of Google Docs read the model.
"""

from __future__ import annotations

import html
import re

from scr.rendering.document import Block, Bullet, Document, Heading, Paragraph, Quote, Run, Runs, Table, plain_text

__all__ = ["parse_blocks", "parse_document", "parse_inline"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_BULLET = re.compile(r"^( *)[-*+]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_SPECIAL = re.compile(r"[\\&*=]")
_ESCAPABLE = set(r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""")


def parse_inline(text: str) -> Runs:
    """Inline Markdown as runs: bold, italic and highlight switched by ``**``, ``*`` and ``==``, escapes made
    literal."""
    runs: list[Run] = []
    buffer: list[str] = []
    bold = italic = highlight = False

    def flush() -> None:
        if buffer:
            runs.append(Run("".join(buffer), bold, italic, highlight))
            buffer.clear()

    i = 0
    while i < len(text):
        special = _SPECIAL.search(text, i)  # plain text up to the next character that may mean something
        if special is None:
            buffer.append(text[i:])
            break
        if special.start() > i:
            buffer.append(text[i:special.start()])
            i = special.start()
        char = text[i]
        if char == "\\" and i + 1 < len(text) and (text[i + 1] in _ESCAPABLE or text[i + 1] == "\n"):
            buffer.append(text[i + 1])
            i += 2
        elif char == "&" and (entity := _ENTITY.match(text, i)):
            buffer.append(html.unescape(entity.group(0)))
            i = entity.end()
        elif text.startswith("**", i):
            flush()
            bold = not bold
            i += 2
        elif text.startswith("==", i):
            flush()
            highlight = not highlight
            i += 2
        elif char == "*":
            flush()
            italic = not italic
            i += 1
        else:
            buffer.append(char)
            i += 1
    flush()
    return _merge(runs)


def _merge(runs: list[Run]) -> Runs:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].highlight) == (run.bold, run.italic,
                                                                                     run.highlight):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.highlight)
        else:
            merged.append(run)
    return tuple(merged)


def _hard_break(line: str) -> bool:
    """A line ending in an odd number of backslashes ends in a hard break (an even number is escaped)."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _join(lines: list[str]) -> str:
    """Lines of one block as inline source: a trailing backslash keeps the break, others become spaces."""
    parts = [line.strip() for line in lines]
    out = ""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if _hard_break(part):
            out += part[:-1] if last else part + "\n"
        else:
            out += part if last else part + " "
    return out


def _cells(line: str) -> list[str]:
    """The cells of a table row, split on pipes that are not backslash-escaped."""
    cells, cell, i = [], "", 0
    line = line.strip()
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            cell += line[i : i + 2]
            i += 2
            continue
        if line[i] == "|":
            cells.append(cell.strip())
            cell = ""
        else:
            cell += line[i]
        i += 1
    cells.append(cell.strip())
    if line.startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1] and line.endswith("|"):
        cells = cells[:-1]
    return cells


def _starts_block(line: str, next_line: str | None) -> bool:
    return bool(
        _HEADING.match(line)
        or _BULLET.match(line)
        or _QUOTE.match(line)
        or (line.lstrip().startswith("|") and next_line is not None and _TABLE_RULE.match(next_line))
    )


def parse_blocks(markdown: str) -> list[Block]:
    """The Markdown subset our templates emit, as a list of blocks in document order."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    blocks: list[Block] = []
    i = 0

    def peek(j: int) -> str | None:
        return lines[j] if j < len(lines) else None

    def continuation(j: int) -> list[str]:
        taken = []
        while j < len(lines) and lines[j].strip() and not _starts_block(lines[j], peek(j + 1)):
            taken.append(lines[j])
            j += 1
        return taken

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif heading := _HEADING.match(line):
            blocks.append(Heading(len(heading.group(1)), plain_text(parse_inline(heading.group(2)))))
            i += 1
        elif bullet := _BULLET.match(line):
            more = continuation(i + 1)
            level = len(bullet.group(1)) // 2
            blocks.append(Bullet(parse_inline(_join([bullet.group(2), *more])), level))
            i += 1 + len(more)
        elif _QUOTE.match(line):
            quoted = []
            while i < len(lines) and (quote := _QUOTE.match(lines[i])):
                quoted.append(quote.group(1))
                i += 1
            blocks.append(Quote(parse_inline(_join(quoted))))
        elif line.lstrip().startswith("|") and _TABLE_RULE.match(peek(i + 1) or ""):
            header = tuple(parse_inline(cell) for cell in _cells(line))
            i += 2
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                cells = [parse_inline(cell) for cell in _cells(lines[i])]
                cells = (cells + [()] * len(header))[: len(header)]
                rows.append(tuple(cells))
                i += 1
            blocks.append(Table(header, tuple(rows)))
        else:
            more = continuation(i + 1)
            blocks.append(Paragraph(parse_inline(_join([line, *more]))))
            i += 1 + len(more)
    return blocks



def parse_document(markdown: str) -> Document:
    """Rendered Markdown as a ``Document``: its blocks, read once, and the text itself."""
    return Document(tuple(parse_blocks(markdown)), markdown)
