"""The document model: what rendering produces and every document writer reads.

A ``Document`` is a review document (factor summary, terms of reference, QM6 evidence) as blocks in
reading order: headings, paragraphs, bullets, quotes and tables, their text as runs of one formatting each
(bold, italic, highlighted: a placeholder the board must complete). It keeps the Markdown it was rendered
as, which is the ``.md`` file the board reads. Writers (the Markdown file, Word, Google Docs requests) take
a ``Document`` and never parse text: ``scr.rendering.markdown`` does that once, inside rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Block", "Bullet", "Document", "Heading", "Paragraph", "Quote", "Run", "Runs", "Table", "plain_text"]


@dataclass(frozen=True)
class Run:
    """Text with one formatting; a line break inside a paragraph is a ``\\n`` in ``text``."""

    text: str
    bold: bool = False
    italic: bool = False
    highlight: bool = False


Runs = tuple[Run, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: Runs


@dataclass(frozen=True)
class Bullet:
    runs: Runs
    level: int = 0


@dataclass(frozen=True)
class Quote:
    runs: Runs


@dataclass(frozen=True)
class Table:
    header: tuple[Runs, ...]
    rows: tuple[tuple[Runs, ...], ...]


Block = Heading | Paragraph | Bullet | Quote | Table


@dataclass(frozen=True)
class Document:
    """A rendered document: its blocks, and the Markdown text they were read from (written as the .md file)."""

    blocks: tuple[Block, ...]
    markdown: str

    @property
    def title(self) -> str | None:
        """The text of its first heading, if it has one."""
        return next((block.text for block in self.blocks if isinstance(block, Heading)), None)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Table))


def plain_text(runs: Runs) -> str:
    return "".join(run.text for run in runs)
