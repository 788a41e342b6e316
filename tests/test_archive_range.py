"""Archives cut to one year or a date range: "the 2020 bulletin archive" shows only 2020
in its pages, feeds, lists, photos and manifest."""

import datetime as dt
import json
import re
import zipfile

import feedparser
import pytest

from bantin.archive import ArchiveError, Period, export_archive
from bantin.archive.offline import page_links, resolve
from tests.support.sites import ROOT, Site

PUBLISH_SETTINGS = ROOT / "publishconf.py"
CAPTURED = dt.datetime(2026, 5, 22, 3, 0, tzinfo=dt.UTC)


def read(zip_path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as opened:
        return opened.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def archive_2020(tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    return export_archive(
        PUBLISH_SETTINGS, out, period=Period.from_options(year=2020), captured=CAPTURED
    )


def test_a_year_archive_is_named_for_the_year_and_lists_only_its_articles(archive_2020):
    assert archive_2020.zip_path.name == "ban-tin-2020.zip"
    assert archive_2020.warc_path.name == "ban-tin-2020.warc.gz"
    manifest = json.loads(read(archive_2020.zip_path, "MANIFEST.json"))
    assert manifest["period"] == {"since": "2020-01-01", "until": "2020-12-31"}
    assert manifest["articles"] and {a["date"][:4] for a in manifest["articles"]} == {"2020"}
    assert "năm 2020" in read(archive_2020.zip_path, "README.txt")


def test_pages_feeds_and_lists_of_a_year_archive_show_only_that_year(archive_2020):
    with zipfile.ZipFile(archive_2020.zip_path) as opened:
        names = opened.namelist()
        pages = {name: opened.read(name).decode("utf-8") for name in names if name.endswith("html")}
        feed = feedparser.parse(opened.read("site/atom.xml"))
    dated_folders = {match[1] for name in names if (match := re.match(r"site/(\d{4})/", name))}
    assert dated_folders == {"2020"}
    for name, html in pages.items():
        for _, _, url in page_links(html):
            target = resolve(name.removeprefix("site/"), url)
            year = re.match(r"(\d{4})/", target or "")
            assert year is None or year[1] == "2020", f"{name} links to {url}"
    assert feed.entries and all(entry.published.startswith("2020") for entry in feed.entries)
    archives_page = pages["site/luu-tru/index.html"]
    assert "2020/index.html" in archives_page and "2019/index.html" not in archives_page


def test_a_year_archive_holds_only_the_photos_of_that_year(archive_2020):
    manifest = json.loads(read(archive_2020.zip_path, "MANIFEST.json"))
    photos = {
        file for a in manifest["articles"] for photo in a["photos"] for file in photo["files"]
    }
    with zipfile.ZipFile(archive_2020.zip_path) as opened:
        published = {name for name in opened.namelist() if name.startswith("site/anh/")}
    assert photos and published == photos


def test_a_date_range_archive_is_named_for_its_range(tmp_path):
    period = Period.from_options(since="2019-01-01", until="2020-12-31")
    export = export_archive(PUBLISH_SETTINGS, tmp_path, period=period, captured=CAPTURED)
    assert export.zip_path.name == "ban-tin-20190101-20201231.zip"
    manifest = json.loads(read(export.zip_path, "MANIFEST.json"))
    assert sorted(article["date"][:4] for article in manifest["articles"]) == ["2019", "2020"]


def test_cutting_keeps_the_registry_and_drafts_checked_but_out_of_the_archive(tmp_path):
    """An alias whose name only other years use is no error in a cut, and drafts (of any
    year) are never archived, nor their photos."""
    site = Site(tmp_path / "project")
    site.registry("organizations:\n  aliases:\n    VPQH: Văn phòng Quốc hội\n")
    site.photo("2019/a.jpg", size=(320, 200))
    site.photo("2020/nhap.jpg", size=(320, 200))
    site.article("2019-a", title="Bài năm 2019", date="2019-05-01", slug="bai-2019")
    site.article(
        "2020-b", title="Bài năm 2020", date="2020-05-01", organizations=["Công đoàn cơ quan"]
    )
    for number in (1, 2):
        site.article(
            f"2020-nhap-{number}",
            title=f"Bản nháp {number}",
            date="2020-06-01",
            status="draft",
            organizations=["Công đoàn cơ quan"],
            photos=[{"file": "2020/nhap.jpg", "caption": "Ảnh nháp", "alt": "Ảnh"}],
        )
    export = export_archive(
        PUBLISH_SETTINGS,
        tmp_path / "out",
        period=Period.from_options(year=2020),
        captured=CAPTURED,
        overrides=site.overrides(),
    )
    with zipfile.ZipFile(export.zip_path) as opened:
        names = opened.namelist()
        manifest = json.loads(opened.read("MANIFEST.json"))
    assert [article["title"] for article in manifest["articles"]] == ["Bài năm 2020"]
    assert not [name for name in names if "anh/" in name or "nhap" in name or "2019" in name]


def test_period_options_are_checked():
    assert Period.from_options() is None
    assert Period.from_options(year="2020").slug == "2020"
    assert Period.from_options(since="2020-03-01").slug == "tu-20200301"
    assert Period.from_options(until="2020-03-01").slug == "den-20200301"
    assert dt.date(2020, 3, 1) in Period.from_options(since="2020-03-01")
    assert dt.date(2020, 2, 29) not in Period.from_options(since="2020-03-01")
    for wrong in (
        {"year": "hai nghìn"},
        {"year": 2020, "since": "2020-01-01"},
        {"since": "2020-02-30"},
        {"since": "2021-01-01", "until": "2020-01-01"},
    ):
        with pytest.raises(ArchiveError):
            Period.from_options(**wrong)


def test_a_period_without_articles_is_refused(tmp_path):
    with pytest.raises(ArchiveError, match="no published article"):
        export_archive(PUBLISH_SETTINGS, tmp_path, period=Period.from_options(year=1999))
