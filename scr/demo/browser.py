"""What a browser would send for a page's first form, as it stands pre-filled: text and hidden fields with
their values, checked radios and checkboxes, and textareas with their text. Enough for the demo's people."""

from __future__ import annotations

from html.parser import HTMLParser


class _FirstForm(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, list[str]] = {}
        self._in_form = self._done = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and not self._done:
            self._in_form = True
        elif self._in_form and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind not in ("radio", "checkbox") or "checked" in a:
                self.fields.setdefault(a["name"], []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif self._in_form and tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.setdefault(self._textarea, []).append("".join(self._text))
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_fields(page_html: str) -> dict[str, list[str]]:
    """The fields the page's first form would post as it stands."""
    parser = _FirstForm()
    parser.feed(page_html)
    return parser.fields
