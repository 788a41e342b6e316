"""Topic and reporter pages: one per name whatever its spelling, never two words on one page."""

import re

from pelican import signals

from tests.support.sites import Site


def term_names(html: str) -> list[str]:
    return re.findall(r'<li class="bt-terms__item"><a href="[^"]+">([^<]+)</a>', html)


def test_tone_placement_variants_of_a_tag_share_one_page(tmp_path):
    site = Site(tmp_path)
    site.article("mot", title="Bài một", tags=["Ủy ban"], date="2020-01-01T08:00")
    site.article("hai", title="Bài hai", tags=["Uỷ ban"], date="2020-02-01T08:00")
    site.article("ba", title="Bài ba", tags=["Uỷ ban"], date="2020-03-01T08:00")
    site.article("bon", title="Bài bốn", tags=["UỶ BAN"], date="2020-04-01T08:00")
    site.build()
    assert term_names(site.page("/chu-de/")) == ["Uỷ ban"]  # the most used spelling
    assert site.page("/chu-de/uy-ban/").count('class="bt-card"') == 4
    assert ">Ủy ban</a>" in site.page("/2020/01/01/bai-mot/")  # each article shows its own spelling


def test_different_words_with_the_same_ascii_slug_keep_separate_pages(tmp_path, caplog):
    site = Site(tmp_path)
    site.article("hoi-thao", title="Hội thảo khoa học", tags=["hội thảo"])
    site.article("hoi-thao-the-thao", title="Hội thao công đoàn", tags=["hội thao"])
    site.build()
    assert site.page("/chu-de/hoi-thao/").count('class="bt-card"') == 1
    assert "Hội thao công đoàn" in site.page("/chu-de/hoi-thao/")
    assert "Hội thảo khoa học" in site.page("/chu-de/hoi-thao-2/")
    assert any("share the URL slug 'hoi-thao'" in record.getMessage() for record in caplog.records)


def test_reporter_spellings_share_one_page(tmp_path):
    site = Site(tmp_path)
    site.article("mot", title="Bài một", authors=["Phạm Thúy Chinh"])
    site.article("hai", title="Bài hai", authors=["Phạm Thuý Chinh"], date="2021-01-01T08:00")
    site.build()
    assert term_names(site.page("/phong-vien/")) == ["Phạm Thuý Chinh"]
    assert site.page("/nguoi/pham-thuy-chinh/").count('class="bt-appearances__item"') == 2


def test_articles_without_authors_or_tags_build(tmp_path):
    site = Site(tmp_path)
    site.article("tran", authors=None, tags=None)
    site.build()
    assert term_names(site.page("/phong-vien/")) == []


def test_period_archives_are_the_ones_pelican_would_make(tmp_path):
    site = Site(tmp_path)
    for number, date in enumerate(
        ["2019-12-30T08:00", "2020-01-05T09:00", "2020-01-20", "2020-03-02T14:30", "2020-03-02"]
    ):
        site.article(f"bai-{number}", title=f"Bài {number}", date=date)
    generators = []
    keep = lambda generator, writer: generators.append(generator)  # noqa: E731
    signals.article_writer_finalized.connect(keep)
    try:
        site.build()
    finally:
        signals.article_writer_finalized.disconnect(keep)
    (generator,) = generators
    urls = generator.settings["PERIOD_ARCHIVE_URLS"]
    pelicans_settings = {
        **generator.settings,
        **{f"{period.upper()}_ARCHIVE_URL": url for period, url in urls.items()},
        **{f"{period.upper()}_ARCHIVE_SAVE_AS": url + "index.html" for period, url in urls.items()},
    }
    pelicans = generator._build_period_archives(
        generator.dates, generator.articles, pelicans_settings
    )
    assert dict(generator.period_archives) == dict(pelicans)
    assert [len(month["articles"]) for month in generator.period_archives["month"]] == [2, 2, 1]
    for archive in [*generator.period_archives["year"], *generator.period_archives["month"]]:
        assert (site.output / archive["save_as"]).is_file()
