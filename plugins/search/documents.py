"""The folders Pagefind indexes, one per part of the search documents, written in a
process of their own when the parts hold many documents.

Each document is made (the text in the form readers search, bantin.search: about 8 s of
Python at 10,000 articles) unless the document cache holds it, then linked into the
folder of its part at its URL, which is where Pagefind finds it. Done in the build's own
process, beside the rendering of the pages, every file read, written and linked let the
rendering take Python's one running thread back: at 10,000 articles a part took 5 s to be
ready where Pagefind indexed one in 4, and Pagefind waited. A process of its own does it
on the other core and says each folder as it is complete, while Pagefind indexes the
folders said before.

The process reads its settings, then batches of entries, pickled one after the other;
it writes the number of each part's folder on a line of its own.
"""

import os
import pickle
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from .sources import DocumentSource, search_document

# Fewer documents are put into folders in the build's own process: starting Python and
# importing Pelican costs about 0.3 s, more than a few documents do.
MADE_APART_FROM = 200
_BATCH = 100  # entries pickled at once

# A document of the index: its file (the path Pagefind takes its URL from), where the
# document cache keeps it, and, unless the cache holds it, what it is made from (the
# fields of its source, plugins/search/sources.py, and its date label).
Entry = tuple[str, Path, tuple[dict, str] | None]


class DocumentsFailed(Exception):
    pass


def make_document(fields: dict, date_label: str) -> str:
    """The HTML of the search document of a source's fields."""
    return search_document(DocumentSource(**fields), date_label).html()


def part_folders(entries: Iterator[Entry], most_words: int, folder: Path) -> Iterator[Path]:
    """Folders folder/0, folder/1…, each holding a part of the documents of entries, in
    their order, of at most most_words words (a longer document is a part of its own); a
    document not cached is made and cached first."""
    part: list[tuple[str, Path]] = []
    words, number = 0, 0
    folders = _Folders()
    for file, cached, made_from in entries:
        if made_from is None:
            document = cached.read_bytes()
        else:
            document = make_document(*made_from).encode("utf-8")
            _cache(cached, document, folders)
        length = document.count(b" ")  # about its words (the markup adds a few)
        if part and words + length > most_words:
            yield _linked(part, folder / str(number), folders)
            part, words, number = [], 0, number + 1
        part.append((file, cached))
        words += length
    if part:
        yield _linked(part, folder / str(number), folders)


class _Folders:
    """Folders made, or found there, in this run: making one again is a system call per
    document."""

    def __init__(self):
        self._there: set[Path] = set()

    def of(self, file: Path) -> Path:
        """file, its folder made."""
        if file.parent not in self._there:
            file.parent.mkdir(parents=True, exist_ok=True)
            self._there.add(file.parent)
        return file


def _cache(path: Path, document: bytes, folders: _Folders) -> None:
    """Written under another name, then renamed: a build stopped while writing it leaves
    no part of a document to be used as a whole one."""
    written = folders.of(path).with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    written.write_bytes(document)
    os.replace(written, path)


def _linked(part: list[tuple[str, Path]], folder: Path, folders: _Folders) -> Path:
    """folder, where the part's documents are linked from the cache at their URLs."""
    for path, cached in part:
        os.link(cached, folders.of(folder / path))
    return folder


class PartFoldersApart:
    """part_folders of entries run in a process of its own, each folder given as the
    process says its number; leaving stops the process if it has not finished."""

    def __init__(self, entries: list[Entry], most_words: int, folder: Path, environment: dict):
        self._entries = entries
        self._folder = folder
        self._settings = (most_words, str(folder))
        self._environment = environment  # the project's modules importable
        self._process: subprocess.Popen | None = None
        self._input = self._errors = None

    def __enter__(self) -> Iterator[Path]:
        self._input, self._errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        try:
            pickle.dump(self._settings, self._input, pickle.HIGHEST_PROTOCOL)
            entries = iter(self._entries)
            while batch := [
                (file, str(cached), made) for file, cached, made in islice(entries, _BATCH)
            ]:
                self._input.write(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
            self._input.seek(0)
            self._process = subprocess.Popen(
                # Not -m, which imports the package, and so this module, before running it.
                [sys.executable, "-c", "from plugins.search.documents import main; main()"],
                stdin=self._input,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                env=self._environment,
            )
        except BaseException:
            self.__exit__()
            raise
        return self._folders()

    def _folders(self) -> Iterator[Path]:
        assert self._process is not None and self._process.stdout is not None
        while (line := self._process.stdout.readline()).endswith(b"\n"):
            yield self._folder / str(int(line))
        status = self._process.wait()
        if status != 0:
            ended = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
            self._errors.seek(0)
            errors = self._errors.read().decode(errors="replace").strip()
            raise DocumentsFailed(
                f"The process making the search documents' folders ended ({ended}): "
                f"{errors or 'it wrote no error'}"
            )

    def __exit__(self, *_exception) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            self._process.stdout.close()
        for file in (self._input, self._errors):
            if file is not None:
                file.close()


def main() -> None:
    given = sys.stdin.buffer
    most_words, folder = pickle.load(given)

    def entries() -> Iterator[Entry]:
        while True:
            try:
                batch = pickle.load(given)
            except EOFError:
                return
            for file, cached, made_from in batch:
                yield file, Path(cached), made_from

    for part in part_folders(entries(), most_words, Path(folder)):
        sys.stdout.write(f"{part.name}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
