"""The review's documents as files: OUT/<review_id>/<name>.md and <name>.docx, written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from scr.domain.model import Review
from scr.errors import StoreError
from scr.rendering.document import Document
from scr.rendering.word import WordLook, write_document

__all__ = ["LocalDocuments", "word_look"]

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _safe(kind: str, value: str) -> str:
    if not _SAFE_NAME.match(value) or ".." in value:
        raise StoreError(
            f"Cannot write a document with {kind} {value!r}: use letters, digits, '.', '_' or '-' only, "
            "starting with a letter or digit (for example 'SCR-2026-014' or 'terms-of-reference')."
        )
    return value


def word_look(review: Review) -> WordLook:
    """How a review's Word documents look: its board named as author, its marking, its Word template."""
    template = review.style.word_template
    return WordLook(review.board_name, review.style.protective_marking, Path(template) if template else None)


class LocalDocuments:
    """Writes each document as Markdown and Word side by side; a failure leaves no partial file.

    ``look`` gives, for a review id, how its Word documents look (by default, the product's template and
    OFFICIAL-SENSITIVE).
    """

    def __init__(self, out_dir: Path, look: Callable[[str], WordLook] | None = None):
        self.out_dir = Path(out_dir)
        self.look = look or (lambda _review_id: WordLook())

    def write(self, review_id: str, name: str, document: Document) -> list[Path]:
        """Write ``document`` as ``<name>.md`` and ``<name>.docx`` under the review's folder; return both paths."""
        folder = self.out_dir / _safe("review id", review_id)
        targets = [folder / f"{_safe('name', name)}.md", folder / f"{name}.docx"]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create {folder} for review {review_id}: {exc.strerror}") from exc
        temps: list[Path] = []
        try:
            temps.append(self._temp(folder, name, ".md"))
            temps[-1].write_text(document.markdown, encoding="utf-8")
            temps.append(self._temp(folder, name, ".docx"))
            write_document(document, temps[-1], title=f"{review_id} {name}", look=self.look(review_id))
            for temp, target in zip(temps, targets, strict=True):
                os.replace(temp, target)
        except OSError as exc:
            raise StoreError(
                f"Cannot write {name} for review {review_id} under {folder}: {exc.strerror or exc}. "
                "Check the folder exists and is writable, then run the step again."
            ) from exc
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)
        return targets

    @staticmethod
    def _temp(folder: Path, name: str, suffix: str) -> Path:
        handle, path = tempfile.mkstemp(prefix=f".{name}.", suffix=f"{suffix}.tmp", dir=folder)
        os.close(handle)
        return Path(path)

    def share(self, review_id: str, name: str, people, message: str) -> int:
        """Local documents are files in a folder the business manager controls: nothing is shared."""
        return 0
