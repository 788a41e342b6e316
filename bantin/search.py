"""What the search index holds for each article, in the form Vietnamese readers search.

Every word is indexed in ASCII: its letters without marks, then, when it has marks, a
code of which letter carries which ("Công" → "Congzbcz", "Đoàn" → "Doanzadefz": the
letter at position 1 (b) has a circumflex (c); the mark letters are Telex's: c circumflex,
w breve or horn, s f r x j the five tones, d the stroke of "đ"). Positions are numbers
written with letters for digits, and the code of a word ending in a capital is in
capitals ("HĐND" → "HDNDZBDZ"): Pagefind indexes, besides a word, its parts between
digits and between changes of case ("bachz" and "jz" of "Bachz1jz,"), which made 15 % of
all index entries when positions were digits. Pagefind matches a search word against the beginning of indexed words,
so a query without diacritics ("cong doan") finds every spelling, and a query with
them, coded the same way, finds the exact spelling. Words are coded after their tones
are placed the new way, so both placements ("Ủy"/"Uỷ") give one code. Pagefind 1.5
cuts its index into chunks by counting only the words without diacritics: with the
words as written, chunks of accented words grew to 1.4 MB at 10,000 articles, and a
search downloaded them whole; in ASCII they are cut by size.

The browser codes a query the same way (theme/static/js/search.js), and shows excerpts
with each code spelled back ("Congzbcz" → "Công"); the word map carries the editor's
spelling where it differs from that (the old tone placement).

Two adjacent words are also indexed as one term (bantin/search_pairs.py), "zz" and both
words' letters, then the code of both words' marks ("công đoàn" → "zzcongdoanzbchdkfz"):
most Vietnamese words are two syllables, and a pair is far rarer than either syllable
("công" is on nearly every page), so a search by pairs downloads a small part of what a
search by syllables does. No word begins with "zz", so a word's search never finds pairs.

What a result shows (title, date, kind, lead, thumbnail, word map) travels as one Pagefind
meta value written in Braille-pattern characters. Pagefind 1.5 indexes every meta
value as searchable words: the word maps alone added a posting per editor's spelling
to every page and made the index chunk a rare name loads 60 % larger. Braille patterns are
neither letters nor digits, so Pagefind finds no word in them.
"""

import html
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from bantin.vietnamese import nfc, place_tones

# A search by filters alone looks up a word of one of its values, which only that value's
# documents hold (each document holds one for each of its values): Pagefind answers a
# search without words by loading every index chunk (20 MB at 10,000 pages), and a word
# every document held made it go through all of them (36 ms, where a year's 456 of
# 10,000 take 9). Digits only: they sort among numbers, whose chunks stay small, and
# Pagefind indexes no part of them (with "0tatca", which every document held once,
# "tatca" was indexed too, and "tat" found every article). "00" and ten digits, as no
# date, phone number or amount in Vietnamese text is written.
_FNV_OFFSET, _FNV_PRIME = 0x811C9DC5, 0x01000193


@lru_cache(maxsize=100_000)  # the values of a site's filters, each on many documents
def filter_word(name: str, value: str) -> str:
    """The word every document with this filter value holds: a 32-bit FNV-1a hash of
    the name and value, which the search page computes the same way (search.js)."""
    hashed = _FNV_OFFSET
    for byte in f"{name}\n{value}".encode():
        hashed = ((hashed ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return f"00{hashed:010d}"


_BRAILLE_BLANK = 0x2800  # + byte value: one Braille pattern per byte of UTF-8
_AS_BRAILLE = {byte: chr(_BRAILLE_BLANK + byte) for byte in range(256)}


def unsearchable(value: str) -> str:
    """The value's UTF-8 bytes as Braille patterns, which Pagefind does not index."""
    # Latin-1 gives each byte the character of its own number, which translate replaces.
    return value.encode().decode("latin-1").translate(_AS_BRAILLE)


def document_file(url: str) -> str:
    """Where an article's search document goes for Pagefind, which takes the result's
    URL from the file's path (url is a site path, e.g. "2020/12/25/slug/")."""
    return f"{url}index.html" if url.endswith("/") else url


# The mark each combining character is coded with, and back.
_MARK_CODES = {
    "\u0302": "c",  # circumflex: â ê ô
    "\u0306": "w",  # breve: ă
    "\u031b": "w",  # horn: ơ ư
    "\u0301": "s",  # sắc
    "\u0300": "f",  # huyền
    "\u0309": "r",  # hỏi
    "\u0303": "x",  # ngã
    "\u0323": "j",  # nặng
}
# "w" is a breve on "a" and a horn on "o" and "u"; "d" turns "d" into "đ".
_MARKS = {code: mark for mark, code in _MARK_CODES.items() if code != "w"}
# The letters standing for the digits 0-9 of a position: the first ten that code no mark.
_DIGITS = "abeghiklmn"
_MARKED_LETTER = re.compile(rf"([{_DIGITS}]+)([cwsfrxjd]+)", re.IGNORECASE)  # position, marks
_CODED = re.compile(rf"([a-z]+)z((?:{_MARKED_LETTER.pattern})+)z", re.IGNORECASE)


def _position(index: int) -> str:
    return "".join(_DIGITS[int(digit)] for digit in str(index))


def _index(position: str) -> int:
    return int("".join(str(_DIGITS.index(letter)) for letter in position.lower()))


def _code(letters: str, marks: str) -> str:
    """A word's letters and the code of its marks, in capitals after a capital."""
    code = f"z{marks}z"
    return letters + (code.upper() if letters[-1].isupper() else code)


@lru_cache(maxsize=200_000)
def index_word(word: str) -> str:
    """A word (NFC, tone placed the new way) as the index holds it; words with letters
    or marks outside Vietnamese ("ß", "ü") stay as written."""
    letters, marks = [], ""
    for letter in word:
        if letter in "đĐ":
            marks += f"{_position(len(letters))}d"
            letters.append("d" if letter == "đ" else "D")
            continue
        base, *combining = unicodedata.normalize("NFD", letter)
        codes = [_MARK_CODES.get(mark) for mark in combining]
        if None in codes or not base.isascii():
            return word
        if codes:
            marks += f"{_position(len(letters))}{''.join(codes)}"
        letters.append(base)
    return _code("".join(letters), marks) if marks else word


def unmarked(word: str) -> str:
    """An indexed word's letters without the code of its marks: the beginning a query
    typed without diacritics finds it by."""
    coded = _CODED.fullmatch(word)
    return coded[1] if coded else word


PAIR_START = "zz"
# A word a pair can be made of: letters a-z, lowercase as Pagefind holds them, and the code
# of their marks. Pairs with digits or letters outside Vietnamese are left out: their
# beginning typed without marks would not be the letters before the code.
_PAIRABLE = re.compile(rf"([a-z]+?)(?:z((?:{_MARKED_LETTER.pattern})+)z)?")


def pair_word(first: str, second: str) -> str | None:
    """Two adjacent indexed words (lowercase) as the index's one term for the pair, or
    None when either cannot be paired."""
    one, two = _PAIRABLE.fullmatch(first), _PAIRABLE.fullmatch(second)
    if not one or not two or first.startswith(PAIR_START):
        return None
    shift = len(one[1])
    marks = (one[2] or "") + "".join(
        f"{_position(_index(position) + shift)}{codes}"
        for position, codes in _MARKED_LETTER.findall(two[2] or "")
    )
    letters = f"{PAIR_START}{one[1]}{two[1]}"
    return _code(letters, marks) if marks else letters


@lru_cache(maxsize=200_000)
def spelled(word: str) -> str:
    """An indexed word spelled with its marks again (NFC): index_word reversed."""
    coded = _CODED.fullmatch(word)
    if not coded:
        return word
    letters = list(coded[1])
    for position, codes in _MARKED_LETTER.findall(coded[2]):
        index = _index(position)
        if index >= len(letters):
            return word
        for code in codes.lower():
            letter = letters[index]
            if code == "d":
                letters[index] = {"d": "đ", "D": "Đ"}.get(letter, letter)
            elif code == "w":
                letters[index] += "\u0306" if letter[0] in "aA" else "\u031b"
            else:
                letters[index] += _MARKS[code]
    return unicodedata.normalize("NFC", "".join(letters))


class _PerWord(dict):
    """A value for each distinct word, made once by `make` and then looked up by dict's
    own lookup (a text's words are coded by map(cache.__getitem__, words): a Python call
    per word took a third of the time of making a search document). Emptied when it
    holds `most`, as a long-running preview sees ever more words."""

    def __init__(self, make, most: int = 200_000):
        super().__init__()
        self._make, self._most = make, most

    def __missing__(self, word: str):
        if len(self) >= self._most:
            self.clear()
        value = self[word] = self._make(word)
        return value


# A word of NFC text as the index holds it; place_tones goes word by word, so a text's
# words can be coded one at a time, and each distinct word once.
_CODES = _PerWord(lambda word: index_word(place_tones(word)))
# Whether a written word is not what its code spells back (the old tone placement, or a
# word that looks coded): only such words make a word map.
_NOT_SPELLED_BACK = _PerWord(lambda word: spelled(_CODES[word]) != word)
_WORD_AND_BETWEEN = re.compile(r"(\w+)")


def _cut(text: str) -> list[str]:
    """NFC text cut into its words (at odd places) and what stands between them."""
    return _WORD_AND_BETWEEN.split(nfc(text))


def _coded(cut: list[str]) -> str:
    coded = cut.copy()
    coded[1::2] = map(_CODES.__getitem__, cut[1::2])
    return "".join(coded)


def index_form(text: str) -> str:
    """Text as the index holds it: every word, its tone placed the new way, coded by
    index_word."""
    return _coded(_cut(text))


def word_map(text: str) -> dict[str, str]:
    """For each indexed word whose spelling back (`spelled`) is not what the editor
    wrote most often in this text, the editor's spelling."""
    return _word_map(_cut(text)[1::2])


def _word_map(words: list[str]) -> dict[str, str]:
    distinct = dict.fromkeys(words)  # in the order of each word's first place in the text
    odd = list(compress(distinct, map(_NOT_SPELLED_BACK.__getitem__, distinct)))
    if not odd:
        return {}
    counts = Counter(words)
    first_place = {word: place for place, word in enumerate(distinct)}
    spellings: dict[str, list[str]] = {}  # code → the text's spellings of it
    for word in odd:
        spellings.setdefault(_CODES[word], []).append(word)
    shown = {}
    for code, written in spellings.items():
        spelled_back = spelled(code)
        if spelled_back in counts and _CODES[spelled_back] == code:
            written.append(spelled_back)
        # Most written; of spellings written as often, the first in the text.
        most = min(written, key=lambda word: (-counts[word], first_place[word]))
        if most != spelled_back:
            shown[code] = most
    return dict(sorted(shown.items()))


def result_card(title: str, date_label: str, kind: str, lead: str, image: str | None) -> dict:
    """What a search result shows of an article (search.js, resultItem): its title, date,
    kind of event, the beginning of its lead (shown by a search by filters alone, which
    has no words to cut an excerpt around) and its thumbnail."""
    card = {"title": title, "date": date_label, "kind": kind, "lead": lead}
    if image:
        card["image"] = image
    return card


@dataclass(frozen=True)
class SearchDocument:
    url: str  # site path, e.g. "2020/12/25/slug/"
    title: str
    text: str  # body and the names it mentions, as plain text
    date_order: str  # its value in the date sort, unique (plugins/search/sources.py)
    date_label: str
    kind: str
    lead: str  # the beginning of the article's lead, as plain text
    image: str | None
    filters: tuple[tuple[str, str], ...]  # (filter name, value)

    def html(self) -> str:
        def attribute(value: str) -> str:
            return html.escape(value, quote=True)

        title, text = _cut(self.title), _cut(self.text)
        shown = {
            **result_card(self.title, self.date_label, self.kind, self.lead, self.image),
            "words": _word_map(title[1::2] + text[1::2]),
        }
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
        hidden += f'<span data-pagefind-sort="date[data-value]" data-value="{attribute(self.date_order)}"></span>'
        looked_up = [filter_word(name, value) for name, value in self.filters]
        return (
            f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(self.title)}</title></head>'
            f"<body><main data-pagefind-body><p>{' '.join(looked_up)}</p><h1>{html.escape(_coded(title))}</h1>"
            f"<p>{html.escape(_coded(text))}</p>{hidden}</main></body></html>"
        )
