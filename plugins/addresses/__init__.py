"""Each article's and page's address (url, save_as) worked out once per build.

Pelican works an address out again at every use, from a copy of the metadata and the
source file's relative path: at 10,000 articles, 6 s of a full build, for the links
of cards in lists, feeds, sitemaps and the search index. Once every generator has read
its content, nothing changes what an address is made of (the date, slug and status):
an edit that does is a new read of the article, and a full build. Each address is then
set as the content's override, which Pelican reads before working it out.
"""

from pelican import signals
from pelican.contents import Content

# Every list of content the generators hold.
_CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def fix_addresses(generators) -> None:
    for generator in generators:
        for name in _CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                if isinstance(content, Content):
                    content.override_url = content.url
                    content.override_save_as = content.save_as


def register() -> None:
    signals.all_generators_finalized.connect(fix_addresses)
