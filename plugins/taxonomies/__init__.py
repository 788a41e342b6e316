"""Tags, reporters and event kinds named and ordered the Vietnamese way.

Pelican merges taxonomy entries by ASCII slug: it would put "hội thảo" (workshop) and
"hội thao" (sports day) on one page, and list them in ASCII order. Here every entry
gets its slug and display name from bantin.names (spellings that differ only in tone
placement or case are one entry; different words keep separate pages), and the lists
handed to templates follow the Vietnamese alphabet.
"""

import logging
from collections import defaultdict

from pelican import signals
from pelican.urlwrappers import Author, Tag

from bantin.names import resolve_names
from bantin.vietnamese import identity_key, sort_key

logger = logging.getLogger(__name__)


def _canonical_entries(generator, attribute: str, wrapper: type) -> dict:
    """Point each article's entries at one slug per identity, and return the
    canonical entry (display name, slug) of each identity, in Vietnamese order."""
    articles = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    names, clashes = resolve_names(
        (entry.name, article.date)
        for article in articles
        for entry in getattr(article, attribute, ())
    )
    for clash in clashes:
        logger.warning("%s: %s", attribute, clash)
    for article in articles:
        for entry in getattr(article, attribute, ()):
            entry.slug = names[identity_key(entry.name)].slug
    canonical = {}
    for name in sorted(names.values(), key=lambda name: sort_key(name.display)):
        entry = wrapper(name.display, generator.settings)
        entry.slug = name.slug
        canonical[name.key] = entry
    return canonical


def name_entries(generator) -> None:
    # Pelican files articles under the first equal key it sees: seeding the
    # dictionaries with canonical entries makes pages show the display name.
    for attribute, wrapper, index in (
        ("tags", Tag, generator.tags),
        ("authors", Author, generator.authors),
    ):
        for entry in _canonical_entries(generator, attribute, wrapper).values():
            index[entry] = []
    for article in [*generator.articles, *generator.drafts, *generator.hidden_articles]:
        article.author_credits = list(
            zip(article.bylines, getattr(article, "authors", ()), strict=True)
        )


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
            ((tag, articles) for tag, articles in generator.tags.items() if articles), key=by_name
        )
    )
    generator.authors = sorted(((a, arts) for a, arts in generator.authors if arts), key=by_name)
    generator.categories = sorted(generator.categories, key=by_name)
    generator.context["tags"] = list(generator.tags.items())
    generator.context["authors"] = generator.authors
    generator.context["categories"] = generator.categories
    generator.context["archive_years"] = archive_years(generator.period_archives)


def register() -> None:
    signals.article_generator_pretaxonomy.connect(name_entries)
    signals.article_generator_finalized.connect(order_lists)
