"""An article's search fields, read once from the article: its search document's source,
its filter values, and what a result shows of it."""

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from bantin.search import SearchDocument, result_card

FILTERS = {
    "kind": "loai",
    "organization": "to_chuc",
    "year": "nam",
    "person": "nguoi",
    "reporter": "phong_vien",
}


def _plain(html: str) -> str:
    return Markup(html).striptags()


# The words of an article's lead a result shows, as many as the excerpt of a search by
# words (search.js asks Pagefind for excerpts of 30 words).
LEAD_WORDS = 30


@dataclass(frozen=True)
class DocumentSource:
    """All an article's search document is made from, and nothing else: a document is
    made again only when its source's fingerprint changes."""

    url: str
    title: str
    content: str  # HTML
    date: dt.datetime
    date_has_time: bool
    kind: str
    lead: str  # its first LEAD_WORDS words, as plain text
    thumbnail: str | None
    mentions: tuple[str, ...]  # the people, bodies and place involved
    filters: tuple[tuple[str, str], ...]  # (filter name, value)

    def card(self, date_label: str) -> dict:
        """What a search result shows of the article, as its search document holds it."""
        return result_card(self.title, date_label, self.kind, self.lead, self.thumbnail)


def _involved(article, directory) -> tuple[list, list, list]:
    """The article's participants, reporters and organisations, as the directory knows them."""
    if not directory:
        return [], [], []
    return (
        directory.participants_of.get(id(article), []),
        directory.authors_of.get(id(article), []),
        directory.organizations_of.get(id(article), []),
    )


def document_filters(article, directory) -> tuple[tuple[str, str], ...]:
    """The article's filter values: (filter name, value), each once."""
    participants, authors, organizations = _involved(article, directory)
    filters = [(FILTERS["kind"], article.category.name), (FILTERS["year"], f"{article.date:%Y}")]
    filters += [(FILTERS["organization"], organization.name) for _, organization in organizations]
    filters += [(FILTERS["person"], person.name) for _, person in participants]
    filters += [(FILTERS["reporter"], person.name) for _, person in authors]
    return tuple(dict.fromkeys(filters))


def _lead(article) -> str:
    words = _plain(article.summary).split()
    return " ".join(words[:LEAD_WORDS]) + ("…" if len(words) > LEAD_WORDS else "")


def _thumbnail(article) -> str | None:
    renditions = [r for r in getattr(article, "photo_renditions", []) if r]
    if not renditions:
        return None
    jpegs = dict(renditions[0].sources)["image/jpeg"]
    return min(jpegs, key=lambda file: file[1])[0]


def document_source(article, directory) -> DocumentSource:
    participants, authors, organizations = _involved(article, directory)
    mentions = [
        f"{credit.name} {getattr(credit, 'role', None) or ''}" for credit, _ in participants
    ]
    mentions += [credit.name for credit, _ in authors] + [name for name, _ in organizations]
    if article.location:
        mentions.append(article.location)
    return DocumentSource(
        url=article.url,
        title=article.title,
        # As written, before Pelican resolves its links (costly, and no part of the text).
        content=article._content,
        date=article.date,
        date_has_time=article.date_has_time,
        kind=article.category.name,
        lead=_lead(article),
        thumbnail=_thumbnail(article),
        mentions=tuple(mentions),
        filters=document_filters(article, directory),
    )


def search_document(source: DocumentSource, date_label: str) -> SearchDocument:
    return SearchDocument(
        url=source.url,
        title=source.title,
        text=" ".join([_plain(source.content), *source.mentions]),
        date_order=date_order(source.date, source.url),
        date_label=date_label,
        kind=source.kind,
        lead=source.lead,
        image=source.thumbnail,
        filters=source.filters,
    )


def date_order(date: dt.datetime, url: str) -> str:
    """An article's value in the date sort: its date and time (ISO, at the site's offset),
    then its address, so that articles of the same date have one order, the same in
    Pagefind's date sort, in the parts the index is cut into and in the first results."""
    return f"{date.isoformat()} {url}"


def searchable(articles, now: dt.datetime) -> list:
    return [
        article for article in articles if article.status == "published" and article.date <= now
    ]
