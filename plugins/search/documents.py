"""Search documents made in a process of their own, when there are many to make.

Making the documents of every article (the text in the form readers search,
bantin.search: about 9 s of Python at 10,000 articles) in the build's process shares
Python's one running thread with the rendering of the pages: both took longer, and
Pagefind waited for the documents. A process of its own makes them on the other core,
in the order the index asks for them, while Pagefind indexes the parts made before.

The process reads (source's fields, date label) pairs pickled one after the other, and
writes each document's HTML to its output as a 4-byte length and the UTF-8 bytes.
"""

import pickle
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

# Fewer documents are made in the build's own process: starting Python and importing
# Pelican costs about 0.3 s, more than a few documents do.
MADE_APART_FROM = 200
_LENGTH = struct.Struct(">I")


class DocumentsFailed(Exception):
    pass


class DocumentsMadeApart:
    """make(file) for the documents of files (in the order they will be asked for),
    made by a process started on entering; a file not among them is made by
    make_here(file). Leaving stops the process if it has not finished."""

    def __init__(
        self,
        files: list[str],
        given: Callable[[str], tuple],
        make_here: Callable[[str], str],
        environment: dict[str, str],
    ):
        self._files = files
        self._listed = set(files)
        self._given = given  # file → (source, date label)
        self._make_here = make_here
        self._environment = environment  # the project's modules importable
        self._made: dict[str, str] = {}
        self._coming: list[str] = []  # the files whose documents are still to be read
        self._process: subprocess.Popen | None = None
        self._input = self._errors = None

    def __enter__(self) -> Callable[[str], str]:
        if len(self._files) < MADE_APART_FROM:
            return self._make_here
        self._input, self._errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        for file in self._files:
            source, date_label = self._given(file)
            # Its fields: Pelican imports the plugin by another name than the process can.
            pickle.dump((vars(source), date_label), self._input, pickle.HIGHEST_PROTOCOL)
        self._input.seek(0)
        self._coming = list(reversed(self._files))
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__))],
            stdin=self._input,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            env=self._environment,
        )
        return self._make

    def _make(self, file: str) -> str:
        if file not in self._listed:
            return self._make_here(file)
        while file not in self._made:
            coming = self._coming.pop()
            self._made[coming] = self._read(coming)
        self._listed.discard(file)
        return self._made.pop(file)

    def _read(self, file: str) -> str:
        assert self._process is not None and self._process.stdout is not None
        head = self._process.stdout.read(_LENGTH.size)
        if len(head) == _LENGTH.size:
            (length,) = _LENGTH.unpack(head)
            data = self._process.stdout.read(length)
            if len(data) == length:
                return data.decode("utf-8")
        status = self._process.wait()
        ended = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
        self._errors.seek(0)
        errors = self._errors.read().decode(errors="replace").strip()
        raise DocumentsFailed(
            f"The process making the search documents ended ({ended}) before that of {file}: "
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
    from plugins.search.sources import DocumentSource, search_document

    given, output = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            fields, date_label = pickle.load(given)
        except EOFError:
            break
        data = search_document(DocumentSource(**fields), date_label).html().encode("utf-8")
        output.write(_LENGTH.pack(len(data)))
        output.write(data)
    output.flush()


if __name__ == "__main__":
    main()
