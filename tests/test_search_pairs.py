"""The pairs of adjacent words the search index holds (bantin/search_pairs.py), checked
against the words' own places in the same index, read apart from that code."""

import pytest

from bantin.search import PAIR_START, pair_word
from tests.support.pagefind import read_index
from tests.support.sites import Site


def places(codes: list[int]) -> list[tuple[int, int]]:
    """Pagefind's coded locations as (location, weight code): a negative number is the
    weight of what follows, the first location after it is itself, the next ones
    differences."""
    found, weight, last = [], None, None
    for code in codes:
        if code < 0:
            weight, last = code, None
            continue
        last = code if last is None else last + code
        found.append((last, weight))
    return sorted(found)


def test_each_pair_is_where_its_words_stand_together_on_two_pages_or_more(sample_site):
    words = read_index(sample_site / "pagefind")["vi"]["words"]
    written: dict[str, dict[int, list[tuple[int, str]]]] = {}
    for word, (pages, _) in words.items():
        if word.startswith(PAIR_START):
            continue
        for url, (codes, _) in pages.items():
            for location, weight in places(codes):
                written.setdefault(url, {}).setdefault(location, []).append((weight, word))
    expected: dict[str, dict[str, list]] = {}
    for url, at in written.items():
        for location, here in at.items():
            # Pagefind also indexes parts of a word between changes of case ("hdn" of
            # "HDNDz"…) and the word with its punctuation, at its place and weighed less or alike: the word
            # written is the one of most weight, the first in byte order of those.
            weight, first = min(here)
            if location + 1 in at and (term := pair_word(first, min(at[location + 1])[1])):
                expected.setdefault(term, {}).setdefault(url, []).append((location, weight))
    frequent = {
        term: {url: sorted(found) for url, found in pages.items()}
        for term, pages in expected.items()
        if len(pages) >= 2
    }
    pairs = {
        word: {url: places(codes) for url, (codes, _) in pages.items()}
        for word, (pages, _) in words.items()
        if word.startswith(PAIR_START)
    }
    assert pairs == frequent
    assert len(pairs) > 100
    assert "zzcongdoanzbchdkfz" in pairs  # "công đoàn"
    assert len(expected) > len(pairs)  # those on one page are left out


@pytest.mark.parametrize("share", [-0.1, 1.5, "1%", True])
def test_a_pair_share_that_is_not_within_0_and_1_stops_the_build(tmp_path, share):
    site = Site(tmp_path)
    site.article("mot", title="Một bài")
    with pytest.raises(Exception, match=r"SEARCH_PAIR_SHARE must be a number within 0-1, not"):
        site.build(SEARCH_PAIR_SHARE=share)
    assert not site.output.exists()
