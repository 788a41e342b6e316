"""Imported body text renders exactly as published, whatever Markdown characters it has."""

import re
from html import unescape

import markdown
from hypothesis import given
from hypothesis import strategies as st

from bantin.importer.writer import escape_markdown, markdown_body
from tests.support.sites import SETTINGS

ALPHABET = "aăâđêôơưáạếộ ABĐ0123456789.,;:!?-+*_`#>[](){}<>&|\\/\"'“”~=%^"


def rendered_text(source: str) -> str:
    from bantin.build import load_settings

    options = load_settings(SETTINGS)["MARKDOWN"]
    html = markdown.markdown(source, **options)
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


@given(
    st.text(alphabet=ALPHABET, min_size=1, max_size=60).filter(
        lambda text: text.strip() == text and text and not re.match(r"^[-+*]\s", text)
    )
)
def test_a_paragraph_renders_as_written(paragraph):
    assert rendered_text(escape_markdown(paragraph)) == paragraph


def test_dash_and_plus_lines_become_a_nested_list():
    source = markdown_body(["Mục tiêu:", "- Một", "+ Hai", "- Ba"])
    assert source == "Mục tiêu:\n\n- Một\n    + Hai\n- Ba\n"
    assert "<ul>" in markdown.markdown(source, extensions=["extra", "sane_lists"])
