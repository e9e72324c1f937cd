"""The factor summary as the lead reviewers get it, written from what the store holds, read back as text.

Corpus cases use it to check that odd text a person typed reaches the documents literally: HTML stays
text, a Jinja expression is not evaluated, Markdown syntax makes no heading or table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from scr.domain.forms import MemberForm
from scr.domain.overview import factor_overview
from scr.domain.summary import consolidate
from scr.ports import ReviewStore
from scr.rendering import Renderer, parse_document
from scr.rendering.document import Bullet, Heading, Paragraph, Quote, plain_text
from scr.rendering.word import write_document

AT = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


def as_written(typed: str) -> str:
    """What the documents show for a text: its lines trimmed, empty lines left out (see scr.rendering.escaping)."""
    return "\n".join(line.strip() for line in typed.split("\n") if line.strip())


class SummaryText:
    """The factor summary for one review: its Markdown, its blocks and its Word document's text."""

    def __init__(self, store: ReviewStore, review_id: str, form: MemberForm, folder: Path):
        review = store.get_review(review_id)
        summary = consolidate(review, form, store.latest_responses(review_id), AT, include_late=True)
        self.markdown = Renderer().render("factor-summary.md.j2", review=review, vocab=review.vocabulary,
                                          summary=summary, overview=factor_overview(summary, review), deadline=AT)
        document = parse_document(self.markdown)
        self.blocks = document.blocks
        path = write_document(document, folder / "factor-summary.docx", title=f"{review_id} factor summary")
        self.word = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)

    def headings(self) -> list[str]:
        return [block.text for block in self.blocks if isinstance(block, Heading)]

    def texts(self) -> list[str]:
        """The text of every paragraph, bullet and quote, as a reader sees it."""
        return [plain_text(block.runs) for block in self.blocks if isinstance(block, Paragraph | Bullet | Quote)]

    def shows(self, typed: str) -> bool:
        """True when some paragraph or bullet ends with exactly the text typed, as the documents show it."""
        return any(text.endswith(as_written(typed)) for text in self.texts())
