"""The Renderer's escaping filters: what people typed comes out literally, never as markup."""

from __future__ import annotations

import datetime as dt

import pytest

from scr.errors import TemplateError
from scr.rendering import Renderer
from scr.rendering.document import Paragraph, plain_text
from scr.rendering.escaping import md, md_cell
from scr.rendering.markdown import parse_blocks


def test_md_escapes_html_as_entities():
    assert md("<script>alert(1)</script> & co") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("[link](x)", r"\[link\](x)"),
        ("a|b `c` \\d", r"a\|b \`c\` \\d"),
        ("# heading", r"\# heading"),
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("1. first", r"1\. first"),
        ("> quoted", "&gt; quoted"),
        ("{{ 7*7 }}", r"\{\{ 7\*7 \}\}"),
    ],
)
def test_md_backslash_escapes_markdown_specials(typed, escaped):
    assert md(typed) == escaped


def test_md_keeps_line_breaks_as_hard_breaks_and_drops_blank_lines():
    assert md("first\r\n\n  # second  \nthird") == "first\\\n\\# second\\\nthird"


def test_md_drops_control_characters_and_handles_none():
    assert md("a\x00b\x0bc\x1b") == "abc"
    assert md(None) == ""
    assert md(3) == "3"


def test_md_cell_puts_lines_on_one_row_and_escapes_pipes():
    assert md_cell("x | y\n# z") == r"x \| y / \# z"
    assert "\n" not in md_cell("a\nb\r\nc")


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        "# heading",
        "|pipe|",
        "{{ 7*7 }}",
        "C:\\temp\\",
        "**not bold** *not italic* \\* &amp; &lt;",
        "1) a\n- b\n> c\n---",
        "طفل T (ملاحظة) and English mixed 子供",
    ],
)
def test_escaped_text_parses_back_to_exactly_what_was_typed(typed):
    blocks = parse_blocks(md(typed))
    assert blocks == [Paragraph(blocks[0].runs)]
    assert plain_text(blocks[0].runs) == typed
    assert not any(run.bold or run.italic for run in blocks[0].runs)


@pytest.fixture
def renderer(tmp_path):
    (tmp_path / "echo.md.j2").write_text("Said: {{ text|md }}\n| {{ text|md_cell }} |\n{{ at|when }}\n")
    (tmp_path / "page.html.j2").write_text("<p>{{ text }}</p>")
    (tmp_path / "broken.md.j2").write_text("{% if %}")
    return Renderer(tmp_path)


def test_jinja_syntax_typed_by_a_member_stays_literal(renderer):
    out = renderer.render("echo.md.j2", text="{{ 7*7 }} {% if x %}", at=dt.date(2026, 11, 26))
    assert "49" not in out
    assert r"\{\{ 7\*7 \}\} \{% if x %\}" in out
    assert "26 November 2026" in out


def test_markdown_filters_belong_to_the_text_environment_only(renderer):
    assert {"md", "md_cell", "when"} <= set(renderer.text.filters)
    assert "md" not in renderer.html.filters
    assert renderer.render("page.html.j2", text="<b>") == "<p>&lt;b&gt;</p>"


def test_extra_filters_are_registered_on_both_environments(tmp_path):
    renderer = Renderer(tmp_path, filters={"shout": str.upper})
    assert renderer.text.filters["shout"] is renderer.html.filters["shout"]


def test_a_missing_value_is_a_template_error_naming_the_template(renderer):
    with pytest.raises(TemplateError, match="echo.md.j2"):
        renderer.render("echo.md.j2", text="x")


def test_unknown_and_broken_templates_are_template_errors(renderer):
    with pytest.raises(TemplateError, match="not found"):
        renderer.render("nowhere.md.j2")
    with pytest.raises(TemplateError, match="syntax error"):
        renderer.render("broken.md.j2")
