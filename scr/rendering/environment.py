"""One factory for Jinja2 environments: strict about missing values, escaping what people typed.

Two environments share one loader: ``html`` (autoescaped, for the local web app) and ``text`` (for
Markdown documents and emails, where the ``md`` filters escape what people typed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2

from scr import assets
from scr.domain.calendar import format_when
from scr.errors import TemplateError
from scr.rendering.document import Document
from scr.rendering.escaping import FILTERS as MARKDOWN_FILTERS
from scr.rendering.markdown import parse_document


def default_templates_dir() -> Path:
    return assets.templates_dir()


def when(value: dt.datetime | dt.date | None, empty: str = "not yet") -> str:
    """A date or moment as the board writes it, in UK time: '26 November 2026' or '26 November 2026, 14:05'."""
    return format_when(value, empty)


class Renderer:
    """Renders templates by name; a template that asks for a missing value is an error, never a blank."""

    def __init__(self, templates_dir: Path | None = None, filters: dict[str, Any] | None = None):
        self.templates_dir = Path(templates_dir or default_templates_dir()).resolve()
        loader = jinja2.FileSystemLoader(str(self.templates_dir))
        common = dict(loader=loader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        self.html = jinja2.Environment(autoescape=True, **common)
        self.text = jinja2.Environment(autoescape=False, trim_blocks=True, lstrip_blocks=True, **common)
        for env in (self.html, self.text):
            env.filters["when"] = when
        self.text.filters.update(MARKDOWN_FILTERS)
        for env in (self.html, self.text):
            env.filters.update(filters or {})

    def document(self, name: str, **context: Any) -> Document:
        """Render the Markdown template ``name`` and read it, once, as the document every writer takes."""
        return parse_document(self.render(name, **context))

    def render(self, name: str, **context: Any) -> str:
        """Render ``name`` fully; HTML templates (``*.html.j2``) are autoescaped."""
        env = self.html if name.endswith(".html.j2") else self.text
        try:
            return env.get_template(name).render(**context)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"Template {name} asked for a value its context lacks: {exc.message}") from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"Template {name} not found under {self.templates_dir}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"Template {exc.name or name} has a syntax error at line {exc.lineno}: {exc.message}"
            ) from None
