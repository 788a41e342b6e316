"""One Pagefind index made from indexes of parts of the documents.

Pagefind holds every word occurrence it is given in memory until it writes the index
(about 360 bytes each: 3.8 GB for 10,000 articles of ~900 words), so the memory of one
run grows with the archive. Run on parts of a bounded size, each run stays within a
bounded memory; this module then merges the parts' indexes into the index one run
over all the documents would have written: the same pages, words, locations, filters
and sort orders, so that a search finds and ranks alike (Pagefind ranks with counts
over the whole index, which the merged one has). Every index is written here, even one
made by a single run, for what is done unlike Pagefind: chunks cut so that a word loads
no other large chunk with its own (_chunks), their bounds as short as they can be
(_listed), and the files the meta file names named by 5 hex digits.

Pagefind 1.5's files, as read here: each is gzip of b"pagefind_dcd" and CBOR. The
language's meta file lists the pages ([fragment name, word count]), the word chunks
([lower bound, upper bound, name]), the filters ([name, file]), the sort orders ([name,
pages in ascending order]) and the meta fields.
A word chunk lists words in byte order, each as [word, pages, variants], where pages
are [page number as the difference from the previous one, locations, meta locations]
and variants (a word's spellings with diacritics) [spelling, pages] alike. A filter
file is [name, [[value, page numbers]]].

The merge reads one chunk per part at a time, and keeps of each word only its locations
in numpy arrays for the pairs of adjacent words (bantin/search_pairs.py), which it
indexes too.
"""

import argparse
import bisect
import gc
import gzip
import hashlib
import heapq
import json
import math
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import cbor2
import deflate
import numpy as np

from bantin.search import PAIR_START, unmarked
from bantin.search_pairs import PairPostings, cbor_head, entry_cbor, pages_cbor

PAGEFIND_HEADER = b"pagefind_dcd"  # starts every decompressed Pagefind file
_ENTRY = "pagefind-entry.json"
# Pagefind 1.5 closes a chunk of words once the pages and locations in it reach this.
_CHUNK_SIZE = 20_000
_HASH_LENGTH = 7  # hex digits of a file's name, lengthened where two would collide
# Every search downloads the meta file, which names each page's data file and each chunk
# of words: with 5 hex digits rather than Pagefind's 7, it is 13 KB smaller at 10,000
# articles for the pages and 2.5 KB for the chunks.
_LISTED_HASH_LENGTH = 5
# Compressed by libdeflate, whose level 6 is five times faster than zlib's and 2 % smaller
# (85 MB of chunks at 10,000 articles: 1.0 s and 35.5 MB, where zlib took 5.2 s for 36.2 MB).
# The files a search downloads whole, and not one among many (the meta file and Pagefind's
# WebAssembly, which every search downloads, and the filter files), are few: at
# libdeflate's highest level the meta file is 12 % smaller (85 KB for 97 KB at 10,000
# articles, in 20 ms), the WebAssembly 3 % (64 KB for 66 KB).
_CHUNK_LEVEL = 6
_WHOLE_LEVEL = 12


# Of a page of a word, [difference, locations, meta locations]: taken by map, which is
# faster than a generator, for the millions of pages.
_DIFFERENCE, _META_LOCATIONS = itemgetter(0), itemgetter(2)


class PartsDiffer(Exception):
    """The parts were not made by the same Pagefind with the same settings."""


@dataclass(frozen=True)
class PairChoice:
    """Which pairs of adjacent words are indexed: those of another index (`terms`), or
    those on at least `share` of the pages (and on two)."""

    share: float
    terms: frozenset[str] | None = None

    def least_pages(self, pages: int) -> int:
        return max(2, math.ceil(self.share * pages))


def merge(parts: list[Path], target: Path, pairs: PairChoice) -> list[str]:
    """Write into target (a new folder) the index of every part's documents, in the
    order of parts, with the pairs chosen; return the pairs indexed. Each sort order of
    the merged index is the parts' orders one after the other: the parts must follow
    each other in every sort (cut by date, for the date sort)."""
    entries = [json.loads((part / _ENTRY).read_text(encoding="utf-8")) for part in parts]
    _same(
        "Pagefind version and languages", [(e["version"], sorted(e["languages"])) for e in entries]
    )
    target.mkdir(parents=True)
    for kept in parts[0].iterdir():  # Pagefind's scripts and WebAssembly
        if kept.suffix == ".pagefind":  # the WebAssembly, which every search downloads
            compressed = deflate.gzip_compress(gzip.decompress(kept.read_bytes()), _WHOLE_LEVEL)
            (target / kept.name).write_bytes(compressed)
        elif kept.is_file() and kept.suffix != ".pf_meta" and kept.name != _ENTRY:
            shutil.copy2(kept, target / kept.name)
    names = _Names(target)
    merged_entry = dict(entries[0], languages={})
    indexed_pairs: list[str] = []
    for language in entries[0]["languages"]:
        metas = [
            _read(part / f"pagefind.{entry['languages'][language]['hash']}.pf_meta")
            for part, entry in zip(parts, entries, strict=True)
        ]
        meta = _merge_language(language, parts, metas, names, pairs, indexed_pairs)
        name = names.write("", language, ".pf_meta", meta, prefix="pagefind.")
        merged_entry["languages"][language] = {
            **entries[0]["languages"][language],
            "hash": name.removeprefix("pagefind.").removesuffix(".pf_meta"),
            "page_count": len(meta[1]),
        }
    (target / _ENTRY).write_text(json.dumps(merged_entry, ensure_ascii=False), encoding="utf-8")
    return sorted(set(indexed_pairs))


def _merge_language(language, parts, metas, names, pairs: PairChoice, indexed: list) -> list:
    version, _, _, _, _, meta_fields = metas[0]
    _same("meta fields", [meta[5] for meta in metas])
    offsets, pages = [], []
    for part, meta in zip(parts, metas, strict=True):
        offsets.append(len(pages))
        # A page is its fragment's name and word count; Pagefind 1.6 adds the name of a
        # file grouping fragments, which it makes only when asked to (--max-fragments)
        # and the merge does not carry over.
        for fragment, word_count, *grouped in meta[1]:
            if any(grouped):
                raise PartsDiffer(f"{part}: page {fragment} is in a group file {grouped}")
            pages.append([names.link_fragment(part, fragment), word_count, *grouped])
    words = heapq.merge(
        *(
            _words(part, meta, offset)
            for part, meta, offset in zip(parts, metas, offsets, strict=True)
        ),
        key=lambda entry: entry[0],
    )
    postings = PairPostings()
    chunks = [
        (
            lower,
            chunk[0][0][0],
            last,
            names.write_encoded("index", language, ".pf_index", _cbor(chunk)),
        )
        for lower, last, chunk in _chunks(
            _collected(_joined(words), postings),
            term=lambda word: word[0][0],
            size=lambda word: len(word[1][0]) + int(word[1][1].sum()),
        )
    ]
    pair_chunks = []
    for lower, last, entries in _chunks(
        postings.entries(pairs.least_pages(len(pages)), pairs.terms),
        term=lambda entry: entry[0],  # (term, size, CBOR)
        size=lambda entry: entry[1],
    ):
        indexed.extend(term for term, _, _ in entries)
        encoded = b"\x81" + cbor_head(4, len(entries)) + b"".join(data for _, _, data in entries)
        name = names.write_encoded("index", language, ".pf_index", encoded)
        pair_chunks.append((lower, entries[0][0], last, name))
    # Pair chunks go where their bounds sort among the words' (Pagefind takes the chunks
    # as the meta file lists them).
    place = sum(1 for chunk in chunks if chunk[0] < PAIR_START)
    chunks[place:place] = pair_chunks
    filters = _filters(parts, metas, offsets)
    sorts = {}
    for meta, offset in zip(metas, offsets, strict=True):
        for name, order in meta[4]:
            sorts.setdefault(name, []).extend(offset + page for page in order)
    return [
        version,
        pages,
        _listed(chunks),
        [
            [name, names.write("filter", language, ".pf_filter", [name, values])]
            for name, values in sorted(filters.items())
        ],
        [[name, order] for name, order in sorted(sorts.items())],
        meta_fields,
    ]


def _words(part: Path, meta: list, offset: int) -> Iterator[tuple[str, list, list, int]]:
    """Each word of a part with its pages and variants; page numbers, still as
    differences, start from the part's first page."""
    for _, _, chunk in meta[2]:
        for word, pages, variants in _read(part / "index" / f"{chunk}.pf_index")[0]:
            yield word, pages, variants, offset


def _joined(words: Iterator[tuple[str, list, list, int]]) -> Iterator[list]:
    """Words of every part, one entry per word, its pages and variants followed
    part after part."""
    current = None
    for word, pages, variants, offset in words:
        if current is None or current[0] != word:
            if current is not None:
                yield _packed(current)
            current = (word, _Pages(), {})
        current[1].extend(pages, offset)
        for spelling, spelled in variants:
            current[2].setdefault(spelling, _Pages()).extend(spelled, offset)
    if current is not None:
        yield _packed(current)


def _collected(words: Iterator[list], postings: PairPostings) -> Iterator[tuple]:
    """Each word, with its pages as arrays, after it is given to the pairs."""
    for word in words:
        yield word, postings.add(word[0], word[1])


def _cbor(chunk: list[tuple]) -> bytes:
    """A chunk of words (each [word, pages, variants] and its pages as arrays) as CBOR:
    the pages by numpy, byte for byte what cbor2 writes (1.2 s at 10,000 articles, where
    cbor2 took 3.3); a word with variants or with places in meta values, by cbor2."""
    plain = [
        number
        for number, (word, _) in enumerate(chunk)
        if not word[2] and not any(map(_META_LOCATIONS, word[1]))
    ]
    encoded = {}
    if plain:
        arrays = [chunk[number][1] for number in plain]
        page_counts = [len(gaps) for gaps, _, _ in arrays]
        blob, bounds = pages_cbor(
            *(np.concatenate(column) for column in zip(*arrays, strict=True)),
            np.r_[0, np.cumsum(page_counts)[:-1]],
        )
        for number, pages, start, end in zip(
            plain, page_counts, bounds[:-1], bounds[1:], strict=True
        ):
            encoded[number] = entry_cbor(chunk[number][0][0], pages, blob[start:end])
    items = [encoded.get(number) or cbor2.dumps(word) for number, (word, _) in enumerate(chunk)]
    return b"\x81" + cbor_head(4, len(chunk)) + b"".join(items)


def _packed(joined) -> list:
    word, pages, variants = joined
    return [word, pages.list, [[spelling, spelled.list] for spelling, spelled in variants.items()]]


class _Pages:
    """A list of pages whose numbers are differences from the one before."""

    def __init__(self):
        self.list: list = []
        self._last = 0

    def extend(self, pages: list, offset: int) -> None:
        if not pages:
            return
        first, *rest = pages[0]
        self.list.append([offset + first - self._last, *rest])
        self.list.extend(pages[1:])
        self._last = offset + sum(map(_DIFFERENCE, pages))


def _chunks(entries: Iterator, term: Callable, size: Callable) -> Iterator[tuple]:
    """The entries (words or pairs, each with its term and its size in pages and places)
    cut into chunks, each with the bounds the meta file gives it. Pagefind loads for a
    search word every chunk whose bounds hold it, and finds in them the words it begins.

    A word searched without diacritics (bantin.search.unmarked) begins words that sort
    after others ("cong" < "congo" < "congzbcz" < "congzbjz"), so when a chunk is cut
    among those, Pagefind's own bounds (the shortest beginnings that tell neighbouring
    chunks apart) hold it in the first chunk only, and "cong" missed every "cộng" after
    the cut. Here a chunk is bounded by the lowest beginning so searched of its words
    and by its last word. Such a lower bound reaches back over the chunks closed since
    that beginning ("zzcongdo", of "công độ", over "công đoàn", "công đồng"...), and a
    search for any word there loads the chunk too: words whose bounds reach back over as
    many chunks are kept in chunks of their own, which are small, rather than with the
    next words, which would then be loaded with every word reached over.

    Pagefind closes a chunk once it holds _CHUNK_SIZE places; here a word that would
    take a chunk past that also starts the next one, so a common word (the pair "công
    đoàn" has 27,000 places at 10,000 articles) is loaded alone, not with the words
    before it.
    """
    closed: list[str] = []  # the last word of each chunk closed, in order

    def reached(entry) -> int:
        return len(closed) - bisect.bisect_left(closed, unmarked(term(entry)))

    def bounded(chunk: list) -> tuple:
        closed.append(term(chunk[-1]))
        return min(unmarked(term(entry)) for entry in chunk), term(chunk[-1]), chunk

    chunk, filled, chunk_reach = [], 0, 0
    for entry in entries:
        entry_size, reach = size(entry), reached(entry)
        if chunk and (reach != chunk_reach or filled + entry_size > _CHUNK_SIZE):
            yield bounded(chunk)
            chunk, filled, reach = [], 0, reached(entry)
        chunk.append(entry)
        filled += entry_size
        chunk_reach = reach
        if filled >= _CHUNK_SIZE:
            yield bounded(chunk)
            chunk, filled = [], 0
    if chunk:
        yield bounded(chunk)


def _listed(chunks: list[tuple[str, str, str, str]]) -> list[list[str]]:
    """The meta file's list of chunks, [lower bound, upper bound, name], from each chunk's
    lower bound, first and last word, and name, in order: the bounds as short as they can
    be while holding the same words, since every search downloads them (4 KB less at
    10,000 articles). A lower bound after the chunk before's last word is cut to its
    shortest beginning still after it; an upper bound is the shortest string from the
    last word on that is still before the next chunk's first word."""
    listed = []
    for place, (lower, _, last, name) in enumerate(chunks):
        if place and chunks[place - 1][2] < lower:
            lower = lower[: _shared(chunks[place - 1][2], lower) + 1]
        upper = last
        if place + 1 < len(chunks):
            following = chunks[place + 1][1]
            at = _shared(last, following)
            if at < len(last) and last[at] < "\x7f":
                shorter = last[:at] + chr(ord(last[at]) + 1)
                upper = shorter if shorter < following else last
        listed.append([lower, upper, name])
    return listed


def _shared(one: str, two: str) -> int:
    """How many first characters the two have in common."""
    return next(
        (at for at, (a, b) in enumerate(zip(one, two, strict=False)) if a != b),
        min(len(one), len(two)),
    )


def _filters(parts, metas, offsets) -> dict[str, list]:
    merged: dict[str, dict[str, list[int]]] = {}
    for part, meta, offset in zip(parts, metas, offsets, strict=True):
        for name, file in meta[3]:
            _, values = _read(part / "filter" / f"{file}.pf_filter")
            for value, pages in values:
                merged.setdefault(name, {}).setdefault(value, []).extend(offset + p for p in pages)
    # Sorted, so that the same documents always give the same bytes (Pagefind's own
    # order of values changes from run to run).
    return {
        name: [[v, pages] for v, pages in sorted(values.items())] for name, values in merged.items()
    }


class _Names:
    """Files of the merged index, named by their content like Pagefind's."""

    def __init__(self, target: Path):
        self.target = target
        self._taken: set[str] = set()

    def write(self, folder: str, language: str, suffix: str, value, prefix="") -> str:
        return self.write_encoded(folder, language, suffix, cbor2.dumps(value), prefix)

    def write_encoded(
        self, folder: str, language: str, suffix: str, encoded: bytes, prefix=""
    ) -> str:
        chunk = folder == "index"
        length = _LISTED_HASH_LENGTH if chunk else _HASH_LENGTH
        level = _CHUNK_LEVEL if chunk else _WHOLE_LEVEL
        data = deflate.gzip_compress(PAGEFIND_HEADER + encoded, level)
        digest = hashlib.sha256(data).hexdigest()
        name = self._free(folder, f"{prefix}{language}_", digest, length)
        path = self.target / folder / f"{name}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return name

    def link_fragment(self, part: Path, name: str) -> str:
        """A part's fragment, named by its content."""
        source_file = part / "fragment" / f"{name}.pf_fragment"
        language = name.split("_", 1)[0]
        digest = hashlib.sha256(source_file.read_bytes()).hexdigest()
        name = self._free("fragment", f"{language}_", digest, _LISTED_HASH_LENGTH)
        target = self.target / "fragment" / f"{name}.pf_fragment"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source_file, target)
        return name

    def _free(self, folder: str, prefix: str, digest: str, length: int) -> str:
        while f"{folder}/{prefix}{digest[:length]}" in self._taken:
            length += 1
        name = f"{prefix}{digest[:length]}"
        self._taken.add(f"{folder}/{name}")
        return name


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(PAGEFIND_HEADER):
        raise PartsDiffer(f"{path} is not a Pagefind file this version can read")
    return cbor2.loads(data[len(PAGEFIND_HEADER) :])


def _same(what: str, values: list) -> None:
    if any(value != values[0] for value in values):
        raise PartsDiffer(f"the parts differ in their {what}: {values}")


def main() -> None:
    """Run by plugins/search/index.py, on a core of its own."""
    # The merge makes millions of small lists (the parts' words as cbor2 decodes them)
    # and no reference cycles: the cycle collector, run again and again as they were
    # made, took 40 % of its time at 10,000 articles.
    gc.disable()
    arguments = argparse.ArgumentParser(description=merge.__doc__)
    arguments.add_argument("target", type=Path)
    arguments.add_argument("parts", type=Path, nargs="+")
    arguments.add_argument("--pair-share", type=float, required=True)
    arguments.add_argument("--pairs-of", type=Path, help="index the pairs listed in this file")
    arguments.add_argument("--pairs-to", type=Path, help="list the pairs indexed in this file")
    given = arguments.parse_args()
    terms = None
    if given.pairs_of:
        terms = frozenset(given.pairs_of.read_text(encoding="utf-8").split())
    indexed = merge(given.parts, given.target, PairChoice(given.pair_share, terms))
    if given.pairs_to:
        given.pairs_to.write_text("\n".join(indexed), encoding="utf-8")


if __name__ == "__main__":
    main()
