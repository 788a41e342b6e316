"""Progress while a build runs, and a one-line summary when it ends.

On a terminal the counts are redrawn in place a few times a second; in a log (CI, a
pipe) a line is printed every few seconds, so that a long build still shows life.
Setting: PROGRESS_INTERVAL, seconds between progress lines (default 0.2 on a
terminal, 5 otherwise).
"""

import logging
import sys
import time

from pelican import signals


class BuildProgress(logging.Handler):
    """Counts what the build reads and writes, and the warnings it logs."""

    def __init__(self, stream, interval: float | None = None):
        super().__init__(level=logging.WARNING)
        self.stream = stream
        self.interactive = stream.isatty()
        self.interval = interval if interval is not None else 0.2 if self.interactive else 5.0
        self.started = self.last_shown = time.monotonic()
        self.read = self.written = self.warnings = self.articles = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.warnings += 1

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last_shown >= self.interval:
            self.last_shown = now
            line = f"… {self.read} articles read, {self.written} pages written"
            self.stream.write(f"\r{line}" if self.interactive else f"{line}\n")
            self.stream.flush()

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        return (
            f"Built {_count(self.articles, 'article')}, {_count(self.written, 'page')}, "
            f"{_count(self.warnings, 'warning')} in {seconds:.1f} s"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


_current: BuildProgress | None = None


def start(pelican) -> None:
    global _current
    _current = BuildProgress(sys.stderr, pelican.settings.get("PROGRESS_INTERVAL"))
    logging.getLogger().addHandler(_current)


def article_read(*_args, **_kwargs) -> None:
    if _current:
        _current.read += 1
        _current.tick()


def file_written(*_args, **_kwargs) -> None:
    if _current:
        _current.written += 1
        _current.tick()


def count_articles(generator) -> None:
    if _current:
        _current.articles = len(generator.articles)


def finish(pelican) -> None:
    global _current
    if _current:
        logging.getLogger().removeHandler(_current)
        clear = "\r\033[K" if _current.interactive else ""
        _current.stream.write(f"{clear}{_current.summary()}\n")
        _current.stream.flush()
        _current = None


def register() -> None:
    signals.initialized.connect(start)
    signals.article_generator_context.connect(article_read)
    signals.content_written.connect(file_written)
    signals.article_generator_finalized.connect(count_articles)
    signals.finalized.connect(finish)
