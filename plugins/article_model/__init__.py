"""Reads articles in the Bản tin model (Markdown with YAML front matter), validates them
and stops the build with every problem at once.

Problems travel on the article objects, not in a module-level list, so an article
restored from Pelican's content cache still reports them.
"""

from pelican import signals

from .checks import check_articles
from .reader import BulletinReader


def add_reader(readers) -> None:
    for extension in BulletinReader.file_extensions:
        readers.reader_classes[extension] = BulletinReader


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(check_articles)
