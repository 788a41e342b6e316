"""Addresses worked out once per build (plugins/addresses): every article and page keeps
the address Pelican works out from its settings, drafts and public builds alike."""

import pytest
from pelican import signals

from tests.support.sites import ROOT, Site


@pytest.fixture
def written_articles():
    """The articles of the next build as its article generator leaves them, once every
    page of theirs is written."""
    seen = []

    def keep(generator, writer):
        seen.extend([*generator.articles, *generator.drafts])

    signals.article_writer_finalized.connect(keep)
    yield seen
    signals.article_writer_finalized.disconnect(keep)


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_each_article_keeps_the_address_worked_out_from_the_settings(
    tmp_path, written_articles, settings
):
    site = Site(tmp_path)
    site.article("da-dang", title="Hội nghị đã đăng", slug="hoi-nghi-da-dang")
    site.article("ban-nhap", title="Bản nháp", date="2021-03-04T08:00", status="draft")
    site.build(ROOT / settings, SITEURL="", FEED_DOMAIN="http://127.0.0.1")
    assert {article.title for article in written_articles} == {"Hội nghị đã đăng", "Bản nháp"}
    for article in written_articles:
        kept = (article.override_url, article.override_save_as)
        del article.override_url, article.override_save_as
        assert kept == (article.url, article.save_as), article.title
        if article.save_as:
            assert (site.output / article.save_as).is_file(), article.title
    draft = next(a for a in written_articles if a.title == "Bản nháp")
    assert draft.save_as == (
        "2021/03/04/ban-nhap/index.html" if settings == "pelicanconf.py" else ""
    )
