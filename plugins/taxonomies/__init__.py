"""Topics and event kinds named and ordered the Vietnamese way, and the archives of
each year and month.

Pelican merges taxonomy entries by ASCII slug: it would put "hội thảo" (workshop) and
"hội thao" (sports day) on one page, and list them in ASCII order. Here every topic
gets its slug and display name from bantin.names (spellings that differ only in tone
placement or case are one entry; different words keep separate pages), and the lists
handed to templates follow the Vietnamese alphabet.
"""

import calendar
import logging
from collections import defaultdict
from itertools import groupby
from operator import attrgetter

from pelican import signals
from pelican.urlwrappers import Tag

from bantin.article_list import ArticleList
from bantin.names import resolve_names
from bantin.vietnamese import identity_key, sort_key

logger = logging.getLogger(__name__)


def name_tags(generator) -> None:
    """Point each article's tags at one slug per identity, and seed Pelican's tag
    index with one entry per identity: Pelican files articles under the first equal
    key it sees, so the tag pages show the display name."""
    articles = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    names, clashes = resolve_names(
        (tag.name, article.date) for article in articles for tag in getattr(article, "tags", ())
    )
    for clash in clashes:
        logger.warning("tags: %s", clash)
    for article in articles:
        for tag in getattr(article, "tags", ()):
            tag.slug = names[identity_key(tag.name)].slug
    for name in sorted(names.values(), key=lambda name: sort_key(name.display)):
        tag = Tag(name.display, generator.settings)
        tag.slug = name.slug
        generator.tags[tag] = []


_PERIOD_KEYS = {
    "year": attrgetter("date.year"),
    "month": attrgetter("date.year", "date.month"),
}


def period_archives(generator) -> dict[str, list[dict]]:
    """The archive of each period of PERIOD_ARCHIVE_URLS, as Pelican's own period
    archives give them to the templates (`period_archives`): its articles in the order of
    `articles`, its `dates` in the order of `dates`, `period` and `period_num`. Each is
    written by Pelican, which writes every period archive the generator holds."""
    archives = defaultdict(list)
    for granularity, url in generator.settings.get("PERIOD_ARCHIVE_URLS", {}).items():
        key = _PERIOD_KEYS[granularity]
        articles = defaultdict(list)
        for article in generator.articles:
            articles[key(article)].append(article)
        for period, group in groupby(generator.dates, key=key):
            dates = list(group)
            address = url.format(date=dates[0].date)
            yearly = granularity == "year"
            archives[granularity].append(
                {
                    "dates": dates,
                    "articles": articles[period],
                    "save_as": address + "index.html",
                    "url": address,
                    "period": (period,) if yearly else (period[0], calendar.month_name[period[1]]),
                    "period_num": (period,) if yearly else period,
                }
            )
    return archives


def archive_years(period_archives: dict) -> list[dict]:
    """Years, newest first, each with its months: what the archives page lists."""
    months = defaultdict(list)
    for month in period_archives.get("month", []):
        year, _ = month["period_num"]
        months[year].append(
            {"period": month["period_num"], "url": month["url"], "count": len(month["articles"])}
        )
    years = [
        {
            "year": year["period_num"][0],
            "url": year["url"],
            "count": len(year["articles"]),
            "months": months[year["period_num"][0]],
        }
        for year in period_archives.get("year", [])
    ]
    return sorted(years, key=lambda year: year["year"], reverse=True)


def order_lists(generator) -> None:
    by_name = lambda pair: sort_key(pair[0].name)  # noqa: E731
    generator.tags = dict(
        sorted(
            ((tag, ArticleList(articles)) for tag, articles in generator.tags.items() if articles),
            key=by_name,
        )
    )
    generator.categories = sorted(
        ((category, ArticleList(articles)) for category, articles in generator.categories),
        key=by_name,
    )
    generator.context["tags"] = list(generator.tags.items())
    generator.context["categories"] = generator.categories
    # Pelican's context holds the generator's dict of archives (empty: see period_archives).
    generator.period_archives.update(period_archives(generator))
    generator.context["archive_years"] = archive_years(generator.period_archives)


def register() -> None:
    signals.article_generator_pretaxonomy.connect(name_tags)
    signals.article_generator_finalized.connect(order_lists)
