"""Drafts and articles dated in the future: visible in the preview, marked as such, and
absent from the public site.

With SHOW_DRAFTS (the preview's setting), drafts join the published articles, at their
final URL, in every list, page and index, and each carries `preview_label`
("draft" or "scheduled") for the templates to mark it. The public settings turn
SHOW_DRAFTS off and WITH_FUTURE_DATES off (Pelican then treats future articles as
drafts), and write no draft at all (DRAFT_SAVE_AS = "").
"""

import datetime as dt
from zoneinfo import ZoneInfo

from pelican import signals


def label_and_show(generator) -> None:
    now = dt.datetime.now(ZoneInfo(generator.settings["TIMEZONE"]))
    for article in [*generator.articles, *generator.drafts]:
        if article.date > now:
            # The site changes by itself when this article's time comes.
            generator.context.setdefault("expires", []).append(article.date)
        if article.status == "draft":
            article.preview_label = "draft"
        elif article.date > now:
            article.preview_label = "scheduled"
        else:
            article.preview_label = None
    if generator.settings.get("SHOW_DRAFTS"):
        generator.articles = sorted(
            [*generator.articles, *generator.drafts], key=lambda a: a.date, reverse=True
        )
        generator.drafts = []


def register() -> None:
    signals.article_generator_pretaxonomy.connect(label_and_show)
