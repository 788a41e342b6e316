"""What search engines and social sites read: schema.org JSON-LD (NewsArticle, Person,
Organization), made here in Python and handed to the templates as filters, so the
templates only place it; and `absolute` and `page_url`, for canonical URLs and Open Graph tags.

JSON in a <script> element ends at the first "</": every "<", ">" and "&" is written
as a \\u escape, so nothing an editor writes can close the element.

Settings: SITE_ADDRESS, PUBLISHER, PUBLISHER_LOGO (path in the theme's static folder,
600×60 PNG).
"""

import json

from markupsafe import Markup
from pelican import signals

CONTEXT = "https://schema.org"


def json_ld(data: dict) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def filters(settings: dict) -> dict:
    base = settings["SITE_ADDRESS"].rstrip("/")

    def absolute(url: str) -> str:
        return f"{base}/{url}"

    def page_url(output_file: str) -> str:
        """The URL of the page written to output_file: a folder's index.html is the folder."""
        return output_file.removesuffix("index.html")

    def publisher() -> dict:
        return {
            "@type": "Organization",
            "name": settings["PUBLISHER"],
            "url": f"{base}/",
            "logo": {
                "@type": "ImageObject",
                "url": absolute(f"{settings['THEME_STATIC_DIR']}/{settings['PUBLISHER_LOGO']}"),
                "width": 600,
                "height": 60,
            },
        }

    def person_url(person) -> str:
        return absolute(settings["PERSON_URL"].format(slug=person.slug))

    def news_article(article) -> Markup:
        data = {
            "@context": CONTEXT,
            "@type": "NewsArticle",
            "headline": article.title if len(article.title) <= 110 else article.title[:109] + "…",
            "datePublished": article.date.isoformat(),
            "dateModified": getattr(article, "updated", article.date).isoformat(),
            "inLanguage": settings["DEFAULT_LANG"],
            "mainEntityOfPage": absolute(article.url),
            "url": absolute(article.url),
            "articleSection": article.category.name,
            "publisher": publisher(),
            "author": [
                {
                    "@type": "Person",
                    "name": byline.name,
                    **({"url": person_url(person)} if person else {}),
                }
                for byline, person in getattr(article, "author_credits", [])
            ]
            or [{"@type": "Organization", "name": settings["PUBLISHER"], "url": f"{base}/"}],
        }
        if article.summary:
            data["description"] = Markup(article.summary).striptags()
        renditions = [r for r in getattr(article, "photo_renditions", []) if r]
        if renditions:
            data["image"] = [
                absolute(renditions[0].crops[ratio])
                for ratio in ("16x9", "4x3", "1x1")
                if ratio in renditions[0].crops
            ]
        if article.location:
            data["contentLocation"] = {"@type": "Place", "name": article.location}
        return json_ld(data)

    def person_data(person) -> Markup:
        data = {
            "@context": CONTEXT,
            "@type": "Person",
            "name": person.name,
            "url": person_url(person),
        }
        roles = [a.role for a in person.appearances if a.role and not a.as_author]
        if roles:
            data["jobTitle"] = roles[0]  # the newest
        if person.description:
            data["description"] = person.description
        return json_ld(data)

    def organization_data(organization) -> Markup:
        url = absolute(settings["ORGANIZATION_URL"].format(slug=organization.slug))
        return json_ld(
            {"@context": CONTEXT, "@type": "Organization", "name": organization.name, "url": url}
        )

    return {
        "absolute": absolute,
        "page_url": page_url,
        "news_article_ld": news_article,
        "person_ld": person_data,
        "organization_ld": organization_data,
    }


def add_filters(generator) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters.update(filters(generator.settings))


def register() -> None:
    signals.generator_init.connect(add_filters)
