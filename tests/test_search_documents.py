"""The folders of the parts Pagefind indexes, put together in a process of their own
(plugins/search/documents.py): the same folders and cached documents the build's own
process makes; a failure says what went wrong; leaving early stops the process."""

import datetime as dt
import logging
import os
import shutil
import signal
import sys
import threading
import time
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bantin.search import SearchDocument
from plugins.search.documents import (
    MADE_APART_FROM,
    DocumentsFailed,
    PartFoldersApart,
    make_document,
    part_folders,
)
from plugins.search.index import DeltaLimit, DocumentCache, SearchIndex, child_environment
from plugins.search.sources import DocumentSource
from tests.support.trees import tree
from tests.test_search_index import KEEP_A_DELTA, new_site

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Each document has about 55 words: parts of two or three documents each.
PART_WORDS = 150


def source(number: int) -> DocumentSource:
    return DocumentSource(
        url=f"2020/01/01/hoi-nghi-{number}/",
        title=f"Hội nghị công đoàn lần {number}",
        content=f"<p>Đồng chí Phạm Thuý Chinh dự hội nghị lần {number} của Uỷ ban.</p>",
        date=dt.datetime(2020, 1, 1, 8, tzinfo=HANOI) + dt.timedelta(hours=number),
        date_has_time=bool(number % 2),
        kind="hội nghị",
        lead=f"Hội nghị lần {number} bàn về công tác công đoàn.",
        thumbnail=f"anh/{number}-320.jpg" if number % 3 else None,
        mentions=("Phạm Thúy Chinh Phó Chủ tịch", "Uỷ ban nhân dân tỉnh"),
        filters=(("loai", "hội nghị"), ("nam", "2020"), ("nguoi", "Phạm Thúy Chinh")),
    )


SOURCES = {f"{number}/index.html": source(number) for number in range(MADE_APART_FROM + 5)}


def entries(cache: Path, cached_already: int = 0) -> list:
    """The documents of SOURCES, the first cached_already of them in the cache."""
    listed = []
    for number, (file, source) in enumerate(SOURCES.items()):
        cached = cache / file.replace("/", "-")
        made_from = (vars(source), f"nhãn ngày {number}")
        if number < cached_already:
            cache.mkdir(exist_ok=True)
            cached.write_text(make_document(*made_from), encoding="utf-8")
            made_from = None
        listed.append((file, cached, made_from))
    return listed


def folders(made: list[Path]) -> list[dict[str, bytes]]:
    return [tree(folder) for folder in made]


def test_the_folders_put_together_apart_are_those_put_together_here(tmp_path):
    here = list(part_folders(iter(entries(tmp_path / "here", 10)), PART_WORDS, tmp_path / "h"))
    with PartFoldersApart(
        entries(tmp_path / "apart", 10), PART_WORDS, tmp_path / "a", child_environment()
    ) as made:
        apart = list(made)

    assert [folder.name for folder in apart] == [str(number) for number in range(len(here))]
    assert folders(apart) == folders(here)
    assert len(here) > 10
    # In the order of the entries, each at its URL; each part as many documents as fit.
    order = list(SOURCES)
    parts = [sorted(part, key=order.index) for part in folders(here)]
    assert [file for part in parts for file in part] == order
    words = [[folder / file for file in part] for folder, part in zip(here, parts, strict=True)]
    words = [[path.read_bytes().count(b" ") for path in part] for part in words]
    assert all(sum(part) <= PART_WORDS for part in words)
    assert all(sum(part) + following[0] > PART_WORDS for part, following in pairwise(words))
    for file, cached, _ in entries(tmp_path / "apart"):
        document = next(folder / file for folder in apart if (folder / file).exists())
        assert document.stat().st_ino == cached.stat().st_ino
        assert cached.read_text(encoding="utf-8") == make_document(
            vars(SOURCES[file]), f"nhãn ngày {order.index(file)}"
        )
    assert tree(tmp_path / "apart") == tree(tmp_path / "here")


def test_a_failure_names_what_went_wrong(tmp_path):
    broken = [
        (file, cached, ({"unknown_field": 1}, "nhãn")) for file, cached, _ in entries(tmp_path)
    ]
    with (
        pytest.raises(DocumentsFailed, match=r"(?s)exit status 1.*unknown_field"),
        PartFoldersApart(broken, PART_WORDS, tmp_path / "parts", child_environment()) as made,
    ):
        list(made)


def test_leaving_early_stops_the_process(tmp_path):
    listed = entries(tmp_path / "cache", len(SOURCES))
    # A cached document that is never there to be read: the process waits on it.
    _, never_written, _ = listed[-1]
    never_written.unlink()
    os.mkfifo(never_written)
    putting_together = PartFoldersApart(listed, PART_WORDS, tmp_path / "parts", child_environment())

    taken = []

    def take_one_and_leave():
        with putting_together as made:
            taken.append(tree(next(made)))

    leaving = threading.Thread(target=take_one_and_leave, daemon=True)
    leaving.start()
    leaving.join(timeout=60)
    assert not leaving.is_alive()
    assert putting_together._process.returncode == -signal.SIGKILL
    assert list(taken[0]) == list(SOURCES)[: len(taken[0])]


def test_a_site_whose_folders_are_put_together_apart_has_the_same_index(tmp_path, monkeypatch):
    def built(root: Path) -> dict[str, bytes]:
        site = new_site(root)
        site.build()
        return tree(site.output / "pagefind")

    made_here = []
    html = SearchDocument.html
    monkeypatch.setattr(SearchDocument, "html", lambda self: made_here.append(self) or html(self))
    index = built(tmp_path / "here")
    assert len(made_here) == 3
    # The plugin as Pelican imports it, from its plugin path.
    monkeypatch.setattr(sys.modules["search.index"], "MADE_APART_FROM", 1)
    assert built(tmp_path / "apart") == index
    assert len(made_here) == 3  # the other three were made by the process


def test_only_the_documents_to_be_indexed_are_made(tmp_path, monkeypatch):
    site = new_site(tmp_path)
    site.build(**KEEP_A_DELTA)
    shutil.rmtree(tmp_path / "cache" / "search" / "documents")
    made = []
    plugin = sys.modules["search.index"]
    put_together = plugin.part_folders

    def listing(listed, *rest):
        listed = list(listed)
        made.append([file for file, _, made_from in listed if made_from is not None])
        return put_together(iter(listed), *rest)

    monkeypatch.setattr(plugin, "part_folders", listing)
    site.article("hoi-nghi", title="Hội nghị đối thoại", date="2020-12-25T08:00", body="Mới.")
    site.build(**KEEP_A_DELTA)
    # The base is kept: only the edited article's document is indexed again (in the delta).
    assert made == [["2020/12/25/hoi-nghi-doi-thoai/index.html"]]


def test_a_document_not_cached_is_made_and_cached(tmp_path):
    listed = entries(tmp_path / "cache")[:1]
    (folder,) = part_folders(iter(listed), PART_WORDS, tmp_path / "parts")
    file, cached, made_from = listed[0]
    assert cached.read_text(encoding="utf-8") == make_document(*made_from)
    assert (folder / file).read_bytes() == cached.read_bytes()


def test_what_a_stopped_build_left_half_written_is_not_a_cached_document(tmp_path):
    cache = DocumentCache(tmp_path / "documents")
    key = "ab" + "0" * 38
    cache.path(key).parent.mkdir(parents=True)
    cache.path(key).write_text("<p>whole</p>", encoding="utf-8")
    half = cache.path(key).with_name(f".{key}.html.1a2b3c4d")
    half.write_text("<p>ha", encoding="utf-8")
    assert cache.keys() == {key}
    cache.keep_only({key})
    assert sorted(cache.folder.rglob("*.html*")) == [cache.path(key)]


@pytest.mark.parametrize("count", [2, MADE_APART_FROM + 2], ids=["here", "apart"])
def test_the_part_folders_are_removed_when_indexing_stops(tmp_path, count):
    index = SearchIndex(
        tmp_path / "search", "format", DeltaLimit(), logging.getLogger(), 150, 0.01, Path()
    )
    files = list(SOURCES)[:count]
    keys = {file: f"{number:040x}" for number, file in enumerate(files)}
    with pytest.raises(RuntimeError), index._part_folders(files, keys, given) as folders:
        assert tree(next(folders))
        raise RuntimeError("Pagefind failed")
    for _ in range(100):  # removed in the background
        if not list((tmp_path / "search").glob(".documents-*")):
            break
        time.sleep(0.1)
    assert not list((tmp_path / "search").glob(".documents-*"))
    assert len(index.documents.keys()) >= 1


def given(file: str) -> tuple[dict, str]:
    return vars(SOURCES[file]), "nhãn ngày"
