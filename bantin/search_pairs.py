"""The index's terms for pairs of adjacent words, made from the words' own locations.

A search for "công đoàn" by its syllables loads every page's locations of "công" and of
"đoàn" (at 10,000 articles, "công" alone is 280,000 locations on every page, most of a
megabyte); the pair is one term whose postings are the pages where the two stand together.
Pagefind could index pairs written into the documents, but it took four times as long;
here they are read off the merged index's words: a page's word at location n and its word
at n + 1 make a pair at n, with the first word's weight.

A pair is indexed when it is on at least `least_pages` pages: rarer pairs are cheap to
find by their words (the search page falls back to them when a pair finds nothing), and
indexing every pair would double the index. A delta index takes the base's pairs
(`only`), so that a pair finds the changed documents as it finds the others.

The postings are written as Pagefind's chunk entries straight into CBOR with numpy:
Python lists for millions of postings took longer than the rest of the merge.
"""

from collections.abc import Iterator
from itertools import chain
from operator import itemgetter

import cbor2
import numpy as np

from bantin.search import pair_word

# A page's difference and its locations, taken by map, which is faster than a generator.
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_BATCH = 500_000  # places of pairs encoded at once
_ARGUMENT_WIDTHS = ((24, 1), (25, 2), (26, 4), (27, 8))  # CBOR: the head's info, the bytes after


class PairPostings:
    """Collects each word's pages and locations as the merge writes them, then makes
    the pairs' chunk entries."""

    def __init__(self):
        self._words: list[str] = []
        self._page_gaps: list[np.ndarray] = []  # per word: page numbers as differences
        self._lengths: list[np.ndarray] = []  # per word: each page's count of locations
        self._locations: list[np.ndarray] = []  # per word: the locations as Pagefind codes them

    def add(self, word: str, pages: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A word of the index and its pages ([page difference, locations, meta locations]);
        returns them as arrays: each page's difference and count of locations, and the
        locations one after the other."""
        self._words.append(word)
        gaps = np.fromiter(map(_FIRST, pages), np.int32, len(pages))
        lengths = np.fromiter(map(len, map(_SECOND, pages)), np.int32, len(pages))
        locations = np.fromiter(
            chain.from_iterable(map(_SECOND, pages)), np.int32, int(lengths.sum())
        )
        self._page_gaps.append(gaps)
        self._lengths.append(lengths)
        self._locations.append(locations)
        return gaps, lengths, locations

    def entries(
        self, least_pages: int, only: frozenset[str] | None = None
    ) -> Iterator[tuple[str, int, bytes]]:
        """Each indexed pair in byte order, as (term, size, CBOR of its chunk entry);
        size counts its pages and locations as the merge cuts chunks."""
        if not self._words:
            return
        first, second, page, location, weight = self._adjacent()
        key = first.astype(np.int64) * len(self._words) + second
        del first, second
        # Stable: each pair's places stay in page and location order.
        order = np.argsort(key, kind="stable")
        key, page, location, weight = key[order], page[order], location[order], weight[order]
        del order
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        ends = np.r_[starts[1:], len(key)]
        new_page = np.r_[True, (key[1:] != key[:-1]) | (page[1:] != page[:-1])]
        pages_per_pair = np.add.reduceat(new_page.astype(np.int64), starts)
        candidates = np.flatnonzero(pages_per_pair >= (1 if only is not None else least_pages))
        terms = []
        for pair in candidates.tolist():
            one, two = divmod(int(key[starts[pair]]), len(self._words))
            term = pair_word(self._words[one], self._words[two])
            if term and (only is None or term in only):
                terms.append((term, pair))
        if not terms:
            return
        terms.sort()
        # Encoded a batch of pairs at a time: the CBOR items of all of them at once took
        # 1.5 GB at 10,000 articles.
        batch_start = 0
        while batch_start < len(terms):
            batch_end, entries = batch_start, 0
            while batch_end < len(terms) and (batch_end == batch_start or entries < _BATCH):
                pair = terms[batch_end][1]
                entries += int(ends[pair] - starts[pair])
                batch_end += 1
            batch = terms[batch_start:batch_end]
            chosen = np.array([pair for _, pair in batch])
            counts = ends[chosen] - starts[chosen]
            take = np.repeat(starts[chosen] - np.r_[0, np.cumsum(counts)[:-1]], counts)
            take += np.arange(counts.sum())
            term_of = np.repeat(np.arange(len(chosen)), counts)
            blob, bounds, sizes, page_counts = _encoded(
                term_of, page[take], location[take], weight[take]
            )
            for number, (term, _) in enumerate(batch):
                body = blob[bounds[number] : bounds[number + 1]]
                yield term, sizes[number], entry_cbor(term, page_counts[number], body)
            batch_start = batch_end

    def _adjacent(self):
        """Each place where a page's word is followed by another: the two words, the page,
        the location of the first and its weight."""
        gaps = np.concatenate(self._page_gaps)
        lengths = np.concatenate(self._lengths)
        codes = np.concatenate(self._locations)
        pages_of_word = [len(word_gaps) for word_gaps in self._page_gaps]
        self._page_gaps = self._lengths = self._locations = []
        page = _page_numbers(gaps, pages_of_word)
        word = np.repeat(np.arange(len(pages_of_word), dtype=np.int32), pages_of_word)
        page, location, weight, word = _decoded(codes, lengths, page, word)
        del codes
        # A page's words in the order they are written. Pagefind also indexes at a word's
        # location its parts between changes of case ("mc", "donald" of "McDonald"), weighed
        # less, and a word with punctuation around it as written too ("theo”" and "theo"):
        # the word written is the one of most weight (most negative code), and the first
        # in byte order of those.
        place = page.astype(np.int64) * (int(location.max()) + 2) + location
        order = np.lexsort((word, weight, place))
        place = place[order]
        written = order[np.r_[True, place[1:] != place[:-1]]]
        del place, order
        page, location, weight, word = (
            page[written],
            location[written],
            weight[written],
            word[written],
        )
        adjacent = (page[1:] == page[:-1]) & (location[1:] == location[:-1] + 1)
        return (
            word[:-1][adjacent],
            word[1:][adjacent],
            page[:-1][adjacent],
            location[:-1][adjacent],
            weight[:-1][adjacent],
        )


def _page_numbers(gaps: np.ndarray, pages_of_word: list[int]) -> np.ndarray:
    """Each word's page numbers, from differences that start again at each word."""
    sums = np.cumsum(gaps, dtype=np.int64)
    word_starts = np.r_[0, np.cumsum(pages_of_word)[:-1]]
    before = np.repeat(sums[word_starts] - gaps[word_starts], pages_of_word)
    return (sums - before).astype(np.int32)


def _decoded(codes, lengths, page, word_of_page):
    """Pagefind's locations of each page of a word: a negative number sets the weight
    of the locations after it (-(weight × 24 + 1)), the first location after it is
    itself, each next one the difference from the one before. Every location with its
    page, weight and word."""
    starts = np.zeros(len(codes), bool)
    starts[np.cumsum(lengths)[:-1]] = True
    starts[0] = True
    marker = codes < 0
    begins = starts.copy()
    begins[1:] |= marker[:-1]
    values = np.where(marker, 0, codes)
    sums = np.cumsum(values, dtype=np.int64)
    first = np.flatnonzero(begins)
    run = np.cumsum(begins, dtype=np.int32) - 1
    location = (sums - (sums[first] - values[first])[run]).astype(np.int32)
    del sums, run, first, begins, values
    # Each location's weight: the last marker before it on its page.
    last = np.where(marker | starts, np.arange(len(codes), dtype=np.int32), 0)
    np.maximum.accumulate(last, out=last)
    weight = np.where(marker[last], codes[last], -25).astype(np.int32)
    del last
    kept = ~marker
    return (
        np.repeat(page, lengths)[kept],
        location[kept],
        weight[kept],
        np.repeat(word_of_page, lengths)[kept],
    )


def _encoded(term_of, page, location, weight):
    """The pages of each term as CBOR, one term after the other: [difference, locations
    coded as Pagefind codes them, []] for each page. Returns the bytes, where each
    term's begin, and each term's size (pages and locations, as the merge counts them)
    and count of pages."""
    new_term = np.r_[True, term_of[1:] != term_of[:-1]]
    new_page = new_term | np.r_[True, page[1:] != page[:-1]]
    # A marker before a page's first location and wherever the weight changes.
    marked = new_page | np.r_[True, weight[1:] != weight[:-1]]
    step = np.where(marked, location, location - np.r_[0, location[:-1]])
    codes = np.empty(len(location) + int(marked.sum()), np.int64)
    code_of = np.arange(len(location)) + np.cumsum(marked)
    codes[code_of] = step
    codes[code_of[marked] - 1] = weight[marked]
    page_starts = np.flatnonzero(new_page)
    counts = np.add.reduceat(1 + marked.astype(np.int64), page_starts)
    pages = page[page_starts].astype(np.int64)
    term_first_page = new_term[page_starts]
    gaps = np.where(term_first_page, pages, pages - np.r_[0, pages[:-1]])
    terms_first_page = np.flatnonzero(term_first_page)
    blob, bounds = pages_cbor(gaps, counts, codes, terms_first_page)
    sizes = np.add.reduceat(counts + 1, terms_first_page).tolist()
    page_counts = np.diff(np.r_[terms_first_page, len(page_starts)]).tolist()
    return blob, bounds, sizes, page_counts


def pages_cbor(gaps, counts, codes, first_pages) -> tuple[bytes, list[int]]:
    """Pages of terms as a chunk entry holds them, [difference, [codes…], []] each, in
    CBOR one after the other, from each page's difference and count of codes and the
    codes one after the other; and where the pages of each term (first_pages: the index
    of its first page) begin in it, and its end."""
    # Each page's CBOR items (major type, argument), in order.
    per_page = 4 + counts
    page_first = np.r_[0, np.cumsum(per_page)[:-1]]
    major = np.empty(int(per_page.sum()), np.int64)
    argument = np.empty(len(major), np.int64)
    major[page_first], argument[page_first] = 4, 3
    major[page_first + 1], argument[page_first + 1] = 0, gaps
    major[page_first + 2], argument[page_first + 2] = 4, counts
    major[page_first + 3 + counts], argument[page_first + 3 + counts] = 4, 0
    code_items = np.repeat(page_first + 3, counts) + (
        np.arange(len(codes)) - np.repeat(np.r_[0, np.cumsum(counts)[:-1]], counts)
    )
    major[code_items] = np.where(codes < 0, 1, 0)
    argument[code_items] = np.where(codes < 0, -1 - codes, codes)
    blob, offsets = _items(major, argument)
    return blob, np.r_[offsets[page_first[first_pages]], len(blob)].tolist()


def entry_cbor(term: str, page_count: int, pages: bytes) -> bytes:
    """A chunk entry, [term, pages, variants], in CBOR, from its pages' (pages_cbor); no
    variants."""
    return b"\x83" + cbor2.dumps(term) + cbor_head(4, page_count) + pages + b"\x80"


def cbor_head(major: int, argument: int) -> bytes:
    """A CBOR item's head: its major type and argument."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, width in _ARGUMENT_WIDTHS:
        if argument < 1 << (8 * width):
            return bytes([major << 5 | info]) + argument.to_bytes(width, "big")
    raise ValueError(f"a CBOR argument is at most 64 bits, not {argument}")


def _items(major: np.ndarray, argument: np.ndarray) -> tuple[bytes, np.ndarray]:
    """CBOR heads of the items (major type, argument), one after the other, and where
    each begins: arguments under 24 in the first byte, then in 1, 2 or 4 bytes after it."""
    extra = np.full(len(argument), 4, np.uint8)
    extra[argument < 2**16] = 2
    extra[argument < 2**8] = 1
    extra[argument < 24] = 0
    info = np.full(len(argument), 26, np.uint8)
    info[extra == 2] = 25
    info[extra == 1] = 24
    small = extra == 0
    info[small] = argument[small]
    offsets = np.r_[0, np.cumsum(1 + extra, dtype=np.int64)[:-1]]
    out = np.zeros(int(offsets[-1]) + 1 + int(extra[-1]), np.uint8)
    out[offsets] = (major.astype(np.uint8) << 5) | info
    for width in (1, 2, 4):
        at = offsets[extra == width]
        values = argument[extra == width]
        for byte in range(width):
            out[at + 1 + byte] = (values >> (8 * (width - 1 - byte))) & 0xFF
    return out.tobytes(), offsets
