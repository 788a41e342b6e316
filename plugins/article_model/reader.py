import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import ClassVar

from markdown import Markdown
from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import (
    strip_toc_elements_from_html,
    truncate_html_paragraphs,
    truncate_html_words,
)

from bantin.articles import FrontMatter, ModelSettings, photo_exists, read_article_source

logger = logging.getLogger(__name__)


class ReadCache:
    """Articles as read (front matter and HTML), by the digest of their path and bytes.

    A read also depends on the code and the settings: bantin.build keeps one cache
    file per fingerprint of them (the ARTICLE_CACHE setting), and on whether the photo
    files an article names exist, which is checked again on each use. Only the
    entries used by a build are saved, so removed articles do not linger. Loaded on
    first use: Pelican makes a reader for every generator and extension."""

    def __init__(self, path: Path | None):
        self.path = path
        self._entries: dict[bytes, tuple[FrontMatter, str, str | None, str]] | None = None
        self._used: dict[bytes, tuple[FrontMatter, str, str | None, str]] = {}

    def _load(self) -> dict:
        self._entries = {}
        if self.path and self.path.is_file():
            try:
                with self.path.open("rb") as stream:
                    self._entries = pickle.load(stream)
            except Exception as error:  # a cache that cannot be read is only a slower build
                logger.warning(
                    "Article cache %s could not be read (%s); reading anew", self.path, error
                )
        return self._entries

    def get(self, key: bytes, photo_root: Path):
        entries = self._entries if self._entries is not None else self._load()
        entry = entries.get(key)
        if entry is None:
            return None
        front_matter = entry[0]
        if any(
            photo_exists(photo_root, file) != existed for file, existed in front_matter.photo_checks
        ):
            return None
        self._used[key] = entry
        return entry

    def put(self, key: bytes, entry: tuple[FrontMatter, str, str | None, str]) -> None:
        self._used[key] = entry

    def save(self) -> None:
        if not self.path or self._entries is None or self._used == self._entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with scratch.open("wb") as stream:
            pickle.dump(self._used, stream, protocol=pickle.HIGHEST_PROTOCOL)
        scratch.replace(self.path)
        self._entries = dict(self._used)


class BulletinReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self.model = ModelSettings.from_pelican(settings)
        self.project_root = Path(settings["PATH"]).parent
        cache = settings.get("ARTICLE_CACHE")
        self.cache = ReadCache(Path(cache) if cache else None)
        self._markdown = Markdown(**self.settings["MARKDOWN"])

    def _html(self, text: str) -> str:
        return self._markdown.reset().convert(text)

    def _summary_of(self, content: str) -> str:
        """The summary Pelican would cut from the content on every use (in each list
        and feed showing the article), cut once per read; with it in the metadata, what
        a card shows is known without the body."""
        paragraphs = self.settings.get("SUMMARY_MAX_PARAGRAPHS")
        if paragraphs is not None:
            content = truncate_html_paragraphs(content, paragraphs)
        if self.settings["SUMMARY_MAX_LENGTH"] is not None:
            content = truncate_html_words(
                content, self.settings["SUMMARY_MAX_LENGTH"], self.settings["SUMMARY_END_SUFFIX"]
            )
        return strip_toc_elements_from_html(content)

    def read(self, source_path):
        source = Path(source_path)
        path = (
            source.relative_to(self.project_root).as_posix()
            if source.is_relative_to(self.project_root)
            else str(source)
        )
        data = source.read_bytes()
        key = hashlib.blake2b(path.encode() + b"\0" + data, digest_size=20).digest()
        entry = self.cache.get(key, self.model.photo_root)
        if entry is None:
            front_matter, body = read_article_source(data, path=path, settings=self.model)
            content = self._html(body)
            lead = self._html(front_matter.summary) if front_matter.summary else None
            entry = (front_matter, content, lead, lead or self._summary_of(content))
            self.cache.put(key, entry)
        front_matter, content, lead, summary = entry
        category = Category(front_matter.event.label, self.settings)
        category.slug = front_matter.event.slug
        metadata = {
            "title": front_matter.title,
            "slug": front_matter.slug,
            "date": front_matter.date,
            "date_has_time": front_matter.date_has_time,
            "category": category,
            "event": front_matter.event,
            "organizations": front_matter.organizations,
            "location": front_matter.location,
            "participants": front_matter.participants,
            "photos": front_matter.photos,
            "bylines": front_matter.authors,
            "source": front_matter.source,
            "status": front_matter.status,
            "problems": tuple(front_matter.problems),
        }
        # Pelican expects these lists to be absent rather than empty.
        if front_matter.authors:
            metadata["authors"] = [
                Author(byline.name, self.settings) for byline in front_matter.authors
            ]
        if front_matter.tags:
            metadata["tags"] = [Tag(tag, self.settings) for tag in front_matter.tags]
        if front_matter.modified:
            metadata["modified"] = front_matter.modified
        metadata["lead"] = lead  # the summary as the editor wrote it, if they did
        metadata["summary"] = summary
        return content, metadata
