"""Builds do no work twice: an unchanged site is not rebuilt, and a file is only
rewritten when its bytes change."""

from pathlib import Path

from tests.support.sites import ROOT, Site


def inodes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): path.stat().st_ino
        for path in folder.rglob("*")
        if path.is_file()
    }


ARTICLES = {
    "mot": {
        "title": "Bài một",
        "event": "hội nghị",
        "participants": [{"name": "Lê Văn Một", "role": "Chủ tịch"}],
        "tags": ["thi đua"],
        "date": "2021-01-01T08:00",
        "body": "Nội dung bài một.",
    },
    "hai": {
        "title": "Bài hai",
        "event": "tọa đàm",
        "participants": [{"name": "Trần Thị Hai", "role": "Bí thư"}],
        "tags": ["công đoàn"],
        "organizations": ["Công đoàn tỉnh"],
        "date": "2021-02-01T08:00",
        "body": "Nội dung bài hai.",
    },
    "ba": {
        "title": "Bài ba",
        "event": "đại hội",
        "participants": [{"name": "Phạm Văn Ba", "role": "Đại biểu"}],
        "organizations": ["Hội Nông dân"],
        "date": "2019-03-01T08:00",
        "body": "Nội dung bài ba.",
    },
}


def small_site(tmp_path) -> Site:
    site = Site(tmp_path)
    for name, fields in ARTICLES.items():
        site.article(name, **fields)
    return site


def test_a_rebuild_with_nothing_changed_rewrites_no_file(tmp_path):
    site = small_site(tmp_path)
    site.build()
    before = inodes(site.output)
    site.build()
    assert inodes(site.output) == before
    site.build(force=True)  # even a full build writes no file whose bytes did not change
    assert inodes(site.output) == before


def test_editing_an_article_rewrites_only_what_shows_it(tmp_path):
    site = small_site(tmp_path)
    site.build()
    before = inodes(site.output)
    site.article("hai", **{**ARTICLES["hai"], "body": "Nội dung bài hai, đã sửa."})
    site.build()
    after = inodes(site.output)
    pages = {
        path for path in after if not path.startswith("pagefind/")
    }  # the index renames its files
    assert pages == {path for path in before if not path.startswith("pagefind/")}
    changed = {path for path in after if after[path] != before.get(path)}
    assert "2021/02/01/bai-hai/index.html" in changed
    untouched = [
        "2021/01/01/bai-mot/index.html",  # the other articles
        "2019/03/01/bai-ba/index.html",
        "nguoi/pham-van-ba/index.html",  # people, bodies, kinds and topics of other articles
        "nguoi/pham-van-ba/atom.xml",
        "to-chuc/hoi-nong-dan/index.html",
        "su-kien/dai-hoi/rss.xml",
        "chu-de/thi-dua/atom.xml",
        "2019/index.html",
        "theme/css/site.css",
    ]
    assert not changed & set(untouched)
    # Everything that changed shows the edited article: its page, the lists with its
    # summary, the feeds with its text, the sitemaps (its date of last change), the index.
    shows_it = (
        "2021/02/01/bai-hai/",
        "pagefind/",
        "index.html",
        "su-kien/toa-dam/",
        "chu-de/cong-doan/",
        "nguoi/tran-thi-hai/",
        "to-chuc/cong-doan-tinh/",
        "2021/",
    )
    feeds_and_maps = ("atom.xml", "rss.xml", "sitemap.xml", "sitemap-news.xml")
    for path in changed:
        assert path.startswith(shows_it) or path in feeds_and_maps, path


def test_a_scheduled_article_makes_the_next_build_run_once_its_time_has_come(tmp_path):
    import datetime as dt
    import time

    site = Site(tmp_path)
    soon = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))) + dt.timedelta(seconds=3)
    site.article("som", title="Bài hẹn giờ", date=soon.strftime("%Y-%m-%dT%H:%M:%S"))
    site.article("cu", title="Bài cũ", date="2020-01-01T08:00")
    site.build(settings=ROOT / "publishconf.py")
    assert "Bài hẹn giờ" not in (site.output / "index.html").read_text(encoding="utf-8")
    # What is tested is the passing of real time: wait until the article's time.
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()))
    site.build(settings=ROOT / "publishconf.py")
    assert "Bài hẹn giờ" in (site.output / "index.html").read_text(encoding="utf-8")
