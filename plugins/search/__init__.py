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
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from bantin.search import EVERY_DOCUMENT, SearchDocument

PAGEFIND_VERSION = metadata.version("pagefind_bin")

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # how long indexing took is worth a line

FILTERS = {
    "kind": "loai",
    "organization": "to_chuc",
    "year": "nam",
    "person": "nguoi",
    "reporter": "phong_vien",
}


class SearchError(Exception):
    pass


def _plain(html: str) -> str:
    from markupsafe import Markup

    return Markup(html).striptags()


def search_document(article, directory, date_label) -> SearchDocument:
    participants = directory.participants_of.get(id(article), []) if directory else []
    authors = directory.authors_of.get(id(article), []) if directory else []
    organizations = directory.organizations_of.get(id(article), []) if directory else []
    mentions = [
        f"{credit.name} {getattr(credit, 'role', None) or ''}" for credit, _ in participants
    ]
    mentions += [credit.name for credit, _ in authors] + [name for name, _ in organizations]
    if article.location:
        mentions.append(article.location)
    filters = [(FILTERS["kind"], article.category.name), (FILTERS["year"], f"{article.date:%Y}")]
    filters += [(FILTERS["organization"], organization.name) for _, organization in organizations]
    filters += [(FILTERS["person"], person.name) for _, person in participants]
    filters += [(FILTERS["reporter"], person.name) for _, person in authors]
    renditions = [r for r in getattr(article, "photo_renditions", []) if r]
    thumbnail = None
    if renditions:
        jpegs = dict(renditions[0].sources)["image/jpeg"]
        thumbnail = min(jpegs, key=lambda file: file[1])[0]
    return SearchDocument(
        url=article.url,
        title=article.title,
        text=" ".join([_plain(article.content), *mentions]),
        date_iso=article.date.isoformat(),
        date_label=date_label(article.date, article.date_has_time),
        kind=article.category.name,
        image=thumbnail,
        filters=tuple(dict.fromkeys(filters)),
    )


def searchable(articles, now: dt.datetime) -> list:
    return [
        article for article in articles if article.status == "published" and article.date <= now
    ]


def _copy_tree(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class SearchIndexGenerator(Generator):
    """Writes the search documents and runs Pagefind on them, unless the documents are
    exactly those of an index in the cache (cache/search/ by default, SEARCH_CACHE_PATH):
    then that index is reused. Pagefind's filter files differ from run to run even for
    the same input, so reuse is also what keeps rebuilds byte-identical."""

    def generate_output(self, writer) -> None:
        now = dt.datetime.now(ZoneInfo(self.settings["TIMEZONE"]))
        articles = searchable(self.context["articles"], now)
        directory = self.context.get("people_directory")
        date_label = self.env.filters["published"]
        documents = {}
        for article in articles:
            document = search_document(article, directory, date_label)
            documents[document.file] = document.html()
        if not documents:
            return
        project_root = Path(self.settings["PATH"]).parent
        cache = Path(self.settings.get("SEARCH_CACHE_PATH") or project_root / "cache" / "search")
        digest = hashlib.sha256(
            json.dumps([PAGEFIND_VERSION, sorted(documents.items())]).encode()
        ).hexdigest()[:24]
        index = cache / digest
        if not index.is_dir():
            self._index(documents, index)
            for old in cache.iterdir():
                if old.name != digest:
                    shutil.rmtree(old, ignore_errors=True)
        _copy_tree(index, Path(self.output_path) / "pagefind")

    def _index(self, documents: dict[str, str], index: Path) -> None:
        index.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="bantin-search-", dir=index.parent) as scratch:
            source, built = Path(scratch) / "documents", Path(scratch) / "index"
            for path, html in documents.items():
                file = source / path
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(html, encoding="utf-8")
            command = [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                str(source),
                "--output-path",
                str(built),
                "--silent",
            ]
            started = time.perf_counter()
            with tempfile.TemporaryFile() as log:
                process = subprocess.Popen(command, stdout=log, stderr=log)
                _, status, usage = os.wait4(process.pid, 0)
                if os.waitstatus_to_exitcode(status) != 0:
                    log.seek(0)
                    raise SearchError(
                        f"Pagefind could not index the site: {log.read().decode(errors='replace')}"
                    )
            built.rename(index)
        # The benchmark reads this line.
        logger.info(
            "Search index: %d documents in %.2f s, peak memory %.0f MB",
            len(documents),
            time.perf_counter() - started,
            usage.ru_maxrss / 1024,
        )


def search_generator(_pelican):
    return SearchIndexGenerator


def share_every_document_word(pelican) -> None:
    """The search page's script looks this word up for a search by filters alone."""
    pelican.settings["SEARCH_EVERY_DOCUMENT"] = EVERY_DOCUMENT


def register() -> None:
    signals.initialized.connect(share_every_document_word)
    signals.get_generators.connect(search_generator)
