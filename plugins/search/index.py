"""The search index as a base index and a delta, kept in the search cache.

Pagefind indexes everything it is given at once (about 22 s and 3 GB at 10,000
articles), so a build gives it only the documents that changed since the base index
was made: the delta. The search page merges the delta into the base (Pagefind's
mergeIndex) and hides the base's results for the documents the delta replaces or
removes, which `delta.json` lists with their filter values so the page can correct the
filter counts. When the delta grows past a share of the documents, or the documents'
format changes, the base is made again from every document (compaction) and the
delta is empty.

Pagefind's memory grows with the words it is given, so a base of many documents is
indexed in parts of at most SEARCH_PART_WORDS words, one after the other, and the parts'
indexes are merged into one (plugins/search/parts.py): the same index, in bounded memory.
One part's index is written by the merge too, which bounds the index's chunks so that a
word searched without diacritics finds every spelling, and adds the pairs of adjacent
words found on at least SEARCH_PAIR_SHARE of the pages; a delta indexes the base's pairs.

Both indexes are cached and reused while their documents are the same: Pagefind's
filter files differ from run to run even for the same input, so reuse is also what
keeps identical builds byte-identical. Each document's HTML is cached by its key, so
that a compaction does not make every document again.
"""

import bisect
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bantin.build import remove_in_background

from .documents import MADE_APART_FROM, PartFoldersApart, part_folders
from .parts import PAGEFIND_HEADER

DELTA_FILE = "delta.json"  # in the published index folder; "{}" when there is no delta
DELTA_FOLDER = "delta/"  # the delta index, inside the published index folder
_MANIFEST = "documents.json"
# Pagefind took 765 MB for 2,000 documents of ~900 words (1.8 million), 3.3 GB for 10,000.
PART_WORDS = 1_500_000
# Pairs on at least 1 % of the pages: 18,000 pairs at 10,000 articles, where "công đoàn"
# is on 7,126 pages and a pair on fewer than 100 downloads little by its words.
PAIR_SHARE = 0.01
_PAIRS_FILE = "pairs.txt"  # beside a base's index: the pairs it indexes, for its deltas
_MERGE = Path(__file__).with_name("parts.py")
_PROJECT = Path(__file__).resolve().parents[2]  # the processes started import its modules


class SearchError(Exception):
    pass


# folders_of(files): a context in which the documents of files are folders of parts,
# in order, as documents.part_folders gives them.
FoldersOf = Callable[[list[str]], AbstractContextManager[Iterator[Path]]]


@dataclass(frozen=True)
class DeltaLimit:
    """The delta is merged away into a new base when it holds more documents than
    `most`, or than `share` of all documents; a small site is simply indexed again."""

    most: int = 200
    share: float = 0.05

    @classmethod
    def from_settings(cls, settings: dict) -> "DeltaLimit":
        limit = cls(
            most=settings.get("SEARCH_DELTA_MOST", cls.most),
            share=settings.get("SEARCH_DELTA_SHARE", cls.share),
        )
        if limit.most < 0 or not 0 <= limit.share <= 1:
            raise SearchError(
                f"SEARCH_DELTA_MOST must be ≥ 0 and SEARCH_DELTA_SHARE within 0-1, not {limit}"
            )
        return limit

    def exceeded(self, changed: int, documents: int) -> bool:
        return changed > min(self.most, self.share * documents)


def part_words(settings: dict) -> int:
    """The most words Pagefind is given at once (SEARCH_PART_WORDS)."""
    words = settings.get("SEARCH_PART_WORDS", PART_WORDS)
    if not isinstance(words, int) or words < 1:
        raise SearchError(f"SEARCH_PART_WORDS must be a whole number ≥ 1, not {words!r}")
    return words


def pair_share(settings: dict) -> float:
    """The least share of the pages a pair of words is on to be indexed (SEARCH_PAIR_SHARE)."""
    share = settings.get("SEARCH_PAIR_SHARE", PAIR_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise SearchError(f"SEARCH_PAIR_SHARE must be a number within 0-1, not {share!r}")
    return share


class DocumentCache:
    """Each document's HTML, by key (a fingerprint of what the document is made from)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.html"

    def keys(self) -> set[str]:
        """The keys of the documents cached, listed folder by folder (not a look per
        document, each of which gives the rendering back Python's running thread)."""
        return {
            entry.name.removesuffix(".html")
            for entry in self._entries()
            if entry.name.endswith(".html")
        }

    def keep_only(self, keys: set[str]) -> None:
        """Removes every other document, and what a stopped build left half written."""
        for entry in self._entries():
            if entry.name.removesuffix(".html") not in keys:
                os.unlink(entry.path)

    def _entries(self) -> Iterator[os.DirEntry]:
        if not self.folder.is_dir():
            return
        for folder in os.scandir(self.folder):
            if folder.is_dir():
                yield from os.scandir(folder.path)


@dataclass(frozen=True)
class _Base:
    folder: Path
    # file → {"key": document key, "date": its value in the date sort (sources.date_order),
    # "page": Pagefind's page id}
    documents: dict[str, dict]


class SearchIndex:
    """The base and delta indexes of one site's search documents, in `cache`."""

    def __init__(
        self,
        cache: Path,
        document_format: str,
        limit: DeltaLimit,
        logger,
        part_words: int,
        pair_share: float,
        pagefind: Path,
    ):
        self.cache = cache
        self.pagefind = pagefind  # its binary
        self.format = document_format
        self.limit = limit
        self.part_words = part_words
        self.pair_share = pair_share
        self.logger = logger
        self.documents = DocumentCache(cache / "documents")

    def publish(
        self,
        keys: dict[str, str],
        dates: dict[str, str],
        made_from: Callable[[str], tuple[dict, str]],
        target: Path,
    ) -> None:
        """Put into target the index of the documents whose keys are given (file → key),
        sorted by dates (file → its value in the date sort). made_from(file) is what a
        document not cached is made from (documents.make_document)."""

        def folders_of(files: list[str]) -> AbstractContextManager[Iterator[Path]]:
            return self._part_folders(files, keys, made_from)

        base = self._current_base()
        changed = sorted(
            file
            for file, key in keys.items()
            if not base or base.documents.get(file, {}).get("key") != key
        )
        removed = sorted(set(base.documents) - set(keys)) if base else []
        if base is None or self.limit.exceeded(len(changed) + len(removed), len(keys)):
            base = self._make_base(keys, dates, folders_of)
            changed, removed = [], []
        _copy_tree(base.folder / "index", target)
        delta, kept = {}, {base.folder}
        if changed or removed:
            replaced = [
                base.documents[file] for file in changed + removed if file in base.documents
            ]
            index = base.folder / "index"
            delta["hidden"] = {
                document["page"]: _fragment(index, document["page"])["filters"]
                for document in replaced
            }
        if changed:
            delta_folder = self._delta(
                base,
                {file: keys[file] for file in changed},
                removed,
                _by_date(changed, dates),
                folders_of,
            )
            _copy_tree(delta_folder / "index", target / DELTA_FOLDER)
            kept.add(delta_folder)
            pages = json.loads((delta_folder / "pages.json").read_text(encoding="utf-8"))
            base_dates = sorted(document["date"] for document in base.documents.values())
            delta |= {
                "index": DELTA_FOLDER,
                # Pagefind scores a result sorted by date with its rank among its index's
                # documents: the rank each delta document would have in the base.
                "date_ranks": {
                    pages[_url(file)]: bisect.bisect_left(base_dates, dates[file])
                    for file in changed
                },
                "documents": {"base": len(base.documents), "delta": len(changed)},
            }
        (target / DELTA_FILE).write_text(
            json.dumps(delta, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        for old in self.cache.iterdir():
            if old not in kept and old != self.documents.folder:
                shutil.rmtree(old, ignore_errors=True)
        self.documents.keep_only(set(keys.values()))

    def _digest(self, *parts) -> str:
        return hashlib.sha256(json.dumps([self.format, *parts]).encode()).hexdigest()[:24]

    def _current_base(self) -> _Base | None:
        for manifest in self.cache.glob(f"base-*/{_MANIFEST}"):
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
            if recorded["format"] == self.format:
                return _Base(manifest.parent, recorded["documents"])
        return None

    def _make_base(
        self, keys: dict[str, str], dates: dict[str, str], folders_of: FoldersOf
    ) -> _Base:
        folder = self.cache / f"base-{self._digest(sorted(keys.items()))}"
        if not (folder / _MANIFEST).exists():
            pages = self._index(_by_date(keys, dates), folders_of, folder, "Search index")
            documents = {
                file: {"key": key, "date": dates[file], **pages[_url(file)]}
                for file, key in sorted(keys.items())
            }
            manifest = {"format": self.format, "documents": documents}
            (folder / _MANIFEST).write_text(
                json.dumps(manifest, ensure_ascii=False), encoding="utf-8"
            )
        return _Base(
            folder, json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))["documents"]
        )

    def _delta(
        self,
        base: _Base,
        changed: dict[str, str],
        removed: list[str],
        in_order: list[str],
        folders_of: FoldersOf,
    ) -> Path:
        folder = (
            self.cache / f"delta-{self._digest(base.folder.name, sorted(changed.items()), removed)}"
        )
        if not (folder / "pages.json").exists():
            pages = self._index(
                in_order,
                folders_of,
                folder,
                "Search delta index",
                pairs_of=base.folder / _PAIRS_FILE,
            )
            ids = {url: page["page"] for url, page in sorted(pages.items())}
            (folder / "pages.json").write_text(
                json.dumps(ids, ensure_ascii=False), encoding="utf-8"
            )
        return folder

    def _index(
        self,
        files: list[str],
        folders_of: FoldersOf,
        folder: Path,
        label: str,
        pairs_of: Path | None = None,
    ) -> dict[str, dict]:
        """Run Pagefind on the documents of files (in the order of the date sort, so
        that the parts follow each other in it) into folder/index, in parts of at most
        part_words words merged into one index, with the pairs listed in pairs_of (a
        base's), or those frequent enough, then listed in folder for its deltas; for each
        document's URL, the page id Pagefind gives its results."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="bantin-search-", dir=folder.parent) as scratch:
            started = time.perf_counter()
            built, parts, runs = Path(scratch) / "built", [], _Runs()
            # Pagefind indexes one part at a time, on a core of its own, while the next
            # part's documents are made; one run at a time keeps its memory bounded.
            with (
                folders_of(files) as folders,
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind") as indexer,
            ):
                indexing: list[Future] = []
                try:
                    for number, source in enumerate(folders):
                        parts.append(Path(scratch) / f"part-{number}")
                        indexing.append(indexer.submit(self._pagefind, runs, source, parts[-1]))
                except BaseException:
                    for run in indexing:
                        run.cancel()
                    raise
            for run in indexing:  # every run has ended
                run.result()
            built.mkdir()
            runs.run(
                "Merging the parts",
                [
                    sys.executable,
                    _MERGE,
                    built / "index",
                    *parts,
                    "--pair-share",
                    self.pair_share,
                    *(
                        ["--pairs-of", pairs_of]
                        if pairs_of
                        else ["--pairs-to", built / _PAIRS_FILE]
                    ),
                ],
            )
            pages = _pages(built / "index")
            built.rename(folder)
        # The benchmark reads the base's line.
        self.logger.info(
            "%s: %d documents in %d part%s, %.2f s (Pagefind %.2f s, merging %.2f s), peak memory %.0f MB",
            label,
            len(files),
            len(parts),
            "" if len(parts) == 1 else "s",
            time.perf_counter() - started,
            runs.seconds["Pagefind"],
            runs.seconds["Merging the parts"],
            runs.peak_mb,
        )
        return pages

    def _pagefind(self, runs: "_Runs", source: Path, index: Path) -> None:
        """Index the documents in source into index."""
        runs.run("Pagefind", [self.pagefind, "--site", source, "--output-path", index, "--silent"])

    @contextmanager
    def _part_folders(
        self, files: list[str], keys: dict[str, str], made_from
    ) -> Iterator[Iterator[Path]]:
        """The folders of the parts of files' documents (in their order, of at most
        part_words words), in a folder of the cache removed on leaving (when every
        Pagefind run on them has ended): put together here when they are few, in a
        process of their own when they are many (documents.py)."""
        few = len(files) < MADE_APART_FROM
        if few:
            cached = {keys[file] for file in files if self.documents.path(keys[file]).exists()}
        else:
            cached = self.documents.keys()
        entries = [
            (
                file,
                self.documents.path(keys[file]),
                None if keys[file] in cached else made_from(file),
            )
            for file in files
        ]
        folder = self.cache / f".documents-{uuid.uuid4().hex[:8]}"
        try:
            if few:
                yield part_folders(iter(entries), self.part_words, folder)
            else:
                with PartFoldersApart(
                    entries, self.part_words, folder, child_environment()
                ) as folders:
                    yield folders
        finally:
            remove_in_background([folder])


def child_environment() -> dict[str, str]:
    """The environment of a process of this Python that imports the project's modules."""
    search_path = os.pathsep.join(filter(None, [str(_PROJECT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": search_path}


class _Runs:
    """Runs of commands (Pagefind, this Python) in processes of their own: how long
    each kind took in all, and the most memory one took."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.peak_mb = 0.0

    def run(self, what: str, command: list) -> None:
        started = time.perf_counter()
        with tempfile.TemporaryFile() as log:
            command = [str(argument) for argument in command]
            process = subprocess.Popen(command, stdout=log, stderr=log, env=child_environment())
            _, status, usage = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                log.seek(0)
                raise SearchError(f"{what} failed: {log.read().decode(errors='replace')}")
        self.seconds[what] += time.perf_counter() - started
        self.peak_mb = max(self.peak_mb, usage.ru_maxrss / 1024)


def _by_date(files, dates: dict[str, str]) -> list[str]:
    return sorted(files, key=lambda file: (dates[file], file))


def _pages(index: Path) -> dict[str, dict]:
    """URL → the page id Pagefind gives results (its fragment's name)."""
    pages = {}
    for fragment in (index / "fragment").iterdir():
        page = fragment.name.removesuffix(".pf_fragment")
        pages[_fragment(index, page)["url"]] = {"page": page}
    return pages


def _fragment(index: Path, page: str) -> dict:
    """What Pagefind stored of a page: its URL, text, filters…"""
    compressed = (index / "fragment" / f"{page}.pf_fragment").read_bytes()
    return json.loads(gzip.decompress(compressed).removeprefix(PAGEFIND_HEADER))


def _url(file: str) -> str:
    """The URL Pagefind gives the document in file."""
    return "/" + file.removesuffix("index.html")


def _copy_tree(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
