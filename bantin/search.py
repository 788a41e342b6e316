"""What the search index holds for each article, in the form Vietnamese readers search.

Pagefind folds tone marks by itself but never "đ", and treats the two tone-mark
placements ("Ủy"/"Uỷ") as different exact spellings. So the indexed text is the
article's text with tones placed the new way and "đ" written "d"; every change keeps
the text's length and word boundaries. The browser turns a query into the same form,
and puts the editor's spelling back into excerpts with the article's word map.

What a result shows (title, date, kind, thumbnail, word map) travels as one Pagefind
meta value written in Braille-pattern characters. Pagefind 1.5 indexes every meta
value as searchable words: the word maps alone added a posting per editor's spelling
to every page and made the index chunk a rare name loads 60 % larger. Braille patterns are
neither letters nor digits, so Pagefind finds no word in them.
"""

import html
import json
import re
from collections import Counter
from dataclasses import dataclass

from bantin.vietnamese import nfc, place_tones

_WORD = re.compile(r"\w+")
# A word every document holds: a search by filters alone looks it up, because Pagefind
# answers a search without words by loading every index chunk (20 MB at 10,000 pages).
# It sorts among numbers, whose index chunks stay small: Pagefind 1.5 cuts chunks by
# counting the accent-free words only, so chunks of accented words grow to 1 MB.
EVERY_DOCUMENT = "0tatca"
_BRAILLE_BLANK = 0x2800  # + byte value: one Braille pattern per byte of UTF-8


def unsearchable(value: str) -> str:
    """The value's UTF-8 bytes as Braille patterns, which Pagefind does not index."""
    return "".join(chr(_BRAILLE_BLANK + byte) for byte in value.encode())


def document_file(url: str) -> str:
    """Where an article's search document goes for Pagefind, which takes the result's
    URL from the file's path (url is a site path, e.g. "2020/12/25/slug/")."""
    return f"{url}index.html" if url.endswith("/") else url


def index_form(text: str) -> str:
    """Text as the index holds it: NFC, new tone placement, "đ" → "d"."""
    text = nfc(text)
    placed = place_tones(text)
    if len(placed) != len(text):  # never expected; keep offsets aligned whatever happens
        placed = text
    return placed.replace("đ", "d").replace("Đ", "D")


def word_map(text: str) -> dict[str, str]:
    """For each indexed word that differs from what the editor wrote, the spelling
    used most often in this text."""
    original = nfc(text)
    indexed = index_form(original)
    if len(indexed) != len(original):
        return {}
    spellings: dict[str, Counter] = {}
    for match in _WORD.finditer(original):
        written, found = match.group(), indexed[match.start() : match.end()]
        if found != written:
            spellings.setdefault(found, Counter())[written] += 1
    return {found: counts.most_common(1)[0][0] for found, counts in sorted(spellings.items())}


@dataclass(frozen=True)
class SearchDocument:
    url: str  # site path, e.g. "2020/12/25/slug/"
    title: str
    text: str  # body and the names it mentions, as plain text
    date_iso: str
    date_label: str
    kind: str
    image: str | None
    filters: tuple[tuple[str, str], ...]  # (filter name, value)

    def html(self) -> str:
        def attribute(value: str) -> str:
            return html.escape(value, quote=True)

        shown = {
            "title": self.title,
            "date": self.date_label,
            "kind": self.kind,
            "words": word_map(f"{self.title} {self.text}"),
        }
        if self.image:
            shown["image"] = self.image
        # An empty title keeps Pagefind from taking (and indexing) the heading as one.
        hidden = '<span data-pagefind-meta="title:"></span>'
        hidden += (
            f'<span data-pagefind-meta="result[data-value]" '
            f'data-value="{attribute(unsearchable(json.dumps(shown, ensure_ascii=False)))}"></span>'
        )
        hidden += "".join(
            f'<span data-pagefind-filter="{name}[data-value]" data-value="{attribute(value)}"></span>'
            for name, value in self.filters
        )
        hidden += f'<span data-pagefind-sort="date[data-value]" data-value="{attribute(self.date_iso)}"></span>'
        return (
            f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(self.title)}</title></head>'
            f"<body><main data-pagefind-body><p>{EVERY_DOCUMENT}</p><h1>{html.escape(index_form(self.title))}</h1>"
            f"<p>{html.escape(index_form(self.text))}</p>{hidden}</main></body></html>"
        )
