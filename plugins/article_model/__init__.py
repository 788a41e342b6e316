"""Reads articles in the Bản tin model (Markdown with YAML front matter), validates them
and stops the build with every problem at once.

Problems travel on the article objects, not in a module-level list, so an article
restored from the read cache (reader.ReadCache) still reports them.
"""

from pelican import signals

from .checks import check_articles
from .reader import BulletinReader


def add_reader(readers) -> None:
    for extension in BulletinReader.file_extensions:
        readers.reader_classes[extension] = BulletinReader


def save_read_cache(generator) -> None:
    for reader in generator.readers.readers.values():
        if isinstance(reader, BulletinReader):
            reader.cache.save()


def register() -> None:
    signals.readers_init.connect(add_reader)
    # Saved before the checks, which stop a build with errors: the reads stay valid.
    signals.article_generator_finalized.connect(save_read_cache)
    signals.article_generator_finalized.connect(check_articles)
