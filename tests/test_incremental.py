"""Builds do no work twice: an unchanged site is not rebuilt, and a file is only
rewritten when its bytes change."""

from pathlib import Path

import pytest

from bantin.search import filter_word
from tests.support.sites import ROOT, Site
from tests.support.trees import inodes

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


LONG_BODY = "Hội nghị đã thảo luận nhiều vấn đề quan trọng của công đoàn cơ sở. " * 10


def small_site(tmp_path) -> Site:
    site = Site(tmp_path)
    for name, fields in ARTICLES.items():
        site.article(name, **fields)
    site.article("ba", **{**ARTICLES["ba"], "body": LONG_BODY})
    return site


def test_a_rebuild_with_nothing_changed_rewrites_no_file(tmp_path):
    site = small_site(tmp_path)
    site.build()
    before = inodes(site.output)
    site.build()
    assert inodes(site.output) == before
    site.build(force=True)  # even a full build writes no file whose bytes did not change
    assert inodes(site.output) == before


def test_a_removed_articles_folder_leaves_the_site(tmp_path):
    # A build makes the last build's folders ahead of time; those no page needs go.
    site = small_site(tmp_path)
    site.build()
    folder = site.output / "2019" / "03" / "01"
    assert (folder / "bai-ba" / "index.html").is_file()
    (site.content / "bai-viet" / "ba.md").unlink()
    site.build()
    assert not folder.exists()
    assert (site.output / "2021" / "01" / "01" / "bai-mot" / "index.html").is_file()


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
        # the first results of its filter values, which show its lead (from its body)
        *(
            f"tim-kiem/loc/{filter_word(*value)}.json"
            for value in [
                ("loai", "Tọa đàm"),
                ("nam", "2021"),
                ("to_chuc", "Công đoàn tỉnh"),
                ("nguoi", "Trần Thị Hai"),
            ]
        ),
    )
    feeds_and_maps = ("atom.xml", "rss.xml", "sitemap.xml", "sitemap-news.xml")
    for path in changed:
        assert path.startswith(shows_it) or path in feeds_and_maps, path
    assert f"tim-kiem/loc/{filter_word('nguoi', 'Trần Thị Hai')}.json" in changed


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


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site but the search index, whose file names Pagefind
    chooses anew on each run."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not path.relative_to(folder).as_posix().startswith("pagefind/")
    }


def rendered_pages(caplog) -> set[str]:
    """The pages the last build rendered (the others were the last build's files)."""
    ends = [i for i, r in enumerate(caplog.records) if r.getMessage().startswith("Pages: ")]
    start = ends[-2] if len(ends) > 1 else 0
    return {
        r.getMessage().removeprefix("Rendering ")
        for r in caplog.records[start : ends[-1]]
        if r.getMessage().startswith("Rendering ")
    }


CHANGES = {
    "edit the text": lambda site: site.article(
        "hai", **{**ARTICLES["hai"], "body": "Nội dung bài hai, đã sửa."}
    ),
    # The summary (the first 50 words) stays: lists keep their cards, feeds show the text.
    "edit past the summary": lambda site: site.article(
        "ba", **{**ARTICLES["ba"], "body": LONG_BODY + "Câu cuối đã sửa."}
    ),
    "retitle": lambda site: site.article("mot", **{**ARTICLES["mot"], "title": "Bài một mới"}),
    "add an article": lambda site: site.article(
        "bon",
        title="Bài bốn",
        event="hội nghị",
        participants=[{"name": "Lê Văn Một", "role": "Phó Chủ tịch"}],
        tags=["thi đua"],
        date="2021-01-15T08:00",
        body="Nội dung bài bốn.",
    ),
    "remove an article": lambda site: (site.content / "bai-viet" / "ba.md").unlink(),
    "change a participant": lambda site: site.article(
        "hai",
        **{**ARTICLES["hai"], "participants": [{"name": "Trần Thị Hải", "role": "Bí thư"}]},
    ),
    "alias in the registry": lambda site: site.registry(
        """
        people:
          aliases:
            Phạm Văn Ba: Trần Thị Hai
        """
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_rebuild_after_a_change_equals_a_build_from_scratch(tmp_path, change):
    site = small_site(tmp_path)
    site.build()
    CHANGES[change](site)
    site.build()
    incremental = site_files(site.output)
    site.build(force=True)
    assert incremental == site_files(site.output)


def test_a_rebuild_renders_only_the_pages_that_show_what_changed(tmp_path, caplog):
    site = small_site(tmp_path)
    site.build()  # once the plugin has set its logger's level, the test can lower it
    caplog.set_level("INFO")
    caplog.set_level("DEBUG", logger="output_reuse")
    site.build(force=True)
    everything = rendered_pages(caplog)
    assert "2019/03/01/bai-ba/index.html" in everything

    site.article("hai", **{**ARTICLES["hai"], "body": "Nội dung bài hai, đã sửa."})
    site.build()
    # Its page, and the pages that show its card (its summary changed): the lists of
    # its kind, topic, person, organisation, year, month, the home page, the page of
    # the article that shows it as a neighbour; and the directories of kinds, topics,
    # people and organisations, which hold the articles of each (they show only how
    # many, but what a template does with an article is known only by rendering it).
    assert rendered_pages(caplog) == {
        "2021/02/01/bai-hai/index.html",
        "index.html",
        "su-kien/toa-dam/index.html",
        "chu-de/cong-doan/index.html",
        "nguoi/tran-thi-hai/index.html",
        "to-chuc/cong-doan-tinh/index.html",
        "2021/index.html",
        "2021/02/index.html",
        "2021/01/01/bai-mot/index.html",
        "su-kien/index.html",
        "chu-de/index.html",
        "nguoi/index.html",
        "to-chuc/index.html",
        "tim-kiem/index.html",  # it lists the kinds of event, with their articles
    }

    site.article("hai", **{**ARTICLES["hai"], "body": "Nội dung bài hai, đã sửa.\n\nThêm đoạn."})
    site.build(SUMMARY_MAX_LENGTH=3)
    site.article("hai", **{**ARTICLES["hai"], "body": "Nội dung bài hai, đã sửa lại."})
    site.build(SUMMARY_MAX_LENGTH=3)
    # The summary (its first three words) is the same: only the article's page shows the change.
    assert rendered_pages(caplog) == {"2021/02/01/bai-hai/index.html"}

    site.build(force=True, SUMMARY_MAX_LENGTH=3)
    assert rendered_pages(caplog) == everything


def test_only_an_articles_own_page_shows_what_its_short_form_leaves_out():
    """Rebuilds count a listed article (a card, a link) by its short form, without its
    body or revision time (bantin.fingerprint): a list that showed them would go stale."""
    import re

    from bantin.fingerprint import FULL_ONLY_ATTRIBUTES

    shown = re.compile(rf"(\w+)\.({'|'.join(FULL_ONLY_ATTRIBUTES)})\b")
    for template in (ROOT / "theme" / "templates").rglob("*.html"):
        for owner, attribute in shown.findall(template.read_text(encoding="utf-8")):
            assert (template.name, owner) == ("article.html", "article"), (
                f"{template.name} shows {owner}.{attribute}"
            )
