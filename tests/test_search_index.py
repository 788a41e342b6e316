"""The search index as a base and a delta: an edit indexes only what changed, the base
is reused byte for byte, and the search page hides what the delta replaced."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bantin.preview import serving
from bantin.search import SearchDocument
from tests.support.pagefind import read_index
from tests.support.sites import Site
from tests.support.trees import tree

DONE = re.compile(r"Tìm thấy|Không có")
# Small sites are indexed again whole on every change unless the delta may hold them all.
KEEP_A_DELTA = {"SEARCH_DELTA_SHARE": 1.0}


def base_files(output: Path) -> dict[str, bytes]:
    return {
        name: data
        for name, data in tree(output / "pagefind").items()
        if not name.startswith("delta")
    }


def delta_of(output: Path) -> dict:
    return json.loads((output / "pagefind" / "delta.json").read_text(encoding="utf-8"))


def indexed_pages(index: Path) -> int:
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def new_site(root: Path) -> Site:
    site = Site(root)
    site.article(
        "hoi-nghi",
        title="Hội nghị đối thoại",
        date="2020-12-25T08:00",
        event="hội nghị",
        body="Hội nghị bàn về xyzzycu và công đoàn.",
    )
    site.article(
        "toa-dam",
        title="Tọa đàm cán bộ",
        date="2019-06-26T08:00",
        event="tọa đàm",
        body="Tọa đàm về công đoàn cơ sở.",
    )
    site.article(
        "dai-hoi",
        title="Đại hội công đoàn",
        date="2018-03-01T08:00",
        event="hội nghị",
        body="Đại hội công đoàn nhiệm kỳ mới.",
    )
    return site


def search(page, address: str, query: str) -> list[str]:
    page.goto(f"{address}/tim-kiem/")
    page.fill("#truy-van", query)
    page.press("#truy-van", "Enter")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    return page.eval_on_selector_all(
        ".bt-result__title a", "links => links.map(a => new URL(a.href).pathname)"
    )


def test_editing_one_article_indexes_only_it_and_reuses_the_base(tmp_path, monkeypatch):
    site = new_site(tmp_path)
    site.build(**KEEP_A_DELTA)
    base = base_files(site.output)
    assert delta_of(site.output) == {}
    made = []
    html = SearchDocument.html
    monkeypatch.setattr(SearchDocument, "html", lambda self: made.append(self.url) or html(self))

    site.article("hoi-nghi", title="Hội nghị đối thoại", date="2020-12-25T08:00", body="Mới.")
    site.build(**KEEP_A_DELTA)

    assert made == ["2020/12/25/hoi-nghi-doi-thoai/"]
    assert base_files(site.output) == base
    assert indexed_pages(site.output / "pagefind" / "delta") == 1
    assert len(delta_of(site.output)["hidden"]) == 1


def test_the_index_is_made_by_the_pagefind_package_lock_pins(tmp_path, repo_root):
    lock = json.loads((repo_root / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/pagefind"]["version"]
    site = new_site(tmp_path)
    site.build(**KEEP_A_DELTA)
    site.article("them", title="Bài mới thêm", date="2021-01-01T08:00", body="Thêm.")
    site.build(**KEEP_A_DELTA)
    for index in (site.output / "pagefind", site.output / "pagefind" / "delta"):
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["version"] == pinned
        assert [language["version"] for language in read_index(index).values()] == [pinned]


def test_an_identical_build_publishes_the_same_index_byte_for_byte(tmp_path):
    site = new_site(tmp_path)
    site.build(**KEEP_A_DELTA)
    site.article("them", title="Bài mới thêm", date="2021-01-01T08:00", body="Thêm.")
    site.build(**KEEP_A_DELTA)
    first = tree(site.output / "pagefind")
    site.build(force=True, **KEEP_A_DELTA)
    assert tree(site.output / "pagefind") == first
    assert "delta/pagefind-entry.json" in first


def test_a_delta_past_its_limit_is_merged_into_a_new_base(tmp_path):
    one_at_most = {**KEEP_A_DELTA, "SEARCH_DELTA_MOST": 1}
    site = new_site(tmp_path)
    site.build(**one_at_most)
    site.article("them-1", title="Bài thêm một", date="2021-01-01T08:00", body="Một.")
    site.build(**one_at_most)
    assert indexed_pages(site.output / "pagefind" / "delta") == 1
    site.article("them-2", title="Bài thêm hai", date="2021-01-02T08:00", body="Hai.")
    site.build(**one_at_most)
    assert delta_of(site.output) == {}
    assert not (site.output / "pagefind" / "delta").exists()
    assert indexed_pages(site.output / "pagefind") == 5


@pytest.fixture(scope="module")
def changed_url(tmp_path_factory):
    """A site indexed whole, then edited (one article's words), added to and removed
    from, so that the search page merges a delta."""
    site = new_site(tmp_path_factory.mktemp("delta"))
    site.build(**KEEP_A_DELTA)
    site.article(
        "hoi-nghi",
        title="Hội nghị đối thoại",
        date="2020-12-25T08:00",
        event="hội nghị",
        body="Hội nghị bàn về xyzzymoi và công đoàn.",
    )
    site.article(
        "them",
        title="Hội thảo mới thêm",
        date="2021-01-01T08:00",
        event="hội thảo",
        body="Hội thảo về công đoàn.",
    )
    (site.content / "bai-viet" / "dai-hoi.md").unlink()
    site.build(**KEEP_A_DELTA)
    assert len(delta_of(site.output)["hidden"]) == 2
    with serving(site.output) as url:
        yield url


def test_an_edited_article_is_found_by_its_new_words_only(page, changed_url):
    assert search(page, changed_url, "xyzzymoi") == ["/2020/12/25/hoi-nghi-doi-thoai/"]
    assert search(page, changed_url, "xyzzycu") == []


def test_removed_articles_are_hidden_and_added_ones_found(page, changed_url):
    assert sorted(search(page, changed_url, "công đoàn")) == [
        "/2019/06/26/toa-dam-can-bo/",
        "/2020/12/25/hoi-nghi-doi-thoai/",
        "/2021/01/01/hoi-thao-moi-them/",
    ]
    # Found by the pair "công đoàn": the delta indexes the base's pairs.
    expect(page.locator(".bt-search__status")).to_have_text(
        "Tìm thấy 3 bài viết có những từ này đứng liền nhau"
    )


def test_filter_counts_leave_out_the_replaced_and_removed_articles(page, changed_url):
    search(page, changed_url, "công đoàn")
    page.get_by_role("button", name="Thu hẹp kết quả").click()
    kinds = page.locator("fieldset", has=page.locator("legend", has_text="Loại sự kiện"))
    expect(kinds.locator("label", has_text="Hội nghị")).to_have_text(re.compile(r"\(1\)$"))
    expect(kinds.locator("label", has_text="Hội thảo")).to_have_text(re.compile(r"\(1\)$"))
    years = page.locator("fieldset", has=page.locator("legend", has_text="Năm"))
    expect(years.locator("label", has_text="2018")).to_have_count(0)


def test_sorting_by_date_places_the_delta_among_the_base(page, changed_url):
    page.goto(f"{changed_url}/tim-kiem/?q=c%C3%B4ng+%C4%91o%C3%A0n&sap_xep=moi")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    links = page.eval_on_selector_all(
        ".bt-result__title a", "links => links.map(a => new URL(a.href).pathname)"
    )
    # Each index alone ranks its own newest first: the delta's two would follow the base's.
    assert links == [
        "/2021/01/01/hoi-thao-moi-them/",
        "/2020/12/25/hoi-nghi-doi-thoai/",
        "/2019/06/26/toa-dam-can-bo/",
    ]


def test_removing_an_article_only_hides_it(tmp_path):
    site = new_site(tmp_path)
    site.build(**KEEP_A_DELTA)
    (site.content / "bai-viet" / "dai-hoi.md").unlink()
    site.build(**KEEP_A_DELTA)
    assert len(delta_of(site.output)["hidden"]) == 1
    assert not (site.output / "pagefind" / "delta").exists()
