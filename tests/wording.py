"""Board wording left in a safeguarding partnership's text: what `find_board_wording` reports.

A partnership's documents, emails and pages must not speak of a board, an LSCB or a Serious Case Review.
Allowed, and taken out before looking: quotations of quality marker 6 (verbatim, and attributed where they
appear), the title of the marker's publication, and names the partnership configured (an agency such as
"Northshire Integrated Care Board", and the integrated care board as a statutory partner).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scr.domain.evidence import QUESTIONS

BOARD_WORDING = re.compile(r"\b(boards?|boards'|LSCBs?|serious case reviews?)\b", re.IGNORECASE)
MARKER_QUOTATIONS = (
    *QUESTIONS,
    "are made with input from LSCB members and in conjunction with the lead reviewer(s)",
    "the decisions about the precise form and focus of the SCR to be commissioned take into account factors "
    "related to the case and the local context",
)
MARKER_TITLE = re.compile(r"\*?Serious case review quality markers\*?")
ATTRIBUTION = "NSPCC/SCIE (2016)"


def find_board_wording(text: str, names: Iterable[str] = ()) -> list[str]:
    """Each piece of board wording in ``text`` with a little context, once the allowed text is taken out."""
    text = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes: "0\.1" reads "0.1"
    text = re.sub(r"=\r?\n", "", text)  # quoted-printable soft breaks in .eml files
    for allowed in (*MARKER_QUOTATIONS, *sorted(names, key=len, reverse=True), "integrated care board"):
        text = re.sub(re.escape(allowed), "", text, flags=re.IGNORECASE)
    text = MARKER_TITLE.sub("", text)
    return [text[max(0, m.start() - 50): m.end() + 30].replace("\n", " ") for m in BOARD_WORDING.finditer(text)]


def quotations_are_attributed(text: str) -> list[str]:
    """Each marker quotation in ``text`` whose paragraph (or the heading above a quoted question) does not
    name its source."""
    unattributed = []
    for quotation in MARKER_QUOTATIONS:
        for found in re.finditer(re.escape(quotation), text):
            before = text[: found.start()]
            if ATTRIBUTION not in before and ATTRIBUTION not in text[found.start(): found.start() + 800]:
                unattributed.append(quotation[:60])
    return unattributed
