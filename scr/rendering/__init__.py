"""Rendering: the only place that builds a Jinja2 environment, and the only one that reads Markdown.

Templates render to Markdown, read once into a ``Document`` (``scr.rendering.document``); the .md file, the
.docx and Google Docs are each written from that model.
"""

from scr.rendering.document import Document
from scr.rendering.environment import Renderer, default_templates_dir
from scr.rendering.markdown import parse_document

__all__ = ["Document", "Renderer", "default_templates_dir", "parse_document"]
