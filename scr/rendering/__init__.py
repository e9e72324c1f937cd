"""Rendering: the only place that builds a Jinja2 environment."""

from scr.rendering.environment import Renderer, default_templates_dir

__all__ = ["Renderer", "default_templates_dir"]
