"""The sample bulletin as the public sees it: every kind of page, in Vietnamese."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.sites import Site

DIALOGUE = "2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/index.html"
ROUND_TABLE = "2019/06/26/nang-cao-chat-luong-hoat-dong-khoi-thi-dua-ii/index.html"
PARTY_CELL = "2021/04/01/sinh-hoat-chuyen-de-tang-cuong-van-hoa-cong-so/index.html"
CONFERENCE_2014 = "2014/02/21/hoi-nghi-can-bo-cong-chuc-lao-dong-nam-2014/index.html"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs, self.scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "href" in attributes:
            self.hrefs.append(attributes["href"])
        if tag in ("img", "script", "link") and (attributes.get("src") or attributes.get("href")):
            self.srcs.append(attributes.get("src") or attributes.get("href"))
        if tag == "script":
            self.scripts.append(attributes)


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        DIALOGUE,
        "su-kien/index.html",
        "su-kien/doi-thoai/index.html",
        "su-kien/toa-dam/index.html",
        "chu-de/index.html",
        "chu-de/cong-doan/index.html",
        "phong-vien/index.html",
        "nguoi/bao-yen/index.html",
        "nguoi/index.html",
        "to-chuc/index.html",
        "to-chuc/van-phong-quoc-hoi/index.html",
        "luu-tru/index.html",
        "2020/index.html",
        "2020/12/index.html",
        "404.html",
    ],
)
def test_each_kind_of_page_exists_and_speaks_vietnamese(sample_site, page):
    html = read(sample_site, page)
    assert '<html lang="vi">' in html
    assert "Bỏ qua, đến nội dung chính" in html  # the skip link, translated
    assert '<main id="noi-dung"' in html


def test_article_urls_are_the_date_and_an_ascii_slug(sample_site):
    articles = sorted(
        p.relative_to(sample_site).as_posix()
        for p in sample_site.glob("[0-9]*/[0-9]*/[0-9]*/*/index.html")
    )
    assert articles == sorted(
        [
            DIALOGUE,
            ROUND_TABLE,
            PARTY_CELL,
            CONFERENCE_2014,
            "2015/07/30/cong-doan-vpqh-cho-dua-tin-cay-cua-dang-bo/index.html",
        ]
    )
    assert all(path.isascii() for path in articles)


def test_article_date_is_written_the_vietnamese_way(sample_site):
    html = read(sample_site, DIALOGUE)
    assert '<time datetime="2020-12-25T11:52:00+07:00">Thứ Sáu, 25/12/2020, 11:52</time>' in html


def test_date_without_a_time_shows_no_time(sample_site):
    html = read(sample_site, CONFERENCE_2014)
    assert ">Thứ Sáu, 21/02/2014</time>" in html


def test_article_shows_event_kind_organisations_and_location(sample_site):
    html = read(sample_site, DIALOGUE)
    assert '<a href="/su-kien/doi-thoai/">Đối thoại</a>' in html
    assert "Nhà Quốc hội" in html
    assert "Văn phòng Quốc hội" in html


def test_participants_box_lists_roles_and_marks_the_chair(sample_site):
    html = read(sample_site, DIALOGUE)
    box = html[html.index('class="bt-participants"') :]
    box = box[: box.index("</section>")]
    assert "Thành phần tham dự" in box
    chair_item = re.search(
        r"<li[^>]*>(?:(?!</li>).)*Nguyễn Hạnh Phúc(?:(?!</li>).)*</li>", box, re.S
    ).group()
    assert "Chủ trì" in chair_item and "Chủ nhiệm Văn phòng Quốc hội" in chair_item
    other = re.search(
        r"<li[^>]*>(?:(?!</li>).)*Phạm Đình Toản(?:(?!</li>).)*</li>", box, re.S
    ).group()
    assert "Chủ trì" not in other


def test_spellings_are_shown_as_the_editor_wrote_them(sample_site):
    assert "Phạm Thuý Chinh" in read(sample_site, ROUND_TABLE)
    assert "Phạm Thúy Chinh" in read(sample_site, DIALOGUE)


def test_photo_has_caption_credit_and_says_it_is_an_illustration(sample_site):
    html = read(sample_site, ROUND_TABLE)
    figure = html[html.index('<figure class="bt-figure">') : html.index("</figure>")]
    assert "phát biểu tại Toạ đàm" in figure
    assert "Ảnh minh họa, không phải ảnh gốc." in figure
    assert "Ảnh gốc: Hoàng Anh" in figure
    assert 'alt="Ảnh minh họa, không phải ảnh gốc: ' in figure


def test_photos_and_links_of_every_page_lead_to_existing_files(sample_site):
    for page in sample_site.rglob("*.html"):
        parsed = links_of(page.read_text(encoding="utf-8"))
        for url in parsed.hrefs + parsed.srcs:
            if url.startswith("#"):
                continue
            url = url.removeprefix("http://127.0.0.1:8000")  # canonical links are absolute
            assert url.startswith("/"), f"{page}: {url} is not a site path"
            target = sample_site / url.split("#")[0].lstrip("/")
            if url.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(sample_site)} links to missing {url}"


def test_article_links_its_neighbours_authors_source_and_tags(sample_site):
    html = read(sample_site, ROUND_TABLE)
    assert 'rel="next" href="/2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/"' in html
    assert 'rel="prev" href="/2015/07/30/cong-doan-vpqh-cho-dua-tin-cay-cua-dang-bo/"' in html
    assert '<a href="/nguoi/hoang-anh/">Hoàng Anh</a>' in html
    assert "Nguồn: Chinhphu.vn" in html
    assert 'class="bt-tag" href="/chu-de/' in html


def test_signatory_is_shown_with_the_role_they_signed_with(sample_site):
    html = read(sample_site, "2015/07/30/cong-doan-vpqh-cho-dua-tin-cay-cua-dang-bo/index.html")
    assert "Phạm Thúy Chinh</a> (Chủ tịch Công đoàn cơ quan VPQH)" in html


def test_home_lists_newest_first_with_lead_photo_and_summary(sample_site):
    html = read(sample_site, "index.html")
    titles = re.findall(r'<h2 class="bt-card__title"><a href="/(\d{4})/', html)
    assert titles == ["2021", "2020", "2019", "2015", "2014"]
    assert '<img class="bt-card__image" src="/anh/2021/' in html
    assert "Sáng ngày 01/4/2021, Chi bộ cơ quan Uỷ ban Mặt trận Tổ quốc tỉnh" in html


def test_event_kind_page_lists_only_its_articles(sample_site):
    html = read(sample_site, "su-kien/toa-dam/index.html")
    assert html.count('class="bt-card"') == 1
    assert "Nâng cao chất lượng hoạt động của Khối thi đua II" in html


def test_archives_list_years_and_months_in_vietnamese(sample_site):
    html = read(sample_site, "luu-tru/index.html")
    assert re.findall(r"Năm (\d{4})", html) == ["2021", "2020", "2019", "2015", "2014"]
    assert '<a href="/2020/12/">tháng 12 năm 2020</a>' in html
    month = read(sample_site, "2020/12/index.html")
    assert "tháng 12 năm 2020" in month and "25/12/2020" in month


def test_index_pages_sort_the_vietnamese_way(sample_site):
    reporters = re.findall(
        r'<li class="bt-terms__item"><a href="[^"]+">([^<]+)</a>',
        read(sample_site, "phong-vien/index.html"),
    )
    # People sort by given name: Anh, Chinh, Lượng, Nhung, Thành, Yến.
    assert reporters == [
        "Hoàng Anh",
        "Phạm Thúy Chinh",
        "Văn Lượng",
        "Tuyết Nhung",
        "Minh Thành",
        "Bảo Yến",
    ]
    kinds = re.findall(
        r'<li class="bt-terms__item"><a href="[^"]+">([^<]+)</a>',
        read(sample_site, "su-kien/index.html"),
    )
    assert kinds == ["Đại hội", "Đối thoại", "Hội nghị", "Sinh hoạt chuyên đề", "Tọa đàm"]


def test_home_is_paginated_with_readable_urls(tmp_path):
    site = Site(tmp_path)
    for day in range(1, 13):
        site.article(f"bai-{day}", title=f"Bài số {day}", date=f"2021-03-{day:02d}T08:00")
    site.build()
    assert site.page("/").count('class="bt-card"') == 10
    second = site.page("/trang/2/")
    assert second.count('class="bt-card"') == 2 and "Trang 2/2" in second
    assert 'rel="prev" href="/"' in second


def test_editor_text_is_escaped_everywhere_it_lands(tmp_path):
    site = Site(tmp_path)
    attack = "<script>alert(1)</script>"
    site.photo("x/a.jpg")
    site.article(
        "tan-cong",
        title=f"Tiêu đề {attack}",
        location=attack,
        organizations=[attack],
        participants=[{"name": attack, "role": '"><img src=x onerror=alert(2)>', "chair": True}],
        photos=[
            {"file": "x/a.jpg", "caption": attack, "alt": '" onload="alert(3)', "credit": attack}
        ],
        authors=[attack],
        tags=[attack],
        summary=attack,
    )
    site.build()
    for page in site.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html, page
        assert 'onload="alert' not in html, page
    article = site.page("/2020/12/25/tieu-de-script-alert-1-script/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article


def test_pages_forbid_inline_script_and_need_none(sample_site):
    for page in sample_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        csp = re.search(
            r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html
        ).group(1)
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        # JSON-LD is data, not script: browsers do not run it.
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html), (
            f"inline script in {page}"
        )
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler in {page}"


def test_building_twice_gives_byte_identical_output(tmp_path):
    from bantin.build import build
    from tests.support.sites import ROOT

    first = build(ROOT / "pelicanconf.py", tmp_path / "a", {"OUTPUT_PATH": str(tmp_path / "a")})
    second = build(ROOT / "pelicanconf.py", tmp_path / "b", {"OUTPUT_PATH": str(tmp_path / "b")})
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


def test_build_ends_with_a_one_line_summary(tmp_path, capfd):
    site = Site(tmp_path)
    site.article("mot")
    site.build()
    summary = capfd.readouterr().err.strip().splitlines()[-1]
    assert re.fullmatch(r"Built 1 article, \d+ pages, 0 warnings in \d+\.\d s", summary)
