"""The preview's first look at an edited or added article: its page, rendered at once
from the last build, while the rebuild of the whole site runs.

An editor saving an article wants to see that article. A rebuild must go through
every article to find what the edit touches (seconds at archive scale); the edited
article's own page needs only the article read again and its template rendered in the
last build's context. So the preview keeps that context (the article generator of its
last successful build) and renders the page of each changed article file into memory;
the server shows it until the rebuild replaces it.

An edit of what the page itself shows (title, lead, body) is rendered with everything
else the last build gave the article. Any other article file changed (added, or its
date, slug, status, people, organisations, photos, topics or event edited) is read and
goes through the steps a build takes each article through once all are read (Pelican's
`article_generator_pretaxonomy`: its draft label, topics, links to people and
organisations, photos) alone, in a copy of the last build's context; its page is
rendered there and served with the photos it shows. What only the whole set of
articles gives (its neighbours, related articles, revision time, and the numbered slug
of a topic or person whose name another one's slug shares) waits for the rebuild.
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
        their pages, and the photos of those read alone; rendered now."""
        if self.kept is None:
            return {}
        changed = list(changed)
        edited = self.text_edits(changed)[0]
        generator = self.kept.articles_generator
        catcher = _PageCatcher(generator.settings, self._scratch.name)
        if edited:
            # Pelican's own loop writes the pages, over the edited articles only: it
            # computes every article's URL as it goes (0.7 s at 10,000 articles).
            only_edited = copy.copy(generator)
            for name in _ARTICLE_LISTS:
                setattr(only_edited, name, [a for a in getattr(generator, name) if id(a) in edited])

            def write(name, template, context, article, **kwargs):
                fresh = edited[id(article)][1]
                catcher.write_file(name, template, context, article=fresh, **kwargs)

            only_edited.generate_articles(write)
        text_edited = {os.path.abspath(last.source_path) for last, _ in edited.values()}
        read_alone = [path for path in self._article_files(changed) if path not in text_edited]
        # Whose each address is: the last build's articles whose files are still there.
        addresses = {
            known.save_as: known.source_path
            for known in (_every_article(generator) if read_alone else ())
            if os.path.exists(known.source_path)
        }
        photos = {}
        for path in read_alone:
            alone = self._prepared_alone(generator, path, addresses)
            if alone is not None:
                alone.generate_articles(catcher.write_file)
                photos.update(alone.context["photo_outputs"])
        return catcher.pages | {url: cached.read_bytes() for url, cached in photos.items()}

    def _article_files(self, changed: list[Path]) -> list[str]:
        """The article files among changed (absolute paths), by Pelican's rules."""
        generator = self.kept.articles_generator
        settings = generator.settings
        found = []
        for path in map(os.path.abspath, changed):
            try:
                relative = PurePath(path).relative_to(generator.path)
            except ValueError:
                continue
            if (
                Path(path).is_file()
                and any(relative.is_relative_to(folder) for folder in settings["ARTICLE_PATHS"])
                and not any(relative.is_relative_to(f) for f in settings["ARTICLE_EXCLUDES"])
                # Pelican's own rules for which files are content (readers, IGNORE_FILES)
                and generator.get_files([str(relative)])
            ):
                found.append(path)
        return found

    def _prepared_alone(
        self, generator: ArticlesGenerator, path: str, addresses: dict[str, str]
    ) -> ArticlesGenerator | None:
        """A copy of generator holding only the article read from path, taken through
        the steps every article goes through once all are read, in a copy of the
        context; None if the article cannot be read, has problems of its own (the
        rebuild will say which) or the address of another file's article (addresses:
        the file each is the address of), or is not shown."""
        article = _read(generator, path)
        if article is None or not article.is_valid() or article.status not in _LIST_OF_STATUS:
            return None
        if addresses.get(article.save_as, path) != path:
            return None
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
        # Problems found with this article alone that concern other files (the registry
        # naming someone this article does not) are the whole site's to report.
        own = Path(path).relative_to(Path(generator.settings["PATH"]).parent).as_posix()
        problems = [
            *getattr(article, "problems", ()),
            *(problem for problem in alone.context["content_problems"] if problem.path == own),
        ]
        if any(problem.severity == ERROR for problem in problems):
            return None
        return alone

    def _reread(self, generator, last: Article) -> Article | None:
        """last with the text of its file as it is now; None if anything besides the
        text changed, or the file cannot be read (the rebuild will say why)."""
        now = _read(generator, last.source_path)
        if now is None:
            return None

        def links(article: Article) -> dict:
            return {k: v for k, v in article.metadata.items() if k not in TEXT_FIELDS}

        if links(now) != links(last):
            return None
        fresh = copy.copy(last)
        take_text(fresh, now)
        return fresh


def _read(generator: ArticlesGenerator, path: str) -> Article | None:
    """The article in the file at path as it is now; None if it cannot be read."""
    try:
        return generator.readers.read_file(
            base_path=generator.path, path=path, content_class=Article, context=generator.context
        )
    except (ContentError, OSError, ValueError):
        return None


def _every_article(generator: ArticlesGenerator) -> Iterable[Article]:
    return chain.from_iterable(getattr(generator, name) for name in _EVERY_LIST)


def take_text(article: Article, read: Article) -> None:
    """Give article the text of read, an article read again from the same file."""
    # Pelican's Article sets an attribute for each metadata field; the lead as written is
    # `_summary` (its `summary` is worked out from it, or from the body when there is none).
    fresh, kept = vars(read), vars(article)
    for attribute in ("_content", "_summary", "metadata", *TEXT_FIELDS):
        if attribute in fresh:
            setattr(article, attribute, fresh[attribute])
        elif attribute in kept:  # a field the text no longer has
            delattr(article, attribute)
