"""Site search with Pagefind, run as part of the build; no search server.

Pagefind indexes a search document per published article (bantin.search), not the
public pages: the documents hold the text in the form Vietnamese readers search, the
names of the people and bodies involved, filters (kind of event, organisation, year,
person, reporter) with normalised values, and what a result shows. Drafts and articles
dated in the future are never indexed.
"""

import datetime as dt
import hashlib
import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from bantin.fingerprint import Fingerprints
from bantin.search import document_file
from bantin.toolchain import pagefind

from .first_results import first_results_generator
from .index import DeltaLimit, SearchIndex, pair_share, part_words
from .sources import DocumentSource, date_order, document_source, searchable

_PLUGINS = Path(__file__).resolve().parents[1]
# What search documents and indexes are made by, beside the articles (see document_format).
_FORMAT_SOURCES = [
    _PLUGINS.parent / "bantin" / "search.py",
    _PLUGINS.parent / "bantin" / "search_pairs.py",
    _PLUGINS.parent / "bantin" / "vietnamese.py",
    _PLUGINS / "localization" / "__init__.py",
    _PLUGINS / "search" / "__init__.py",
    _PLUGINS / "search" / "index.py",
    _PLUGINS / "search" / "parts.py",
    _PLUGINS / "search" / "sources.py",
]
_FORMAT_SETTINGS = ["DEFAULT_LANG", "TIMEZONE", "DATE_PATTERNS", "SEARCH_PAIR_SHARE"]

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # how long indexing took is worth a line


def document_format(settings: dict, pagefind_version: str) -> str:
    """Changes whenever the same article may give another search document, or Pagefind
    another index: the code that makes documents and dates, the settings of dates, and
    Pagefind's version. The base index is made again when it changes."""
    digest = hashlib.sha256(pagefind_version.encode())
    digest.update(
        json.dumps([settings.get(name) for name in _FORMAT_SETTINGS], default=str).encode()
    )
    for source in _FORMAT_SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:24]


class SearchIndexGenerator(Generator):
    """Makes a search document for each article that changed since the last build and
    indexes the documents (plugins/search/index.py: a base index and a delta, in the
    cache: cache/search/ by default, SEARCH_CACHE_PATH).

    The work starts as soon as every article is read, in a thread, while the pages are
    rendered: the folders of the parts Pagefind indexes, with the documents not cached
    (when there are many), Pagefind and the merge of its parts are made in processes of
    their own, on the core the rendering leaves free. Its
    output is waited for, and its errors raised, when this generator's turn to write comes."""

    _indexing: Future | None = None
    made_again_after_text_edits = True  # bantin.text_edits
    folders_made_whole = ("pagefind",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sources: dict[int, tuple[tuple[str, str], str, DocumentSource, str]] = {}

    def start_indexing(self) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")
        self._indexing = pool.submit(self._index)
        pool.shutdown(wait=False)  # the thread ends with its one task

    def generate_output(self, _writer) -> None:
        if self._indexing is None:  # again, after a text edit
            self._index()
            return
        indexing, self._indexing = self._indexing, None
        indexing.result()

    def _index(self) -> None:
        now = dt.datetime.now(ZoneInfo(self.settings["TIMEZONE"]))
        articles = searchable(self.context["articles"], now)
        if not articles:
            return
        directory = self.context.get("people_directory")
        date_label = self.env.filters["published"]
        fingerprints = Fingerprints()
        pagefind_binary, pagefind_version = pagefind(_PLUGINS.parent)
        current_format = document_format(self.settings, pagefind_version)
        keys, sources = {}, {}
        for article in articles:
            # Made again, after a text edit (bantin.text_edits), for the edited articles only.
            text = (article.title, article.summary, article._content)
            known = self._sources.get(id(article))
            if known is None or known[0] != text:
                source = document_source(article, directory)
                known = self._sources[id(article)] = (
                    text,
                    document_file(source.url),
                    source,
                    fingerprints.of(current_format, source),
                )
            _, file, sources[file], keys[file] = known

        def made_from(file: str) -> tuple[dict, str]:
            # Its fields: Pelican imports the plugin by another name than a process of
            # its own can (documents.py), so the source's class is not pickled.
            source = sources[file]
            return vars(source), date_label(source.date, source.date_has_time)

        project_root = Path(self.settings["PATH"]).parent
        cache = Path(self.settings.get("SEARCH_CACHE_PATH") or project_root / "cache" / "search")
        index = SearchIndex(
            cache,
            current_format,
            DeltaLimit.from_settings(self.settings),
            logger,
            part_words(self.settings),
            pair_share(self.settings),
            pagefind_binary,
        )

        dates = {file: date_order(source.date, source.url) for file, source in sources.items()}
        index.publish(keys, dates, made_from, Path(self.output_path) / "pagefind")


def search_generator(_pelican):
    return SearchIndexGenerator


# Between every article being read and the first page being written: a check, which
# stops once the articles are read, never gets to the writer and starts nothing.
_waiting: list[SearchIndexGenerator] = []


def note_the_search_generator(generators) -> None:
    _waiting[:] = [g for g in generators if isinstance(g, SearchIndexGenerator)]


def start_indexing(_pelican) -> None:
    while _waiting:
        _waiting.pop().start_indexing()


def register() -> None:
    signals.all_generators_finalized.connect(note_the_search_generator)
    signals.get_writer.connect(start_indexing)
    signals.get_generators.connect(search_generator)
    signals.get_generators.connect(first_results_generator)
