"""Every string of the theme goes through gettext and has a Vietnamese translation."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "theme/translations/vi/LC_MESSAGES/messages.po"
PROPER_NAMES = {"RSS", "Atom"}  # names of formats, the same in every language


def template_messages() -> set[str]:
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}
    found = extract_from_dir(str(ROOT / "theme/templates"), method_map, options)
    return {message[2] if isinstance(message[2], str) else message[2][0] for message in found}


def test_every_template_string_has_a_vietnamese_translation():
    with CATALOGUE.open("rb") as po_file:
        catalogue = read_po(po_file)
    translated = {
        (message.id if isinstance(message.id, str) else message.id[0])
        for message in catalogue
        if message.id
        and message.string
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    messages = template_messages()
    assert len(messages) > 30
    assert sorted(messages - translated) == []


def test_templates_have_no_untranslated_visible_english():
    """Text between tags must come from data or from _(): catches a forgotten _()."""
    for template in (ROOT / "theme/templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", text, flags=re.S)
        visible = re.sub(r"<[^>]+>", " ", text)
        visible = re.sub(r"'[\w-]+'", " ", visible)  # Content-Security-Policy source keywords
        words = [w for w in re.findall(r"[A-Za-z]{3,}", visible) if w not in PROPER_NAMES]
        assert words == [], f"{template.name}: {words}"
