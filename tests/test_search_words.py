"""Words as the search index holds them: ASCII letters and a code of their marks."""

import re
import unicodedata
from pathlib import Path

import pytest

from bantin import search
from bantin.search import index_form, index_word, spelled, word_map
from bantin.vietnamese import place_tones

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def seed_words() -> set[str]:
    words = set()
    for seed in sorted(SEEDS.glob("*.txt")):
        words |= set(re.findall(r"\w+", unicodedata.normalize("NFC", seed.read_text("utf-8"))))
    return words


def test_every_word_of_the_real_bulletins_is_indexed_in_ascii_and_spelled_back():
    words = seed_words()
    assert len(words) > 900
    for word in words:
        placed = place_tones(word)
        indexed = index_word(placed)
        assert indexed.isascii(), word
        assert spelled(indexed) == placed, word


@pytest.mark.parametrize(
    ("written", "indexed"),
    [
        ("Công", "Congzbcz"),
        ("Đoàn", "Doanzadefz"),
        ("HĐND", "HDNDZBDZ"),
        ("người", "nguoizewgwfz"),
        ("2020", "2020"),
    ],
)
def test_a_word_is_its_letters_then_a_code_of_its_marks(written, indexed):
    assert index_form(written) == indexed


def test_both_tone_placements_and_nfd_are_indexed_alike():
    forms = {
        index_form(text) for text in ["Ủy ban", "Uỷ ban", unicodedata.normalize("NFD", "Ủy ban")]
    }
    assert forms == {"Uyzbrz ban"}


def test_a_query_without_diacritics_is_the_beginning_of_every_spelling():
    # Pagefind matches a search word against the beginning of indexed words.
    for word in ["công", "cộng", "cong"]:
        assert index_form(word).startswith("cong")
    assert index_form("Hùng") != index_form("Hưng")


def test_the_word_map_keeps_only_spellings_not_spelled_back():
    assert word_map("Uỷ ban Công đoàn") == {}
    # The old tone placement, written most often in this text, is shown as written.
    assert word_map("Thúy Thúy Thuý") == {"Thuyzgsz": "Thúy"}
    assert word_map("Thuý Thuý Thúy") == {}
    # Of spellings written as often, the first in the text; each word on its own.
    assert word_map("Thúy Thuý hoà hòa") == {"Thuyzgsz": "Thúy"}
    assert word_map("Thuý Thúy hòa hoà Uỷ") == {"hoazefz": "hòa"}
    # A plain word shaped like the code of a written one is one of its spellings.
    assert word_map("Congzbcz Công Công") == {}
    assert word_map("Congzbcz Congzbcz Công") == {"Congzbcz": "Congzbcz"}


def test_words_are_coded_alike_after_their_cache_is_emptied(monkeypatch):
    text = "Thúy Thúy Thuý hòa Uỷ ban Công đoàn Thúy"
    coded, mapped = index_form(text), word_map(text)
    assert mapped == {"Thuyzgsz": "Thúy", "hoazefz": "hòa"}
    for name in ("_CODES", "_NOT_SPELLED_BACK"):
        monkeypatch.setattr(search, name, search._PerWord(getattr(search, name)._make, most=2))
    assert (index_form(text), word_map(text)) == (coded, mapped)
    assert len(search._CODES) <= 2


def test_words_outside_vietnamese_stay_as_written():
    assert index_form("Straße café") == "Straße cafezgsz"
    # A plain word shaped like a code is spelled back through the word map.
    assert word_map("abzbsz") == {"abzbsz": "abzbsz"}
