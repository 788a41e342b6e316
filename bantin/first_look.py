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

An added article gets a first look too: it is read, and goes through the steps a build
takes each article through once all are read (Pelican's `article_generator_pretaxonomy`:
its draft label, topics, links to people and organisations, photos) alone, in a copy
of the last build's context; its page is rendered there and served with the photos it
shows. What only the whole set of articles gives (its neighbours, related articles and
revision time) waits for the rebuild.
"""

import copy
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path, PurePath

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from bantin.articles import ERROR, ContentError
from bantin.build import build_written

# The fields of the text an editor changes; every other attribute of the article is
# kept from the last build.
TEXT_FIELDS = ("title", "lead", "summary")
# The article generator's lists, which hold every article of a build between them.
_ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations")
# With the drafts, which the public settings do not write, every article read.
_EVERY_LIST = (*_ARTICLE_LISTS, "drafts", "drafts_translations")
# Where Pelican files an article it read, by status.
_LIST_OF_STATUS = {"published": "articles", "draft": "drafts", "hidden": "hidden_articles"}


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
        """The files (by output path) of the first looks at the articles among changed:
        the pages of those whose text alone was edited, and of those added, with the
        photos an added one shows; rendered now. Other changes are left to the rebuild."""
        if self.kept is None:
            return {}
        changed = list(changed)
        edited = {key: fresh for key, (_, fresh) in self.text_edits(changed)[0].items()}
        generator = self.kept.articles_generator
        catcher = _PageCatcher(generator.settings, self._scratch.name)
        if edited:
            # Pelican's own loop writes the pages, over the edited articles only: it
            # computes every article's URL as it goes (0.7 s at 10,000 articles).
            only_edited = copy.copy(generator)
            for name in _ARTICLE_LISTS:
                setattr(only_edited, name, [a for a in getattr(generator, name) if id(a) in edited])

            def write(name, template, context, article, **kwargs):
                catcher.write_file(name, template, context, article=edited[id(article)], **kwargs)

            only_edited.generate_articles(write)
        photos = {}
        for path in self._added(changed):
            alone = self._prepared_alone(generator, path)
            if alone is not None:
                alone.generate_articles(catcher.write_file)
                photos.update(alone.context["photo_outputs"])
        return catcher.pages | {url: cached.read_bytes() for url, cached in photos.items()}

    def _added(self, changed: list[Path]) -> list[Path]:
        """The article files among changed that the kept build did not have."""
        generator = self.kept.articles_generator
        known = {os.path.abspath(article.source_path) for article in _every_article(generator)}
        settings = generator.settings
        added = []
        for path in changed:
            if os.path.abspath(path) in known or not Path(path).is_file():
                continue
            try:
                relative = PurePath(os.path.abspath(path)).relative_to(generator.path)
            except ValueError:
                continue
            if (
                any(relative.is_relative_to(folder) for folder in settings["ARTICLE_PATHS"])
                and not any(relative.is_relative_to(f) for f in settings["ARTICLE_EXCLUDES"])
                # Pelican's own rules for which files are content (readers, IGNORE_FILES)
                and generator.get_files([str(relative)])
            ):
                added.append(Path(path))
        return added

    def _prepared_alone(self, generator: ArticlesGenerator, path: Path) -> ArticlesGenerator | None:
        """A copy of generator holding only the article read from path, taken through
        the steps every article goes through once all are read, in a copy of the
        context; None if the article cannot be read or has problems (the rebuild will
        say which), or is not shown."""
        try:
            article = generator.readers.read_file(
                base_path=generator.path,
                path=str(path),
                content_class=Article,
                context=generator.context,
            )
        except (ContentError, OSError, ValueError):
            return None
        if not article.is_valid() or article.status not in _LIST_OF_STATUS:
            return None
        if article.save_as in {known.save_as for known in _every_article(generator)}:
            return None  # the rebuild reports the clash
        alone = copy.copy(generator)
        # Containers the steps add to are the alone copy's own; the rest is shared.
        alone.context = {
            key: copy.copy(value) if isinstance(value, list | dict | set) else value
            for key, value in generator.context.items()
        }
        alone.context["content_problems"], alone.context["photo_outputs"] = [], {}
        for name in _EVERY_LIST:
            setattr(alone, name, [])
        getattr(alone, _LIST_OF_STATUS[article.status]).append(article)
        alone.tags, alone.categories, alone.authors = (defaultdict(list) for _ in range(3))
        signals.article_generator_pretaxonomy.send(alone)
        problems = [*getattr(article, "problems", ()), *alone.context["content_problems"]]
        if any(problem.severity == ERROR for problem in problems):
            return None
        return alone

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


def _every_article(generator: ArticlesGenerator) -> Iterable[Article]:
    return chain.from_iterable(getattr(generator, name) for name in _EVERY_LIST)


def take_text(article: Article, read: Article) -> None:
    """Give article the text of read, an article read again from the same file."""
    attributes = vars(read)  # Pelican's Article sets an attribute for each metadata field
    for attribute in ("_content", "metadata", *TEXT_FIELDS):
        if attribute in attributes:
            setattr(article, attribute, attributes[attribute])
