"""Atom and RSS 2.0 feeds for the whole site and for every kind of event, topic, person
and organisation, written beside the page they follow (`/su-kien/doi-thoai/atom.xml`).

Settings: FEED_DOMAIN (the absolute address feeds point at), FEED_MAX_ITEMS (50),
FEED_CONTENT ("full" or "summary"), FEED_ID_AUTHORITY (a domain and a date it was
owned, e.g. "bantin.example.vn,2026": entry ids are tag: URIs built on it, so they
never change when an article is edited or the site moves).
"""

import re
from pathlib import Path

from markupsafe import escape
from pelican import signals
from pelican.generators import Generator

from bantin.feeds import Feed, FeedEntry, FeedImage, WrittenEntry, atom, rss, tag_uri
from bantin.i18n import translations

DEFAULTS = {
    "FEED_MAX_ITEMS": 50,
    "FEED_CONTENT": "full",
    "FEED_ID_AUTHORITY": "bantin.example.vn,2026",
}
_SITE_PATH = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute(html: str, domain: str) -> str:
    """Site-relative links and images in html made absolute, as feed readers need."""
    return _SITE_PATH.sub(rf"\1{domain}/", html)


def _lead_figure(rendition, domain: str, _) -> str:
    """The lead photo as the article page shows it, for readers without Media RSS."""
    photo = rendition.photo
    alt, note = photo.alt, ""
    if photo.illustration:
        alt = _("Illustration, not the original photo: %(alt)s") % {"alt": photo.alt}
        note = " " + _("Illustration, not the original photo.")
        if photo.credit:
            note += " " + _("Original photo: %(name)s") % {"name": photo.credit}
    elif photo.credit:
        note = " " + _("Photo: %(name)s") % {"name": photo.credit}
    return (
        f'<figure><img src="{domain}/{rendition.src}" width="{rendition.width}" '
        f'height="{rendition.height}" alt="{escape(alt)}">'
        f"<figcaption>{escape(photo.caption)}{escape(note)}</figcaption></figure>"
    )


class FeedsGenerator(Generator):
    def generate_output(self, writer) -> None:
        settings = {**DEFAULTS, **self.settings}
        domain = settings["FEED_DOMAIN"].rstrip("/")
        gettext = translations(Path(self.theme), settings["DEFAULT_LANG"]).gettext
        photo_files = self.context.get("photo_outputs", {})
        entries = {}

        def entry(article) -> WrittenEntry:
            # An article is in many feeds; its entry is made and written once, and again
            # only when its text is edited in a build kept in memory (bantin.text_edits).
            text = (article.title, article.summary, article._content, article.updated)
            if entries.get(id(article), (None,))[0] != text:
                renditions = [r for r in getattr(article, "photo_renditions", []) if r]
                lead = renditions[0] if renditions else None
                content = None
                if settings["FEED_CONTENT"] == "full":
                    content = (_lead_figure(lead, domain, gettext) if lead else "") + absolute(
                        article.content, domain
                    )
                image = None
                if lead:
                    image = FeedImage(
                        url=f"{domain}/{lead.src}",
                        length=Path(photo_files[lead.src]).stat().st_size,
                        mime_type="image/jpeg",
                        width=lead.width,
                        height=lead.height,
                        caption=lead.photo.caption,
                        credit=lead.photo.credit,
                    )
                entries[id(article)] = (
                    text,
                    FeedEntry(
                        id=tag_uri(
                            settings["FEED_ID_AUTHORITY"], f"{article.date:%Y-%m-%d}/{article.slug}"
                        ),
                        title=article.title,
                        url=f"{domain}/{article.url}",
                        published=article.date,
                        updated=article.updated,
                        authors=tuple(byline.name for byline in article.bylines),
                        categories=(
                            article.category.name,
                            *(tag.name for tag in getattr(article, "tags", ())),
                        ),
                        summary_html=absolute(article.summary, domain),
                        content_html=content,
                        image=image,
                    ).written(),
                )
            return entries[id(article)][1]

        def write(page_url: str, title: str, articles: list) -> None:
            newest = sorted(articles, key=lambda article: article.date, reverse=True)[
                : settings["FEED_MAX_ITEMS"]
            ]
            files = [f"{page_url}atom.xml", f"{page_url}rss.xml"]

            def make(folder: Path) -> None:
                feed = Feed(
                    id=tag_uri(settings["FEED_ID_AUTHORITY"], f"feed/{page_url}"),
                    title=title,
                    subtitle=settings.get("SITESUBTITLE", ""),
                    page_url=f"{domain}/{page_url}",
                    atom_url=f"{domain}/{page_url}atom.xml",
                    rss_url=f"{domain}/{page_url}rss.xml",
                    language=settings["DEFAULT_LANG"],
                    publisher=settings["SITENAME"],
                    entries=tuple(entry(article) for article in newest),
                )
                (folder / page_url).mkdir(parents=True, exist_ok=True)
                for file, serialise in zip(files, (atom, rss), strict=True):
                    (folder / file).write_bytes(serialise(feed))

            writer.produce(files, (title, *newest), make)  # entries show the whole article

        site = settings["SITENAME"]
        articles = self.context["articles"]
        write("", site, articles)
        for category, category_articles in self.context["categories"]:
            write(category.url, f"{category.name} · {site}", category_articles)
        for tag, tag_articles in self.context["tags"]:
            write(tag.url, f"{tag.name} · {site}", tag_articles)
        directory = self.context.get("people_directory")
        if directory:
            for person in directory.people:
                person_articles = list(
                    {id(a.article): a.article for a in person.appearances}.values()
                )
                write(
                    settings["PERSON_URL"].format(slug=person.slug),
                    f"{person.name} · {site}",
                    person_articles,
                )
            for organization in directory.organizations:
                write(
                    settings["ORGANIZATION_URL"].format(slug=organization.slug),
                    f"{organization.name} · {site}",
                    organization.articles,
                )


def feeds_generator(_pelican):
    return FeedsGenerator


def register() -> None:
    signals.get_generators.connect(feeds_generator)
