"""What a Pagefind index holds, read from its files by URL rather than by page number, so
that two indexes of the same documents can be compared whatever order they numbered
them in. Written from the files themselves, apart from plugins/search/parts.py, which
these tests check."""

import gzip
import json
from pathlib import Path

import cbor2


def _decompressed(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd"), path
    return data.removeprefix(b"pagefind_dcd")


def _load(path: Path):
    return cbor2.loads(_decompressed(path))


def _by_url(pages: list, urls: list[str]) -> dict[str, list]:
    """Pagefind's pages of a word (numbers as differences) as URL → locations."""
    number, found = 0, {}
    for difference, *locations in pages:
        number += difference
        found[urls[number]] = locations
    return found


def read_index(index: Path) -> dict:
    """For each language: the pages' word counts, every word's pages and locations and
    its variants', the filters' values and pages, the sort orders, and the chunks (bounds
    and words)."""
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = {}
    for language, about in entry["languages"].items():
        version, pages, chunks, filters, sorts, fields = _load(
            index / f"pagefind.{about['hash']}.pf_meta"
        )
        assert about["page_count"] == len(pages)
        urls = [
            json.loads(_decompressed(index / "fragment" / f"{name}.pf_fragment"))["url"]
            for name, *_ in pages
        ]
        assert len(set(urls)) == len(urls)
        words, chunk_words = {}, []
        for first, last, name in chunks:
            chunk = _load(index / "index" / f"{name}.pf_index")[0]
            chunk_words.append((first, last, [word for word, _, _ in chunk]))
            for word, word_pages, variants in chunk:
                assert first <= word and word[: len(last)] <= last, (word, first, last)
                assert word not in words
                words[word] = (
                    _by_url(word_pages, urls),
                    {spelling: _by_url(spelled, urls) for spelling, spelled in variants},
                )
        values = {}
        for name, file in filters:
            filter_name, filter_values = _load(index / "filter" / f"{file}.pf_filter")
            assert filter_name == name
            values[name] = {value: sorted(urls[page] for page in on) for value, on in filter_values}
        languages[language] = {
            "version": version,
            "word_counts": {url: count for url, (_, count, *_) in zip(urls, pages, strict=True)},
            "words": words,
            "filters": values,
            "sorts": {name: [urls[page] for page in order] for name, order in sorts},
            "fields": fields,
            "chunks": chunk_words,
        }
    return languages
