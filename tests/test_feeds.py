"""Feeds that real readers show well: valid RSS 2.0 and Atom for the site and for every
kind of event, topic, person and organisation."""

import datetime as dt
import email.utils
import re
import shutil
import sqlite3
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from bantin.feeds import Feed, FeedEntry, atom, rss
from bantin.preview import serving
from tests.support.sites import ROOT, Site

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
SAMPLE_TITLES_NEWEST_FIRST = [
    "Chi bộ Cơ quan Uỷ ban MTTQ tỉnh sinh hoạt chuyên đề “Tăng cường xây dựng văn hoá công sở”",
    "HỘI NGHỊ ĐỐI THOẠI GIỮA THƯỜNG TRỰC ĐẢNG ỦY, LÃNH ĐẠO VĂN PHÒNG QUỐC HỘI VỚI CÁN BỘ, ĐOÀN VIÊN, CÔNG CHỨC, NGƯỜI LAO ĐỘNG",
    "Nâng cao chất lượng hoạt động của Khối thi đua II Công đoàn Viên chức Việt Nam",
    "Công đoàn VPQH sẽ thực sự trở thành chỗ dựa đáng tin cậy của Đảng bộ",
    "Hội nghị cán bộ, công chức, lao động Văn phòng Đoàn ĐBQH và HĐND tỉnh năm 2014",
]


def feeds_of(site: Path) -> list[Path]:
    return sorted([*site.rglob("atom.xml"), *site.rglob("rss.xml")])


def test_site_and_every_list_page_have_both_feeds(sample_site):
    for folder in (
        "",
        "su-kien/doi-thoai/",
        "chu-de/cong-doan/",
        "nguoi/pham-thuy-chinh/",
        "to-chuc/van-phong-quoc-hoi/",
    ):
        assert (sample_site / folder / "atom.xml").is_file() and (
            sample_site / folder / "rss.xml"
        ).is_file(), folder
    pages = len(list((sample_site / "nguoi").glob("*/index.html"))) + len(
        list((sample_site / "to-chuc").glob("*/index.html"))
    )
    pages += len(list((sample_site / "su-kien").glob("*/index.html"))) + len(
        list((sample_site / "chu-de").glob("*/index.html"))
    )
    assert len(feeds_of(sample_site)) == 2 * (pages + 1)


def test_every_feed_parses_without_error(sample_site):
    for feed_file in feeds_of(sample_site):
        parsed = feedparser.parse(feed_file.read_bytes())
        assert parsed.bozo == 0, f"{feed_file}: {parsed.get('bozo_exception')}"
        assert parsed.entries, feed_file


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_site_feed_entries_match_the_articles(sample_site, name):
    parsed = feedparser.parse((sample_site / name).read_bytes())
    assert [entry.title for entry in parsed.entries] == SAMPLE_TITLES_NEWEST_FIRST
    dialogue = parsed.entries[1]
    assert (
        dialogue.link == "http://127.0.0.1:8000/2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/"
    )
    assert dialogue.published_parsed[:5] == (2020, 12, 25, 4, 52)  # 11:52 at +07:00
    assert [author["name"] for author in dialogue.authors] == ["Bảo Yến", "Minh Thành"]
    assert {tag.term for tag in dialogue.tags} >= {"Đối thoại", "đối thoại", "công đoàn"}
    assert (
        dialogue.id == "tag:bantin.example.vn,2026:2020-12-25/hoi-nghi-doi-thoai-van-phong-quoc-hoi"
    )
    assert "Sáng ngày 25/12, tại Nhà Quốc hội" in dialogue.summary
    assert "Bên cạnh đó các vấn đề cơ cấu tổ chức" in dialogue.content[0].value  # the full text


def test_lead_photo_travels_as_media_content_and_enclosure(sample_site):
    item = ET.parse(sample_site / "rss.xml").getroot().find("channel/item[3]")  # the round-table
    enclosure = item.find("enclosure")
    url = enclosure.get("url")
    assert url.startswith("http://127.0.0.1:8000/anh/2019/") and url.endswith(".jpg")
    published_file = sample_site / url.removeprefix("http://127.0.0.1:8000/")
    assert int(enclosure.get("length")) == published_file.stat().st_size
    assert enclosure.get("type") == "image/jpeg"
    media = item.find(f"{MEDIA}content")
    assert media.get("url") == url and media.get("medium") == "image"
    assert "phát biểu tại Toạ đàm" in media.find(f"{MEDIA}description").text
    assert media.find(f"{MEDIA}credit").text == "Hoàng Anh"


def test_rss_has_every_required_element_and_rfc_822_dates(sample_site):
    for feed_file in sample_site.rglob("rss.xml"):
        root = ET.parse(feed_file).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
        channel = root.find("channel")
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), f"{feed_file}: channel {required}"
        assert (
            channel.find(f"{ATOM}link[@rel='self']")
            .get("href")
            .endswith(str(feed_file.relative_to(sample_site)))
        )
        for item in channel.findall("item"):
            assert item.findtext("title") and item.findtext("link")
            guid = item.find("guid")
            assert guid.text.startswith("tag:") and guid.get("isPermaLink") == "false"
            published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
            assert published.utcoffset() == dt.timedelta(hours=7)
            assert re.fullmatch(
                r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0700",
                item.findtext("pubDate"),
            )
            assert (
                item.find("author") is None
            )  # RSS <author> must be an e-mail address; names go in dc:creator


def test_atom_has_every_required_element_and_rfc_3339_dates(sample_site):
    for feed_file in sample_site.rglob("atom.xml"):
        root = ET.parse(feed_file).getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
        for required in ("id", "title", "updated"):
            assert root.findtext(f"{ATOM}{required}"), f"{feed_file}: feed {required}"
        assert root.find(f"{ATOM}author/{ATOM}name").text == "Bản tin"
        assert root.find(f"{ATOM}link[@rel='self']") is not None
        for entry in root.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated", "published"):
                assert entry.findtext(f"{ATOM}{required}"), f"{feed_file}: entry {required}"
            for stamp in ("updated", "published"):
                assert dt.datetime.fromisoformat(
                    entry.findtext(f"{ATOM}{stamp}")
                ).utcoffset() == dt.timedelta(hours=7)
            assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")


def test_feeds_keep_vietnamese_intact_and_urls_absolute(sample_site):
    text = (sample_site / "atom.xml").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "HỘI NGHỊ ĐỐI THOẠI" in text
    assert "á»" not in text and "Ä‘" not in text  # UTF-8 read as Latin-1 would show these
    assert not re.search(r'(?:href|src)=\\?"/', text) and not re.search(
        r"(?:href|src)=&quot;/", text
    )


def test_pages_link_their_feeds_for_discovery_and_visibly(sample_site):
    html = (sample_site / "nguoi/pham-thuy-chinh/index.html").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Phạm Thúy Chinh (Atom)" href="/nguoi/pham-thuy-chinh/atom.xml">'
        in html
    )
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Bản tin (RSS)" href="/rss.xml">'
        in html
    )
    assert '<a href="/nguoi/pham-thuy-chinh/rss.xml">RSS</a>' in html
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="/atom.xml">Atom</a>' in home


def test_person_feed_holds_what_they_took_part_in_and_wrote(sample_site):
    parsed = feedparser.parse((sample_site / "nguoi/pham-thuy-chinh/atom.xml").read_bytes())
    assert len(parsed.entries) == 3
    assert parsed.feed.title == "Phạm Thúy Chinh · Bản tin"


def many_articles(site: Site, count: int) -> None:
    for day in range(1, count + 1):
        site.article(
            f"bai-{day}",
            title=f"Bài số {day}",
            date=f"2021-03-{day:02d}T08:00",
            authors=["Bảo Yến"],
        )


def test_feeds_hold_the_newest_n_entries(tmp_path):
    site = Site(tmp_path)
    many_articles(site, 5)
    site.build(FEED_MAX_ITEMS=3)
    parsed = feedparser.parse((site.output / "rss.xml").read_bytes())
    assert [entry.title for entry in parsed.entries] == ["Bài số 5", "Bài số 4", "Bài số 3"]


def test_summary_only_setting_leaves_the_full_text_out(tmp_path):
    site = Site(tmp_path)
    site.article("mot", body="Đoạn đầu.\n\nĐoạn thứ hai rất dài.", summary="Tóm tắt.")
    site.build(FEED_CONTENT="summary")
    root = ET.parse(site.output / "rss.xml").getroot()
    assert root.find(f"channel/item/{CONTENT}encoded") is None
    assert "Đoạn thứ hai" not in (site.output / "atom.xml").read_text(encoding="utf-8")


def test_editing_keeps_guid_and_published_date_and_moves_updated(tmp_path):
    site = Site(tmp_path)
    site.article("sua", body="Bản đầu tiên.")
    site.build()
    before = feedparser.parse((site.output / "atom.xml").read_bytes()).entries[0]
    site.article("sua", body="Bản đã sửa lỗi chính tả.")
    site.build(
        ARTICLE_URL="bai-viet/{slug}/", ARTICLE_SAVE_AS="bai-viet/{slug}/index.html"
    )  # and a new URL scheme
    after = feedparser.parse((site.output / "atom.xml").read_bytes()).entries[0]
    assert after.id == before.id
    assert after.published == before.published
    assert after.updated_parsed > before.updated_parsed
    assert after.link.endswith("/bai-viet/hoi-nghi-doi-thoai-nam-2020/")
    site.build()
    again = feedparser.parse((site.output / "atom.xml").read_bytes()).entries[0]
    assert again.updated == after.updated  # an unchanged article keeps its date


def test_declared_modified_date_is_the_updated_date(tmp_path):
    site = Site(tmp_path)
    site.article("sua", modified="2021-01-05T09:30")
    site.build()
    entry = feedparser.parse((site.output / "atom.xml").read_bytes()).entries[0]
    assert entry.updated == "2021-01-05T09:30:00+07:00"


def test_editor_text_stays_text_in_feeds(tmp_path):
    site = Site(tmp_path)
    attack = "<script>alert(1)</script> & ]]>"
    site.article("tan-cong", title=attack, authors=[attack], tags=[attack])
    site.build()
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((site.output / name).read_bytes())
        assert parsed.bozo == 0
        assert parsed.entries[0].title == attack


def test_public_build_points_feeds_at_the_public_address(tmp_path):
    site = Site(tmp_path)
    site.article("mot")
    site.build(settings=ROOT / "publishconf.py")
    parsed = feedparser.parse((site.output / "rss.xml").read_bytes())
    assert (
        parsed.entries[0].link
        == "https://bantin.example.vn/2020/12/25/hoi-nghi-doi-thoai-nam-2020/"
    )
    assert parsed.feed.link == "https://bantin.example.vn/"


def newsboat_items(workdir: Path, feed_url: str) -> list[tuple[str, int]]:
    """(title, publication time) of each item newsboat fetched from feed_url, as stored
    in its cache, newest first (the order newsboat lists them in)."""
    newsboat = shutil.which("newsboat")
    assert newsboat, "newsboat is missing: ./dev test installs Debian's newsboat"
    workdir.mkdir()
    (workdir / "urls").write_text(f"{feed_url}\n", encoding="utf-8")
    (workdir / "config").write_text("", encoding="utf-8")
    command = [
        "-q",
        "-u",
        "urls",
        "-c",
        "cache.db",
        "-C",
        "config",
        "-l",
        "2",
        "-d",
        "log",
        "-x",
        "reload",
        "print-unread",
    ]
    run = subprocess.run(
        [newsboat, *command],
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    # newsboat exits 0 even when a fetch fails: its log says so.
    log = (workdir / "log").read_text(encoding="utf-8", errors="replace")
    assert "ERROR" not in log, log
    assert run.stdout.strip() == f"{len(SAMPLE_TITLES_NEWEST_FIRST)} unread articles"
    with sqlite3.connect(workdir / "cache.db") as db:
        return db.execute(
            "SELECT title, pubDate FROM rss_item WHERE feedurl = ? ORDER BY pubDate DESC",
            (feed_url,),
        ).fetchall()


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_newsboat_shows_every_sample_article_in_vietnamese_newest_first(tmp_path, name):
    output = tmp_path / "output"
    shutil.copytree(ROOT / "content", tmp_path / "content")
    output.mkdir()
    with serving(output) as url:
        Site(tmp_path).build(FEED_DOMAIN=url)
        items = newsboat_items(tmp_path / "newsboat", f"{url}/{name}")
    assert [title for title, _ in items] == SAMPLE_TITLES_NEWEST_FIRST
    assert items[1][1] == int(
        dt.datetime(2020, 12, 25, 11, 52, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp()
    )


def test_a_site_without_articles_has_valid_empty_feeds(tmp_path):
    site = Site(tmp_path)
    site.build()
    for feed_file in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((site.output / feed_file).read_bytes())
        assert parsed.bozo == 0 and parsed.entries == [], feed_file
        assert parsed.feed.title
    atom_root = ET.parse(site.output / "atom.xml").getroot()
    assert all(element.tag.startswith(ATOM) for element in atom_root.iter())
    channel = ET.parse(site.output / "rss.xml").getroot().find("channel")
    assert {child.tag for child in channel} <= {
        "title",
        "link",
        "description",
        "language",
        "lastBuildDate",
        f"{ATOM}link",
    }


def feed_entry(slug: str, **fields) -> FeedEntry:
    """An entry of the site's articles, dated 25/12/2020, with fields replaced."""
    moment = dt.datetime(2020, 12, 25, 11, 52, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    defaults = {
        "id": f"tag:bantin.example.vn,2026:2020-12-25/{slug}",
        "title": "Hội nghị",
        "url": f"https://bantin.example.vn/2020/12/25/{slug}/",
        "published": moment,
        "updated": moment,
        "authors": (),
        "categories": ("Hội nghị",),
        "summary_html": "",
        "content_html": None,
        "image": None,
    }
    return FeedEntry(**{**defaults, **fields})


def test_an_entry_reads_back_exactly_in_both_formats():
    entry = feed_entry(
        "hoi-nghi",
        title="Hội nghị <đối thoại> & “tọa đàm”",
        authors=("Bảo Yến",),
        categories=("Hội nghị", "công đoàn"),
        summary_html="<p>Tóm tắt &amp; ý kiến</p>",
        content_html='<p>Nội dung <a href="https://bantin.example.vn/">liên kết</a> 5 > 3</p>',
    )
    feed = Feed(
        id="tag:bantin.example.vn,2026:feed/",
        title="Bản tin",
        subtitle="",
        page_url="https://bantin.example.vn/",
        atom_url="https://bantin.example.vn/atom.xml",
        rss_url="https://bantin.example.vn/rss.xml",
        language="vi",
        publisher="Bản tin",
        entries=(entry.written(), entry.written()),
    )
    for item in ET.fromstring(atom(feed)).findall(f"{ATOM}entry"):
        assert item.find(f"{ATOM}title").text == entry.title
        assert item.find(f"{ATOM}summary").text == entry.summary_html
        assert item.find(f"{ATOM}content").text == entry.content_html
    items = ET.fromstring(rss(feed)).findall("channel/item")
    assert len(items) == 2
    for item in items:
        assert item.find("title").text == entry.title
        assert item.find("description").text == entry.summary_html
        assert item.find(f"{CONTENT}encoded").text == entry.content_html


def test_an_empty_summary_or_content_is_an_empty_element():
    entry = feed_entry("rong", title="Bài không có nội dung", summary_html="", content_html="")
    written = entry.written()
    assert b'<summary type="html" />' in b"".join(written.atom)
    assert b"<description />" in b"".join(written.rss)
