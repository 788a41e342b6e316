"""The preview's first look at an edited article: its page, rendered at once from the
last build, while the rebuild of the whole site runs.

An editor saving an article wants to see that article. A rebuild must go through
every article to find what the edit touches (seconds at archive scale); the edited
article's own page needs only the article read again and its template rendered in the
last build's context. So the preview keeps that context (the article generator of its
last successful build) and, for each changed article file whose text alone changed,
renders its page into memory; the server shows it until the rebuild replaces it.

Only an edit of what the page itself shows (title, lead, body) gets a first look: an
edit of anything that links the article to other pages (date, slug, status, people,
organisations, photos, tags, event) waits for the rebuild, since this page's links,
neighbours and related articles would be stale.
"""

import copy
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from bantin.articles import ContentError
from bantin.build import build_written

# The fields of the text an editor changes; every other attribute of the article is
# kept from the last build.
TEXT_FIELDS = ("title", "lead", "summary")
# The article generator's lists, which hold every article of a build between them.
_ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations")


class _PageCatcher(Writer):
    """Pelican's writer, keeping the pages it writes in memory."""

    def __init__(self, settings: dict, folder: str):
        super().__init__(folder, settings=settings)
        self.pages: dict[str, bytes] = {}

    def _open_w(self, filename, encoding, override=False):
        return _KeptPage(self.pages, Path(filename).relative_to(self.output_path).as_posix())


class _KeptPage:
    def __init__(self, pages: dict[str, bytes], name: str):
        self._pages, self._name, self._parts = pages, name, []

    def __enter__(self):
        return self

    def write(self, text: str) -> None:
        self._parts.append(text)

    def __exit__(self, *_exc) -> None:
        self._pages[self._name] = "".join(self._parts).encode("utf-8")


@dataclass(frozen=True)
class KeptBuild:
    """What a successful build leaves to work from: its generators, which hold its
    context, and its writer, which knows what each output showed."""

    generators: list
    writer: Writer

    @property
    def articles_generator(self) -> ArticlesGenerator:
        return next(g for g in self.generators if isinstance(g, ArticlesGenerator))


class FirstLook:
    """Connected to Pelican's signals while the preview runs; the preview says when a
    build starts and how it ended. Every build of the preview goes through Pelican, even
    with nothing changed, so that its context is there."""

    def __init__(self):
        self._seen_generators = None  # of the build under way
        self._seen_writer = None
        self.kept: KeptBuild | None = None  # the last successful build
        self._scratch = tempfile.TemporaryDirectory(prefix="bantin-first-look-")

    def _note_generators(self, generators) -> None:
        self._seen_generators = list(generators)

    def _note_writer(self, writer) -> None:
        self._seen_writer = writer

    def connect(self) -> None:
        signals.all_generators_finalized.connect(self._note_generators)
        build_written.connect(self._note_writer)

    def disconnect(self) -> None:
        signals.all_generators_finalized.disconnect(self._note_generators)
        build_written.disconnect(self._note_writer)

    def rebuilding(self) -> None:
        """A build starts: the last one's context is let go, so that two are never in
        memory together."""
        self.kept = None

    def built(self, succeeded: bool) -> None:
        """A build ended; a failed one leaves no context to render with. One that did
        not go through Pelican (the kept build brought up to date) leaves it kept."""
        seen = self._seen_generators, self._seen_writer
        self._seen_generators = self._seen_writer = None
        if not succeeded:
            self.kept = None
        elif all(seen):
            self.kept = KeptBuild(*seen)

    def text_edits(
        self, changed: Iterable[Path]
    ) -> tuple[dict[int, tuple[Article, Article]], bool]:
        """The articles among changed whose text alone was edited, by identity: each
        kept article with its text as it is now; and whether those are all the changes."""
        if self.kept is None:
            return {}, False
        generator = self.kept.articles_generator
        by_source = {
            os.path.abspath(article.source_path): article
            for article in chain.from_iterable(getattr(generator, name) for name in _ARTICLE_LISTS)
        }
        edited, only_text = {}, True
        for path in changed:
            last = by_source.get(os.path.abspath(path))
            fresh = self._reread(generator, last) if last and Path(path).is_file() else None
            if fresh is None:
                only_text = False
            else:
                edited[id(last)] = last, fresh
        return edited, only_text

    def pages(self, changed: Iterable[Path]) -> dict[str, bytes]:
        """The pages (by output path) of the articles among changed whose text alone
        was edited, rendered now. Other changes are left to the rebuild."""
        edited = {key: fresh for key, (_, fresh) in self.text_edits(changed)[0].items()}
        if not edited:
            return {}
        generator = self.kept.articles_generator
        # Pelican's own loop writes the pages, over the edited articles only: it computes
        # every article's URL as it goes (0.7 s at 10,000 articles).
        only_edited = copy.copy(generator)
        for name in _ARTICLE_LISTS:
            setattr(only_edited, name, [a for a in getattr(generator, name) if id(a) in edited])
        catcher = _PageCatcher(generator.settings, self._scratch.name)

        def write(name, template, context, article, **kwargs):
            catcher.write_file(name, template, context, article=edited[id(article)], **kwargs)

        only_edited.generate_articles(write)
        return catcher.pages

    def _reread(self, generator, last: Article) -> Article | None:
        """last with the text of its file as it is now; None if anything besides the
        text changed, or the file cannot be read (the rebuild will say why)."""
        try:
            now = generator.readers.read_file(
                base_path=generator.path,
                path=last.source_path,
                content_class=Article,
                context=generator.context,
            )
        except (ContentError, OSError, ValueError):
            return None

        def links(article: Article) -> dict:
            return {k: v for k, v in article.metadata.items() if k not in TEXT_FIELDS}

        if links(now) != links(last):
            return None
        fresh = copy.copy(last)
        take_text(fresh, now)
        return fresh


def take_text(article: Article, read: Article) -> None:
    """Give article the text of read, an article read again from the same file."""
    attributes = vars(read)  # Pelican's Article sets an attribute for each metadata field
    for attribute in ("_content", "metadata", *TEXT_FIELDS):
        if attribute in attributes:
            setattr(article, attribute, attributes[attribute])
