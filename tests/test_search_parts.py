"""A search index made in parts (SEARCH_PART_WORDS), so that Pagefind's memory stays
bounded, and merged: it must be the index Pagefind makes of all the documents at once.
The search page's queries on a merged index are in test_search.py."""

import gzip
import hashlib
import logging
import shutil
from pathlib import Path

import cbor2
import pytest

from bantin.search import unmarked
from tests.support.pagefind import read_index
from tests.support.sites import ROOT, Site
from tests.support.trees import tree

EVERY_DOCUMENT_ALONE = {"SEARCH_PART_WORDS": 1}


def sample_with_foreign_words(root: Path) -> Site:
    """The sample bulletin, and an article whose words Pagefind folds into variants
    (letters with marks outside Vietnamese), some on the same day as another."""
    site = Site(root)
    shutil.rmtree(site.content)
    shutil.copytree(ROOT / "content", site.content)
    site.article(
        "doan-khach",
        title="Đoàn khách Müller thăm cơ quan",
        date="2020-12-25T08:00",
        body="Ông Müller và bà Zoë dùng café với công đoàn; Muller khen café ngon.",
    )
    return site


@pytest.fixture(scope="module")
def whole_and_parts(tmp_path_factory):
    whole = sample_with_foreign_words(tmp_path_factory.mktemp("whole"))
    whole.build()
    parts = sample_with_foreign_words(tmp_path_factory.mktemp("parts"))
    parts.build(**EVERY_DOCUMENT_ALONE)
    return whole.output / "pagefind", parts.output / "pagefind"


def test_an_index_merged_from_parts_is_the_index_of_all_documents(whole_and_parts):
    whole, parts = map(read_index, whole_and_parts)
    assert list(parts) == list(whole) == ["vi"]
    merged, single = parts["vi"], whole["vi"]
    assert len(single["word_counts"]) == 6
    assert merged["word_counts"] == single["word_counts"]
    assert merged["words"] == single["words"]
    assert any(variants for _, variants in single["words"].values())
    assert merged["filters"] == single["filters"]
    assert merged["sorts"] == single["sorts"]
    assert merged["fields"] == single["fields"]
    assert merged["chunks"] == single["chunks"]


def test_a_word_loads_with_its_chunk_only_small_chunks_of_words_its_letters_begin(tmp_path):
    """Pagefind loads for a word every chunk whose bounds hold it, and a chunk's lower
    bound is the letters of its words ("con" for "cơn"), which may sort before words of
    chunks closed earlier ("công"). Those words are in chunks of their own; and a word
    of a chunk's size (25,000 places) is alone in its chunk, not loaded with others."""
    site = Site(tmp_path)
    site.article(
        "cong",
        title="Công",
        body=" ".join(["công"] * 25_000) + " cơn còn cộng cong công đoàn con cò",
    )
    site.build()
    chunks = read_index(site.output / "pagefind")["vi"]["chunks"]
    # Bounds as short as they can be: "congzbd" is before "cộng" (congzbjcz), "d" before
    # "đoàn" (doanzadefz), the first word of the chunk after.
    assert ("cong", "congzbd", ["congzbcz"]) in chunks
    # "cộng", "còn", "cơn", "cò": their letters sort before "công" and the chunk before.
    assert ("co", "d", ["congzbjcz", "conzbfz", "conzbwz", "cozbfz"]) in chunks
    for _, _, words in chunks:
        for word in words:
            for place, (low, high, held) in enumerate(chunks):
                if low <= word <= high and held != words:
                    before = chunks[place - 1][1]
                    assert all(unmarked(other) <= before for other in held), (word, held)


def test_each_chunk_of_words_is_written_byte_for_byte_as_cbor2_writes_it(whole_and_parts):
    """The merge writes the words' pages with numpy (a word with variants, "müller", by
    cbor2): the files must hold what cbor2 itself would write."""
    for index in whole_and_parts:
        for chunk in (index / "index").iterdir():
            data = gzip.decompress(chunk.read_bytes()).removeprefix(b"pagefind_dcd")
            assert data == cbor2.dumps(cbor2.loads(data)), chunk.name


def test_the_parts_are_said_and_each_indexed_alone(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    sample_with_foreign_words(tmp_path).build(**EVERY_DOCUMENT_ALONE)
    assert "Search index: 6 documents in 6 parts, " in caplog.text


def test_merged_indexes_of_the_same_documents_are_the_same_bytes(whole_and_parts, tmp_path):
    """Pagefind writes its filters in an order of its own from run to run; merged
    indexes do not."""
    again = sample_with_foreign_words(tmp_path)
    again.build(**EVERY_DOCUMENT_ALONE)
    assert tree(again.output / "pagefind") == tree(whole_and_parts[1])


@pytest.mark.parametrize("words", [0, -5, 1.5, "many"])
def test_a_part_size_that_is_not_a_positive_whole_number_stops_the_build(tmp_path, words):
    site = Site(tmp_path)
    site.article("mot", title="Một bài")
    with pytest.raises(Exception, match=r"SEARCH_PART_WORDS must be a whole number ≥ 1, not"):
        site.build(SEARCH_PART_WORDS=words)
    assert not site.output.exists()


def test_each_article_data_file_and_word_chunk_is_named_by_five_hex_digits_of_its_content(
    whole_and_parts,
):
    """The meta file every search downloads names each of them."""
    for index in whole_and_parts:
        for folder, count in (("fragment", 6), ("index", None)):
            names = {}
            for file in (index / folder).iterdir():
                name = file.name.split(".")[0].removeprefix("vi_")
                names[name] = hashlib.sha256(file.read_bytes()).hexdigest()
            assert len(names) == (count or len(names)) and names
            assert all(len(name) == 5 and digest.startswith(name) for name, digest in names.items())
