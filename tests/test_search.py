"""Search that understands Vietnamese, typed into the real search page in Chromium."""

import gzip
import re
import unicodedata
import urllib.parse

import pytest
from playwright.sync_api import expect

from bantin.build import build
from bantin.preview import serving
from bantin.search import filter_word
from tests.support import axe_violations, format_violations
from tests.support.fixtures import PHONE_WIDTH, REPO_ROOT
from tests.support.sites import Site

DIALOGUE = "/2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/"
CONFERENCE_2014 = "/2014/02/21/hoi-nghi-can-bo-cong-chuc-lao-dong-nam-2014/"
OP_ED = "/2015/07/30/cong-doan-vpqh-cho-dua-tin-cay-cua-dang-bo/"
ROUND_TABLE = "/2019/06/26/nang-cao-chat-luong-hoat-dong-khoi-thi-dua-ii/"
PARTY_CELL = "/2021/04/01/sinh-hoat-chuyen-de-tang-cuong-van-hoa-cong-so/"
DONE = re.compile(r"Tìm thấy|Không có")
SIDE_BY_SIDE = "có những từ này đứng liền nhau"  # said of results found by pairs of words


# Every query runs on the index of one Pagefind run, and on one merged from parts of a
# document each (plugins/search/parts.py).
INDEXES = {"one-run": {}, "merged-parts": {"SEARCH_PART_WORDS": 1}}


@pytest.fixture(scope="module", params=list(INDEXES))
def sample_url(request, sample_site, tmp_path_factory):
    site = sample_site
    if INDEXES[request.param]:
        folder = tmp_path_factory.mktemp("sample-in-parts")
        site = build(
            REPO_ROOT / "pelicanconf.py",
            folder / "output",
            {"SEARCH_CACHE_PATH": str(folder / "search"), **INDEXES[request.param]},
        )
    with serving(site) as url:
        yield url


def search(page, base_url, query):
    """Type query into the search page's box, as a reader does; the result links."""
    page.goto(base_url + "/tim-kiem/")
    page.fill("#truy-van", query)
    page.press("#truy-van", "Enter")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    return result_links(page)


def result_links(page):
    return [
        urllib.parse.urlparse(href).path
        for href in page.eval_on_selector_all(
            ".bt-result__title a", "links => links.map(a => a.href)"
        )
    ]


def excerpts(page):
    return page.eval_on_selector_all(".bt-result__excerpt", "nodes => nodes.map(n => n.innerHTML)")


def test_query_without_diacritics_finds_the_dialogue_conference_first(page, sample_url):
    assert search(page, sample_url, "hoi nghi doi thoai")[0] == DIALOGUE


def test_query_without_diacritics_finds_dang_uy(page, sample_url):
    links = search(page, sample_url, "dang uy")
    assert DIALOGUE in links
    shown = " ".join(excerpts(page))
    assert re.search(r"<mark>(Đảng|ĐẢNG)</mark>", shown)  # the reader sees the text as written


def test_hdnd_finds_hdnd_with_d_stroke(page, sample_url):
    assert search(page, sample_url, "hdnd") == [CONFERENCE_2014]
    assert "<mark>HĐND</mark>" in excerpts(page)[0]


def test_dinh_finds_dinh_with_d_stroke(page, sample_url):
    assert CONFERENCE_2014 in search(page, sample_url, "dinh")
    assert "<mark>Đình</mark>" in " ".join(excerpts(page))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Uỷ ban Thường vụ", DIALOGUE),  # the article writes "Ủy ban"
        ("Ủy ban Mặt trận", PARTY_CELL),  # the article writes "Uỷ ban"
        ("Thuý Chinh", DIALOGUE),  # written "Thúy"
        ("Thúy Chinh", ROUND_TABLE),  # written "Thuý"
        ("hiện đại hoá", OP_ED),  # written "hóa"
    ],
)
def test_both_tone_mark_placements_find_each_other(page, sample_url, query, expected):
    assert expected in search(page, sample_url, query)


def test_query_typed_in_nfd_behaves_like_nfc(page, sample_url):
    nfc = search(page, sample_url, "Phạm Thúy Chinh")
    assert search(page, sample_url, unicodedata.normalize("NFD", "Phạm Thúy Chinh")) == nfc
    assert len(nfc) == 3


def test_quoted_phrase_matches_the_words_together(page, sample_url):
    links = search(page, sample_url, '"công đoàn"')
    assert links
    for excerpt in excerpts(page):
        assert re.search(r"<mark>[Cc](ông|ÔNG)</mark> <mark>(đoàn|ĐOÀN)</mark>", excerpt), excerpt


def test_results_show_title_vietnamese_date_kind_excerpt_and_thumbnail(page, sample_url):
    search(page, sample_url, "Hoàng Anh Đức")
    first = page.locator(".bt-result").first
    expect(first.locator(".bt-result__title")).to_have_text(
        re.compile("^Chi bộ Cơ quan Uỷ ban MTTQ tỉnh")
    )
    expect(first.locator(".bt-result__meta")).to_have_text(
        "Thứ Năm, 01/04/2021, 16:44 · Sinh hoạt chuyên đề"
    )
    expect(first.locator(".bt-result__excerpt mark").first).to_be_visible()
    thumbnail = first.locator("img.bt-result__image")
    expect(thumbnail).to_have_attribute("src", re.compile(r"^/anh/2021/.*-480\.jpg$"))
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 480


def test_what_a_result_shows_is_not_searchable(page, sample_url):
    # Pagefind indexes every meta value; the thumbnail's file name must not match.
    assert search(page, sample_url, "jpg") == []


def test_the_index_loads_while_the_reader_types(page, sample_url):
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto(sample_url + "/tim-kiem/")
    page.wait_for_load_state("networkidle")
    # Before any query: the list of pages and chunks and the WebAssembly every search
    # needs, and no word's chunk.
    assert any(url.endswith(".pf_meta") for url in loaded)
    assert any("/pagefind/wasm." in url for url in loaded)
    assert not any(url.endswith(".pf_index") for url in loaded)
    search(page, sample_url, "dinh")
    assert any(url.endswith(".pf_index") for url in loaded)


def test_search_by_filters_alone_shows_none_of_the_words_it_looks_up(page, sample_url):
    page.goto(f"{sample_url}/tim-kiem/?nam=2019")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    assert result_links(page) == [ROUND_TABLE]
    shown = " ".join(excerpts(page))
    assert filter_word("nam", "2019") not in shown
    assert not re.search(r"\b00\d{10}\b", shown)
    assert excerpts(page)[0]


def test_each_filter_value_has_a_word_that_its_articles_alone_hold(page, sample_url):
    """A search by filters alone looks the word up, and goes through those articles only."""
    page.goto(sample_url + "/tim-kiem/")
    counts = page.evaluate("""async () => (await import("/pagefind/pagefind.js")).filters()""")
    assert set(counts) == {"loai", "nam", "to_chuc", "nguoi", "phong_vien"}
    expected = {
        filter_word(key, value): count
        for key, values in counts.items()
        for value, count in values.items()
    }
    found = page.evaluate(
        """async (words) => {
            const pagefind = await import("/pagefind/pagefind.js");
            const found = {};
            for (const word of words) found[word] = (await pagefind.search(word)).results.length;
            return found;
        }""",
        list(expected),
    )
    assert found == expected


def test_filters_show_counts_and_narrow_the_results(page, sample_url):
    search(page, sample_url, "hội nghị")
    page.get_by_role("button", name="Thu hẹp kết quả").click()  # counts load on demand
    kinds = page.locator("fieldset", has=page.locator("legend", has_text="Loại sự kiện"))
    option = kinds.locator("label", has_text="Đối thoại")
    expect(option).to_have_text(re.compile(r"Đối thoại \(1\)"))
    option.locator("input").check()
    expect(page.locator(".bt-search__status")).to_have_text(f"Tìm thấy 1 bài viết {SIDE_BY_SIDE}")
    assert result_links(page) == [DIALOGUE]
    assert "loai=%C4%90%E1%BB%91i+tho%E1%BA%A1i" in page.url


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("nam", "2019", [ROUND_TABLE]),
        ("to_chuc", "Văn phòng Quốc hội", [DIALOGUE]),
        ("nguoi", "Phạm Thúy Chinh", [DIALOGUE, ROUND_TABLE]),
        ("phong_vien", "Tuyết Nhung", [CONFERENCE_2014]),
    ],
)
def test_each_filter_works_alone_from_the_url(page, sample_url, key, value, expected):
    page.goto(f"{sample_url}/tim-kiem/?{urllib.parse.urlencode({key: value})}")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    assert result_links(page) == expected  # no words: newest first


def test_sorting_by_date_puts_the_newest_first(page, sample_url):
    page.goto(f"{sample_url}/tim-kiem/?q=c%C3%B4ng+%C4%91o%C3%A0n&sap_xep=moi")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    assert result_links(page) == [PARTY_CELL, DIALOGUE, ROUND_TABLE, OP_ED, CONFERENCE_2014]


def test_state_lives_in_the_url_and_the_back_button_works(page, sample_url):
    search(page, sample_url, "hdnd")
    assert page.url.endswith("/tim-kiem/?q=hdnd")
    page.fill("#truy-van", "Thúy Chinh")
    page.press("#truy-van", "Enter")
    expect(page.locator(".bt-search__status")).to_have_text(f"Tìm thấy 3 bài viết {SIDE_BY_SIDE}")
    page.go_back()
    expect(page.locator(".bt-search__status")).to_have_text("Tìm thấy 1 bài viết")
    assert page.input_value("#truy-van") == "hdnd"
    page.reload()
    expect(page.locator(".bt-search__status")).to_have_text("Tìm thấy 1 bài viết")


def test_header_search_box_on_every_page_leads_to_results(page, sample_url):
    page.goto(sample_url + ROUND_TABLE)
    page.fill("#o-tim-kiem", "dinh")
    page.press("#o-tim-kiem", "Enter")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    assert CONFERENCE_2014 in result_links(page)


def test_without_javascript_the_search_page_offers_the_articles(browser, sample_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_url + "/tim-kiem/?q=dang+uy")
    expect(page.locator("noscript")).to_have_count(1)
    links = page.eval_on_selector_all(
        ".bt-browse a", "links => links.map(a => new URL(a.href).pathname)"
    )
    assert {
        "/luu-tru/",
        "/2020/",
        "/su-kien/",
        "/su-kien/doi-thoai/",
        "/to-chuc/",
        "/nguoi/",
    } <= set(links)
    context.close()


def test_axe_finds_no_violation_on_the_search_page_with_results(page_factory, sample_url):
    for width in (PHONE_WIDTH, 1280):
        page = page_factory(width, bypass_csp=True)
        search(page, sample_url, "công đoàn")
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)


@pytest.fixture(scope="module", params=list(INDEXES))
def special_url(request, tmp_path_factory):
    """Articles made for the rules the sample bulletins cannot show."""
    site = Site(tmp_path_factory.mktemp("search"))
    site.article(
        "hung",
        title="Ông Nguyễn Văn Hùng dự họp",
        date="2021-01-01T08:00",
        body="Đại biểu Nguyễn Văn Hùng phát biểu.",
    )
    site.article(
        "hung-2",
        title="Ông Nguyễn Văn Hưng dự họp",
        date="2020-01-01T08:00",
        body="Đại biểu Nguyễn Văn Hưng phát biểu.",
    )
    site.raw_article(
        "nfd",
        unicodedata.normalize(
            "NFD",
            "---\ntitle: Tọa đàm về hòa giải\ndate: 2019-05-05\nevent: tọa đàm\norganizations: [Ủy ban]\n---\nBuổi tọa đàm bàn về hòa giải cơ sở.\n",
        ),
    )
    site.article(
        "cong-dong",
        title="Cộng đồng và công đoàn",
        date="2018-01-01T08:00",
        body="Cộng đồng dân cư phối hợp với công đoàn cơ sở.",
    )
    site.article(
        "cong-dong-dan-cu",
        title="Cộng đồng dân cư",
        date="2016-01-01T08:00",
        body="Cộng đồng dân cư cùng làm đường.",
    )
    site.article(
        "mot-tu-lap-lai",
        title="Một từ lặp lại",
        date="2015-01-01T08:00",
        # Pagefind cuts its index into chunks of 20,000 places of words: this "công"
        # fills one, and "cộng" begins the next.
        body=" ".join(["công"] * 25_000),
    )
    site.article(
        "cong-doan-co-so",
        title="Công đoàn cơ sở họp",
        date="2014-01-01T08:00",
        body="Ban chấp hành công đoàn cơ sở họp bàn công tác.",
    )
    site.article(
        "thi-dua",
        title="Phong trào thi đua",
        date="2013-01-01T08:00",
        body="Phong trào thi đua sôi nổi. Cuộc đua xe đạp diễn ra sau đó.",
    )
    site.article(
        "thi-dua-2",
        title="Thi đua khen thưởng",
        date="2012-01-01T08:00",
        body="Thi đua khen thưởng kịp thời. Giải đua xe thể thao.",
    )
    site.article(
        "tach-roi",
        title="Công tác thi đua",
        date="2017-01-01T08:00",
        body="Công tác của đoàn viên được đánh giá cao.",
    )
    site.article(
        "nhap",
        title="Bản nháp bí mật",
        status="draft",
        body="Từ khóa xyzzynhap chỉ có trong bản nháp.",
    )
    site.article(
        "tuong-lai",
        title="Bài hẹn giờ",
        date="2099-01-01T08:00",
        body="Từ khóa xyzzytuonglai chỉ có trong bài tương lai.",
    )
    site.build(**INDEXES[request.param])
    with serving(site.output) as url:
        yield url


def test_query_with_diacritics_ranks_the_exact_spelling_first(page, special_url):
    assert search(page, special_url, "Hưng")[:2] == [
        "/2020/01/01/ong-nguyen-van-hung-du-hop/",
        "/2021/01/01/ong-nguyen-van-hung-du-hop/",
    ]
    assert search(page, special_url, "Hùng")[:2] == [
        "/2021/01/01/ong-nguyen-van-hung-du-hop/",
        "/2020/01/01/ong-nguyen-van-hung-du-hop/",
    ]


def test_results_of_the_spelling_typed_are_shown_before_other_spellings_are_found(
    page, special_url
):
    page.goto(special_url + "/tim-kiem/")
    # What the page shows each time its status changes: the status, and the results listed.
    page.evaluate(
        """() => {
          const status = document.querySelector(".bt-search__status");
          window.shownStates = [];
          new MutationObserver(() => window.shownStates.push({
            status: status.textContent,
            results: [...document.querySelectorAll(".bt-result__title a")]
              .map((link) => new URL(link.href).pathname),
          })).observe(status, { childList: true, characterData: true, subtree: true });
        }"""
    )
    page.fill("#truy-van", "Hưng")
    page.press("#truy-van", "Enter")
    expect(page.locator(".bt-search__status")).to_have_text(DONE)
    states = page.evaluate("window.shownStates")

    with_horn, with_grave = (
        "/2020/01/01/ong-nguyen-van-hung-du-hop/",
        "/2021/01/01/ong-nguyen-van-hung-du-hop/",
    )
    early = [state for state in states if "đang tìm các cách viết khác" in state["status"]]
    assert early, states
    assert early[0]["status"].startswith("1 bài viết có đúng các từ như đã gõ")
    assert early[0]["results"] == [with_horn]
    assert states[-1]["status"] == "Tìm thấy 2 bài viết"
    assert states[-1]["results"] == [with_horn, with_grave]


def test_text_stored_in_nfd_is_found_like_nfc(page, special_url):
    assert search(page, special_url, '"hòa giải"') == ["/2019/05/05/toa-dam-ve-hoa-giai/"]
    assert search(page, special_url, '"hoà giải"') == ["/2019/05/05/toa-dam-ve-hoa-giai/"]
    assert search(page, special_url, "toa dam") == ["/2019/05/05/toa-dam-ve-hoa-giai/"]


def test_phrase_is_found_beside_a_word_with_the_same_letters(page, special_url):
    links = search(page, special_url, '"công đoàn"')
    assert "/2018/01/01/cong-dong-va-cong-doan/" in links  # also holds "cộng"
    assert "/2017/01/01/cong-tac-thi-dua/" not in links  # "công" and "đoàn", apart


def test_a_query_without_diacritics_finds_spellings_in_every_chunk_of_the_index(page, special_url):
    links = search(page, special_url, "cong")
    assert "/2015/01/01/mot-tu-lap-lai/" in links
    assert "/2016/01/01/cong-dong-dan-cu/" in links  # "cộng" alone, in the chunk after "công"


TOGETHER = ["/2018/01/01/cong-dong-va-cong-doan/", "/2014/01/01/cong-doan-co-so-hop/"]
APART = "/2017/01/01/cong-tac-thi-dua/"  # "Công tác của đoàn viên"


@pytest.mark.parametrize("query", ["công đoàn", "cong doan", "Công Đoàn"])
def test_words_typed_together_find_the_articles_where_they_stand_together(page, special_url, query):
    assert sorted(search(page, special_url, query)) == sorted(TOGETHER)
    expect(page.locator(".bt-search__status")).to_have_text(f"Tìm thấy 2 bài viết {SIDE_BY_SIDE}")
    for excerpt in excerpts(page):  # both words marked, though the pair is found at the first
        assert re.search(r"<mark>[Cc]ông</mark> <mark>đoàn</mark>", excerpt), excerpt


def test_the_reader_can_ask_for_the_words_apart_too_and_go_back(page, special_url):
    search(page, special_url, "công đoàn")
    page.get_by_role("button", name="Tìm cả các bài viết có những từ này đứng riêng").click()
    expect(page.locator(".bt-search__status")).to_have_text(re.compile(r"^Tìm thấy \d+ bài viết$"))
    links = result_links(page)
    assert APART in links and set(TOGETHER) <= set(links)
    assert page.get_by_role("button", name=re.compile("đứng riêng")).is_hidden()
    assert "tach=1" in page.url
    page.reload()
    expect(page.locator(".bt-search__status")).to_have_text(re.compile(r"^Tìm thấy \d+ bài viết$"))
    page.go_back()
    expect(page.locator(".bt-search__status")).to_have_text(f"Tìm thấy 2 bài viết {SIDE_BY_SIDE}")
    page.fill("#truy-van", "công đoàn cơ sở")  # a new query: words together again
    page.press("#truy-van", "Enter")
    expect(page.locator(".bt-search__status")).to_have_text(re.compile(SIDE_BY_SIDE))
    assert "tach=1" not in page.url


def test_a_phrase_whose_pairs_are_indexed_is_answered_by_them_alone(page, special_url):
    """ "thi đua" and "đua xe" are pairs of the index, never side by side: the phrase
    "thi đua xe" is nowhere, which its pairs tell without loading its words."""

    def chunks_loaded(address):
        loaded = set()

        def note(response):
            if response.url.endswith(".pf_index"):
                loaded.add(response.url)

        page.on("response", note)
        page.goto(address)
        expect(page.locator(".bt-search__status")).to_have_text(DONE)
        page.remove_listener("response", note)
        return loaded, result_links(page)

    phrase = urllib.parse.quote('"thi đua xe"')
    by_pairs, found = chunks_loaded(f"{special_url}/tim-kiem/?q={phrase}")
    assert found == []
    by_words, found = chunks_loaded(f"{special_url}/tim-kiem/?q={phrase}&tach=1")
    assert found == []
    assert by_pairs and by_words and not by_pairs & by_words
    assert sorted(search(page, special_url, '"công đoàn cơ sở"')) == sorted(TOGETHER)


def test_a_pair_on_one_page_only_is_searched_by_its_words(page, special_url):
    """Pairs on fewer pages than SEARCH_PAIR_SHARE asks (and than two) are not indexed."""
    assert search(page, special_url, "làm đường") == ["/2016/01/01/cong-dong-dan-cu/"]
    expect(page.locator(".bt-search__status")).to_have_text("Tìm thấy 1 bài viết")


def test_a_pair_downloads_far_less_of_the_index_than_its_words(page, special_url):
    """ "công" fills a chunk of the index of its own (25,000 places): the pair's search
    must not load it, the search of the words apart must."""

    def index_bytes(address):
        loaded = []

        def note(response):
            if response.url.endswith(".pf_index"):
                loaded.append(response)

        page.on("response", note)
        page.goto(address)
        expect(page.locator(".bt-search__status")).to_have_text(DONE)
        page.remove_listener("response", note)
        # Uncompressed: 25,000 places one after the other compress to almost nothing.
        return sum(len(gzip.decompress(response.body())) for response in loaded)

    together = index_bytes(f"{special_url}/tim-kiem/?q=c%C3%B4ng+%C4%91o%C3%A0n")
    apart = index_bytes(f"{special_url}/tim-kiem/?q=c%C3%B4ng+%C4%91o%C3%A0n&tach=1")
    assert together * 5 < apart, (together, apart)


def test_drafts_and_future_articles_are_never_in_the_index(page, special_url):
    assert search(page, special_url, "xyzzynhap") == []
    assert search(page, special_url, "xyzzytuonglai") == []
