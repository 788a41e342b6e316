"""A search by one filter value alone shows at once the newest results the build wrote for
it, while Pagefind starts, then Pagefind's own: the same articles in the same order
(plugins/search/first_results.py)."""

import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bantin.preview import serving
from bantin.search import filter_word
from tests.support.sites import ROOT, SETTINGS, Site

DIALOGUE = "/2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/"
ROUND_TABLE = "/2019/06/26/nang-cao-chat-luong-hoat-dong-khoi-thi-dua-ii/"
DONE = re.compile(r"Tìm thấy|Không có")


def first_results(output: Path, key: str, value: str) -> list[dict]:
    file = output / "tim-kiem" / "loc" / f"{filter_word(key, value)}.json"
    return json.loads(file.read_text(encoding="utf-8"))["results"]


def result_links(page) -> list[str]:
    return [
        urllib.parse.urlparse(href).path
        for href in page.eval_on_selector_all(
            ".bt-result__title a", "links => links.map(a => a.href)"
        )
    ]


@pytest.fixture(scope="module")
def sample_url(sample_site):
    with serving(sample_site) as url:
        yield url


def test_a_filter_values_results_are_written_as_a_result_shows_them(sample_site):
    results = first_results(sample_site, "nguoi", "Phạm Thúy Chinh")
    assert [result["url"] for result in results] == [DIALOGUE, ROUND_TABLE]  # newest first
    card = results[0]["card"]
    assert card["title"].startswith("HỘI NGHỊ ĐỐI THOẠI GIỮA THƯỜNG TRỰC ĐẢNG ỦY")
    assert card["kind"] == "Đối thoại"
    assert card["date"] == "Thứ Sáu, 25/12/2020, 11:52"  # as the article page writes it
    assert card["lead"].startswith("Sáng ngày 25/12, tại Nhà Quốc hội, lãnh đạo và Công đoàn")
    assert len(card["lead"].removesuffix("…").split()) == 30
    assert card["image"].endswith(".jpg")


def test_only_the_newest_published_articles_of_a_value_are_written(tmp_path):
    site = Site(tmp_path)
    for day in range(1, 13):
        site.article(f"hoi-thao-{day}", title=f"Hội thảo số {day}", date=f"2022-03-{day:02d}T08:00")
    site.article("nhap", title="Bản nháp", date="2022-03-20T08:00", status="draft")
    site.article("tuong-lai", title="Bài hẹn giờ", date="2099-01-01T08:00")
    site.build()
    titles = [result["card"]["title"] for result in first_results(site.output, "nam", "2022")]
    assert titles == [f"Hội thảo số {day}" for day in range(12, 2, -1)]
    assert not (site.output / "tim-kiem" / "loc" / f"{filter_word('nam', '2099')}.json").exists()


def test_articles_of_one_date_are_in_one_order_in_every_build_and_in_pagefind(tmp_path, page):
    site = Site(tmp_path)
    for number in range(14):
        site.article(f"cung-ngay-{number}", title=f"Hội nghị cùng ngày {number}", date="2022-03-05")
    # Pelican lists the files in a set, whose order follows Python's hash seed.
    outputs = [tmp_path / f"output-{seed}" for seed in (1, 2)]
    for seed, output in zip((1, 2), outputs, strict=True):
        build = "import json, sys; from pathlib import Path; from bantin.build import build; "
        build += "build(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))"
        overrides = json.dumps(site.overrides({"OUTPUT_PATH": str(output)}))
        subprocess.run(
            [sys.executable, "-c", build, str(SETTINGS), str(output), overrides],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    first = first_results(outputs[0], "nam", "2022")
    assert first == first_results(outputs[1], "nam", "2022")
    with serving(outputs[0]) as url:
        page.goto(f"{url}/tim-kiem/?nam=2022")
        expect(page.locator(".bt-search__status")).to_have_text("Tìm thấy 14 bài viết")
        assert result_links(page)[:10] == [result["url"] for result in first]


def test_the_first_results_are_shown_before_pagefind_answers(page, sample_url):
    held = []  # Pagefind's script, kept from the page until the first results are seen
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(f"{sample_url}/tim-kiem/?{urllib.parse.urlencode({'nguoi': 'Phạm Thúy Chinh'})}")
    expect(page.locator(".bt-result")).to_have_count(2)
    assert result_links(page) == [DIALOGUE, ROUND_TABLE]
    expect(page.locator(".bt-result__excerpt").first).to_have_text(
        re.compile(r"^Sáng ngày 25/12, tại Nhà Quốc hội")
    )
    expect(page.locator(".bt-search__status")).to_have_text("Đang tìm…")
    assert held, "the page never asked for Pagefind"
    for route in held:
        route.continue_()
    expect(page.locator(".bt-search__status")).to_have_text("Tìm thấy 2 bài viết")
    assert result_links(page) == [DIALOGUE, ROUND_TABLE]  # Pagefind's, in their place


def test_the_first_results_stay_when_pagefind_cannot_be_loaded(page, sample_url):
    held = []
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(f"{sample_url}/tim-kiem/?{urllib.parse.urlencode({'nguoi': 'Phạm Thúy Chinh'})}")
    expect(page.locator(".bt-result")).to_have_count(2)
    for route in held:
        route.abort()
    expect(page.locator(".bt-search__status")).to_have_text("")
    assert result_links(page) == [DIALOGUE, ROUND_TABLE]


def test_the_first_results_of_every_value_are_pagefinds_first_results(
    page, sample_url, sample_site
):
    page.goto(sample_url + "/tim-kiem/")
    found = page.evaluate(
        """async () => {
            const pagefind = await import("/pagefind/pagefind.js");
            const found = {};
            for (const [key, values] of Object.entries(await pagefind.filters())) {
                for (const value of Object.keys(values)) {
                    const search = await pagefind.search(null, {
                        filters: { [key]: [value] }, sort: { date: "desc" } });
                    const first = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
                    found[`${key}\\n${value}`] = first.map((data) => data.url);
                }
            }
            return found;
        }"""
    )
    assert len(found) > 20
    for chosen, urls in found.items():
        key, value = chosen.split("\n")
        assert [result["url"] for result in first_results(sample_site, key, value)] == urls, chosen


def test_a_search_by_words_shows_no_first_results(page, sample_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{sample_url}/tim-kiem/?q=%C4%91%E1%BB%91i+tho%E1%BA%A1i&nam=2020")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    assert result_links(page) == [DIALOGUE]
    assert not [url for url in requested if "/tim-kiem/loc/" in url]
