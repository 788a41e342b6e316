"""Search documents made in a process of their own (plugins/search/documents.py): the same
documents the build's own process makes, given in the order asked for or not; a failure
says what went wrong."""

import datetime as dt
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bantin.search import SearchDocument
from plugins.search import DocumentSource, search_document
from plugins.search.documents import MADE_APART_FROM, DocumentsFailed, DocumentsMadeApart
from plugins.search.index import child_environment
from tests.support.trees import tree
from tests.test_search_index import KEEP_A_DELTA, new_site

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


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


def given(file: str) -> tuple[DocumentSource, str]:
    return SOURCES[file], f"nhãn ngày {file}"


def made_here(file: str) -> str:
    return search_document(*given(file)).html()


def test_the_documents_made_apart_are_those_made_here_in_any_order():
    asked_here = []
    files = list(SOURCES)
    listed, unlisted = files[:-1], files[-1]

    def here(file):
        asked_here.append(file)
        return made_here(file)

    with DocumentsMadeApart(listed, given, here, child_environment()) as make:
        # Asked for out of their order: those read before they are asked for wait.
        documents = {file: make(file) for file in [*listed[10:], *reversed(listed[:10])]}
        documents[unlisted] = make(unlisted)

    assert documents == {file: made_here(file) for file in files}
    assert asked_here == [unlisted]


def test_a_few_documents_are_made_here():
    asked_here = []
    few = list(SOURCES)[: MADE_APART_FROM - 1]
    with DocumentsMadeApart(few, given, lambda f: asked_here.append(f) or "", {}) as make:
        for file in few:
            make(file)
    assert asked_here == few


def test_a_failure_names_what_went_wrong():
    files = list(SOURCES)

    def broken(file):
        return SimpleNamespace(unknown_field=1), "nhãn"

    with (
        pytest.raises(DocumentsFailed, match=f"(?s)exit status 1.*{files[0]}.*unknown_field"),
        DocumentsMadeApart(files, broken, made_here, child_environment()) as make,
    ):
        make(files[0])


def test_leaving_early_stops_the_process():
    files = list(SOURCES)
    making = DocumentsMadeApart(files, given, made_here, child_environment())

    def ask_one_and_leave():
        with making as make:
            assert make(files[0]) == made_here(files[0])

    # The process is stopped, not waited for: the documents not read fill its output.
    leaving = threading.Thread(target=ask_one_and_leave, daemon=True)
    leaving.start()
    leaving.join(timeout=60)
    assert not leaving.is_alive()
    assert making._process.returncode == -signal.SIGKILL


def test_a_site_whose_documents_are_made_apart_has_the_same_index(tmp_path, monkeypatch):
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
    monkeypatch.setattr(sys.modules["search.documents"], "MADE_APART_FROM", 1)
    assert built(tmp_path / "apart") == index
    assert len(made_here) == 3


def test_only_the_documents_to_be_indexed_are_listed_to_be_made(tmp_path, monkeypatch):
    site = new_site(tmp_path)
    site.build(**KEEP_A_DELTA)
    shutil.rmtree(tmp_path / "cache" / "search" / "documents")
    listed = []
    plugin = sys.modules["search"]
    made_apart = plugin.DocumentsMadeApart
    monkeypatch.setattr(
        plugin,
        "DocumentsMadeApart",
        lambda files, *rest: listed.append(files) or made_apart(files, *rest),
    )
    site.article("hoi-nghi", title="Hội nghị đối thoại", date="2020-12-25T08:00", body="Mới.")
    site.build(**KEEP_A_DELTA)
    # The base is kept: only the edited article's document is indexed again (in the delta).
    assert listed == [["2020/12/25/hoi-nghi-doi-thoai/index.html"]]
