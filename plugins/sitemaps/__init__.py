"""sitemap.xml (an index of several sitemaps when large), a Google News sitemap of the
last two days' articles, and robots.txt pointing at both.

Every public page is listed with its last modification: an article's own date of last
change (plugins/revisions), and for a list page the newest change among its articles.
Drafts and scheduled articles shown in the preview are never listed.

Settings: SITE_ADDRESS (the absolute address the URLs start with), SITEMAP_MAX_URLS
(50,000, the protocol's limit per file), NEWS_SITEMAP_DAYS (2).
"""

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _listing(root_tag: str, item_tag: str, entries: list[tuple[str, dt.datetime]]) -> bytes:
    root = ET.Element(root_tag, {"xmlns": SITEMAP})
    for location, modified in entries:
        item = ET.SubElement(root, item_tag)
        ET.SubElement(item, "loc").text = location
        ET.SubElement(item, "lastmod").text = modified.isoformat()
    return _document(root)


def urlset(entries: list[tuple[str, dt.datetime]]) -> bytes:
    return _listing("urlset", "url", entries)


def sitemap_index(sitemaps: list[tuple[str, dt.datetime]]) -> bytes:
    return _listing("sitemapindex", "sitemap", sitemaps)


def news_sitemap(articles: list, base: str, publication: str, language: str) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:news": NEWS})
    for article in articles:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = f"{base}/{article.url}"
        news = ET.SubElement(url, "news:news")
        source = ET.SubElement(news, "news:publication")
        ET.SubElement(source, "news:name").text = publication
        ET.SubElement(source, "news:language").text = language
        ET.SubElement(news, "news:publication_date").text = article.date.isoformat()
        ET.SubElement(news, "news:title").text = article.title
    return _document(root)


def _public(articles) -> list:
    """Without the drafts and scheduled articles the preview shows (plugins/drafts)."""
    return [a for a in articles if not getattr(a, "preview_label", None)]


class SitemapsGenerator(Generator):
    made_again_after_text_edits = True  # the revision times (bantin.text_edits)

    def generate_output(self, writer) -> None:
        settings = self.settings
        base = settings["SITE_ADDRESS"].rstrip("/")
        public = _public(self.context["articles"])
        if not public:
            return
        newest = max(article.updated for article in public)

        def latest(articles) -> dt.datetime:
            return max((a.updated for a in _public(articles)), default=newest)

        pages = [("", newest)]
        pages += [(article.url, article.updated) for article in public]
        pages += [
            (url, newest)
            for url in (
                settings[key]
                for key in (
                    "CATEGORIES_URL",
                    "TAGS_URL",
                    "PEOPLE_URL",
                    "ORGANIZATIONS_URL",
                    "ARCHIVES_URL",
                    "AUTHORS_URL",
                )
            )
        ]
        pages += [
            (category.url, latest(articles)) for category, articles in self.context["categories"]
        ]
        pages += [(tag.url, latest(articles)) for tag, articles in self.context["tags"]]
        for period in (
            *self.context["period_archives"].get("year", []),
            *self.context["period_archives"].get("month", []),
        ):
            pages.append((period["url"], latest(period["articles"])))
        directory = self.context.get("people_directory")
        if directory:
            for person in directory.people:
                url = settings["PERSON_URL"].format(slug=person.slug)
                pages.append(
                    (url, latest([appearance.article for appearance in person.appearances]))
                )
            for organization in directory.organizations:
                pages.append(
                    (
                        settings["ORGANIZATION_URL"].format(slug=organization.slug),
                        latest(organization.articles),
                    )
                )
        entries = sorted({(f"{base}/{url}", modified) for url, modified in pages})

        output = Path(self.output_path)
        limit = settings.get("SITEMAP_MAX_URLS", 50_000)
        if len(entries) <= limit:
            (output / "sitemap.xml").write_bytes(urlset(entries))
        else:
            parts = [entries[start : start + limit] for start in range(0, len(entries), limit)]
            for number, part in enumerate(parts, start=1):
                (output / f"sitemap-{number}.xml").write_bytes(urlset(part))
            index = [
                (f"{base}/sitemap-{n}.xml", max(m for _, m in part))
                for n, part in enumerate(parts, start=1)
            ]
            (output / "sitemap.xml").write_bytes(sitemap_index(index))

        now = dt.datetime.now(ZoneInfo(settings["TIMEZONE"]))
        window = dt.timedelta(days=settings.get("NEWS_SITEMAP_DAYS", 2))
        recent = sorted(
            (a for a in public if now - window <= a.date <= now), key=lambda a: a.date, reverse=True
        )
        (output / "sitemap-news.xml").write_bytes(
            news_sitemap(recent, base, settings["SITENAME"], settings["DEFAULT_LANG"])
        )
        (output / "robots.txt").write_text(
            f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n",
            encoding="utf-8",
        )


def sitemaps_generator(_pelican):
    return SitemapsGenerator


def register() -> None:
    signals.get_generators.connect(sitemaps_generator)
