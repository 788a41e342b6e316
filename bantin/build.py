"""Runs Pelican so that a failed build never leaves a half-written site, and no work or
write is done that the last build already did.

Pelican writes into a staging folder beside the output folder; only a build that
logged no error replaces the output, by renaming. Readers of the old site (the preview
server, a deploy in progress) see either the old or the new site, never a mixture.

Before the swap, every staged file whose bytes equal the published one is replaced by
a hard link to it: a file is only "written" when it changed, so deploys and archives
see only real changes. And when none of the build's inputs changed since the last
successful build into the same folder (content, theme, plugins, code, settings) and
no time-bound change is due (plugins add to context["expires"] the moments at which
their output would change by itself: a scheduled article's time, an article leaving
the news sitemap), nothing is done at all.
"""

import datetime as dt
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import traceback
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import blinker
from pelican import Pelican, signals
from pelican import __version__ as pelican_version
from pelican.contents import Content
from pelican.log import LimitFilter, console
from pelican.log import init as init_logging
from pelican.settings import read_settings
from rich.console import Console
from rich.logging import RichHandler

from bantin.articles import ContentError

if TYPE_CHECKING:
    from bantin.first_look import FirstLook

logger = logging.getLogger(__name__)

# Sent by the writer (plugins/output_reuse) once a build's outputs are written; the
# preview keeps it to make outputs again after an edit (bantin.text_edits).
build_written = blinker.signal("bantin.build_written")


class BuildFailed(Exception):
    """The build stopped; the output folder was left as it was."""


class _ErrorCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_settings(settings_file: Path, overrides: dict | None = None) -> dict:
    return read_settings(str(settings_file), override=overrides or {})


@contextmanager
def _build_session() -> Iterator[_ErrorCounter]:
    """Pelican's console logging, with errors counted. Messages go to a console of
    their own, so that silencing Pelican's console only drops its closing line
    (build_progress prints ours)."""
    init_logging(level=logging.WARNING, handler=RichHandler(console=Console(stderr=True)))
    # Pelican hides a message it has logged before in this process; each build (the
    # preview rebuilds many times) must say everything again.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    # Pelican keeps every article's content and summary it ever computed, and with them
    # each build's whole context: a preview rebuilding all day would keep them all.
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()
    errors = _ErrorCounter()
    root = logging.getLogger()
    root.addHandler(errors)
    was_quiet, console.quiet = console.quiet, True
    try:
        yield errors
    finally:
        console.quiet = was_quiet
        root.removeHandler(errors)


def remove_in_background(folders: list[Path]) -> None:
    """Deleting a large site's tens of thousands of files and folders takes seconds that
    nobody needs to wait for: the folders are no longer used."""
    if folders:
        subprocess.Popen(
            ["rm", "-rf", "--", *map(str, folders)],
            start_new_session=True,  # outlives the build; a killed one is redone next time
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def _swap_in(staging: Path, output: Path) -> None:
    retired = output.with_name(f".{output.name}.old-{uuid.uuid4().hex[:8]}")
    if output.exists():
        output.rename(retired)
    staging.rename(output)
    # With the retired sites of builds that were stopped before they removed theirs.
    remove_in_background(sorted(output.parent.glob(f".{output.name}.old-*")))


class _ContentRead(Exception):
    """Raised once every article is read, to stop a check before anything is written."""


def _stop_after_reading(_generators) -> None:
    raise _ContentRead


def _run_pelican(settings: dict, *, read_only: bool = False) -> dict:
    """Run Pelican; return the context its generators shared."""
    shared: dict = {}

    def keep_context(generators) -> None:
        shared.update(context=generators[0].context)

    signals.all_generators_finalized.connect(keep_context)
    if read_only:
        signals.all_generators_finalized.connect(_stop_after_reading)
    try:
        with _build_session() as errors:
            try:
                Pelican(settings).run()
            except ContentError as error:
                raise BuildFailed(str(error)) from None
            except _ContentRead:
                pass
            if errors.messages:
                listed = "\n".join(f"  - {message}" for message in errors.messages)
                raise BuildFailed(f"{len(errors.messages)} error(s):\n{listed}")
    finally:
        signals.all_generators_finalized.disconnect(_stop_after_reading)
        signals.all_generators_finalized.disconnect(keep_context)
    return shared.get("context", {})


def check(settings_file: Path, overrides: dict | None = None) -> None:
    """Read and validate all content as a build would, without writing anything; every
    warning is shown."""
    settings = load_settings(settings_file, {"WARNINGS_SHOWN": None, **(overrides or {})})
    settings["ARTICLE_CACHE"] = str(
        _read_cache(settings, code_fingerprint(Path(settings_file), settings, overrides))
    )
    _run_pelican(settings, read_only=True)


def _files(folder: Path) -> Iterator[Path]:
    for directory, _, names in os.walk(folder):
        for name in names:
            yield Path(directory, name)


def _digest_of_files(digest, files) -> None:
    for file in sorted(files):
        if "__pycache__" in file.parts:
            continue
        stat = file.stat()
        digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())


def _tree(root: Path) -> Iterator[Path]:
    return _files(root) if root.exists() else iter(())


def code_fingerprint(settings_file: Path, settings: dict, overrides: dict | None) -> str:
    """Changes whenever the code or the settings that turn an article file into an
    article may have changed: what the read cache of articles is kept under."""
    project = Path(__file__).resolve().parents[1]
    kept = sorted((k, v) for k, v in (overrides or {}).items() if k != "OUTPUT_PATH")
    digest = hashlib.sha256(repr((str(settings_file), kept, pelican_version)).encode())
    _digest_of_files(
        digest,
        [
            settings_file.resolve(),
            *(f for root in map(Path, settings["PLUGIN_PATHS"]) for f in _tree(root)),
            *_tree(project / "bantin"),
        ],
    )
    return digest.hexdigest()


def render_fingerprint(code: str, settings: dict) -> str:
    """Changes whenever anything every page depends on may have changed: the code, the
    settings and the theme."""
    digest = hashlib.sha256(code.encode())
    _digest_of_files(digest, _tree(Path(settings["THEME"])))
    return digest.hexdigest()


def inputs_fingerprint(render: str, settings: dict) -> str:
    """Changes whenever anything a build reads may have changed."""
    digest = hashlib.sha256(render.encode())
    _digest_of_files(digest, _tree(Path(settings["PATH"])))
    return digest.hexdigest()


def _cache_folder(settings: dict) -> Path:
    return Path(settings["PATH"]).parent / "cache"


def _record_file(settings: dict, output: Path) -> Path:
    name = hashlib.sha256(str(output).encode()).hexdigest()[:16]
    return (
        Path(settings.get("BUILD_RECORD_PATH") or _cache_folder(settings) / "builds")
        / f"{name}.txt"
    )


def _read_cache(settings: dict, code: str) -> Path:
    """Where articles read by this code with these settings are kept (plugins/article_model);
    the caches of other code are dropped, but for the latest few (the preview's, the
    published site's)."""
    folder = Path(settings.get("ARTICLE_CACHE_FOLDER") or _cache_folder(settings) / "articles")
    cache = folder / f"{code[:24]}.pickle"
    if folder.is_dir():
        others = sorted(folder.glob("*.pickle"), key=lambda file: file.stat().st_mtime)
        for old in [other for other in others if other != cache][:-3]:
            old.unlink(missing_ok=True)
    return cache


def _recorded(record: Path) -> tuple[str, str] | None:
    """The last build's inputs fingerprint and the moment its output expires (ISO, or
    empty: never)."""
    try:
        recorded, expires = record.read_text().split("\n", 1)
    except (OSError, ValueError):
        return None
    return recorded, expires


def _expired(expires: str) -> bool:
    return bool(expires) and dt.datetime.now(dt.UTC) >= dt.datetime.fromisoformat(expires)


def _record(record: Path, fingerprint: str, expires: str) -> None:
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(f"{fingerprint}\n{expires}")


def _outputs_records(record: Path) -> tuple[Path, Path]:
    """The record of each output's key (plugins/output_reuse) beside the build's record,
    and the name the writer gives the new one until it is put in place."""
    outputs = record.with_suffix(".outputs")
    return outputs, outputs.with_name(outputs.name + ".new")


def _up_to_date(record: Path, fingerprint: str) -> bool:
    """The last build had the same inputs and nothing time-bound is due since."""
    last = _recorded(record)
    return last is not None and last[0] == fingerprint and not _expired(last[1])


def _reuse_unchanged(staging: Path, output: Path) -> None:
    """Hard-link each staged file that is byte for byte the published one, and remove
    the folders made ahead that this build left empty (a removed article's)."""
    if not output.is_dir():
        return
    for directory, _, names in os.walk(staging, topdown=False):
        for name in names:
            _link_if_same(
                Path(directory, name), output / os.path.relpath(directory, staging) / name
            )
        if not names and directory != str(staging):
            with suppress(OSError):  # it holds folders: not empty
                os.rmdir(directory)


def same_bytes(staged: Path, published: Path) -> bool:
    """Whether a file just made holds the bytes of the published one (False if either
    is missing)."""
    try:
        return published.stat().st_size == staged.stat().st_size and (
            published.read_bytes() == staged.read_bytes()
        )
    except FileNotFoundError:
        return False


def _link_if_same(staged: Path, published: Path) -> None:
    with suppress(FileNotFoundError):
        if staged.stat().st_nlink > 1:
            return  # linked from the last build or a cache: written by nobody
    if not same_bytes(staged, published):
        return
    link = staged.with_name(f".{staged.name}.link")
    os.link(published, link)
    os.replace(link, staged)


@contextmanager
def _folders_made_ahead(output: Path, staging: Path) -> Iterator[None]:
    """Make the last build's folders in staging while Pelican reads the articles: most
    of them are needed again, and making tens of thousands of folders is seconds of
    waiting on the disk (about 0.1 ms each here), which the reading, all computation,
    leaves time for. By find and mkdir, which need no share of Python's one running
    thread; done before the first file is written, so that no writer ever finds a
    folder appearing under it."""
    staging.mkdir()
    if not output.is_dir():
        yield
        return
    finder = subprocess.Popen(
        ["find", ".", "-mindepth", "1", "-type", "d", "-print0"],
        cwd=output,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    maker = subprocess.Popen(
        ["xargs", "-0", "--no-run-if-empty", "mkdir", "-p", "--"],
        cwd=staging,
        stdin=finder.stdout,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a group of its own, its mkdir included, to stop at once
    )
    finder.stdout.close()  # the maker's now: find stops if the maker does

    def finish(_generators=None) -> None:
        maker.wait()
        finder.wait()

    signals.all_generators_finalized.connect(finish)
    try:
        yield
    finally:
        signals.all_generators_finalized.disconnect(finish)
        if maker.poll() is None:  # Pelican stopped before writing anything
            # Not xargs alone: a mkdir it started would go on making folders in the
            # staging folder while the failed build removes it.
            with suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(maker.pid, signal.SIGKILL)
            finder.kill()
        finish()


def build(
    settings_file: Path,
    output: Path | None = None,
    overrides: dict | None = None,
    *,
    force: bool = False,
    even_if_up_to_date: bool = False,
    first_look: "FirstLook | None" = None,
    changed: Iterable[Path] = (),
) -> Path:
    """Build the site described by settings_file (with overrides) into output; the
    output folder is replaced only when the build succeeds. Unless force, a build whose
    inputs did not change since the last one into output does nothing, or, if
    even_if_up_to_date, goes through Pelican reusing every output (the preview's first
    build, which must have the site's context in memory).

    With the preview's first_look, which keeps its last build, and the files changed
    since: when they are edits of articles' text alone, the site is brought up to date
    from the kept build (bantin.text_edits); otherwise the kept build is let go before
    Pelican runs, so that two builds are never in memory together."""
    settings = load_settings(settings_file, overrides)
    output = Path(output or settings["OUTPUT_PATH"]).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    record = _record_file(settings, output)
    code = code_fingerprint(Path(settings_file), settings, overrides)
    render = render_fingerprint(code, settings)
    fingerprint = inputs_fingerprint(render, settings)
    if first_look is not None:
        if _edit_text(first_look, list(changed), output, record, render, fingerprint):
            return output
        first_look.rebuilding()
    if not (force or even_if_up_to_date) and output.is_dir() and _up_to_date(record, fingerprint):
        print("Nothing changed since the last build: the site is up to date", file=sys.stderr)
        return output
    staging = output.with_name(f".{output.name}.staging-{uuid.uuid4().hex[:8]}")
    settings["OUTPUT_PATH"] = str(staging)
    settings["ARTICLE_CACHE"] = str(_read_cache(settings, code))
    outputs_record, new_outputs_record = _outputs_records(record)
    settings["OUTPUT_REUSE"] = {
        "previous_output": None if force else str(output),
        "record": str(outputs_record),
        "new_record": str(new_outputs_record),
        "inputs": render,
    }
    try:
        with _folders_made_ahead(output, staging):
            context = _run_pelican(settings)
        _reuse_unchanged(staging, output)
        _swap_in(staging, output)
        new_outputs_record.replace(outputs_record)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        new_outputs_record.unlink(missing_ok=True)
    expires = min(context.get("expires", []), default=None)
    _record(record, fingerprint, expires.isoformat() if expires else "")
    return output


def _edit_text(
    first_look: "FirstLook", changed: list[Path], output: Path, record: Path, render: str, now: str
) -> bool:
    """Bring output up to date from first_look's kept build when changed are edits of
    articles' text alone and nothing else a build reads changed; False when a full
    build is needed."""
    from bantin.text_edits import apply_text_edits

    kept = first_look.kept
    if kept is None or not changed or kept.writer.inputs != render:
        return False  # the code, theme or settings changed: every page may have
    last = _recorded(record)
    if last is None or _expired(last[1]):
        return False
    edited, only_text = first_look.text_edits(changed)
    if not (edited and only_text):
        return False
    with _build_session() as errors:
        try:
            files = apply_text_edits(kept, list(edited.values()), output)
        except Exception:
            logger.exception("Bringing the site up to date after a text edit failed")
            files = None
        if files is None or errors.messages:
            return False  # build() lets the kept build go and builds the whole site
    outputs_record, new_outputs_record = _outputs_records(record)
    kept.writer.save_keys(new_outputs_record)
    new_outputs_record.replace(outputs_record)
    _record(record, now, last[1])
    print(
        f"Text edited in {len(edited)} article(s): {len(files)} file(s) changed",
        file=sys.stderr,
    )
    return True


def build_or_report(
    settings_file: Path,
    output: Path,
    overrides: dict | None = None,
    *,
    even_if_up_to_date: bool = False,
    first_look: "FirstLook | None" = None,
    changed: Iterable[Path] = (),
) -> str | None:
    """Build like build(); instead of raising, return why the build failed (also printed),
    or None. For the preview, which must survive any failure and show it."""
    try:
        build(
            settings_file,
            output,
            overrides,
            even_if_up_to_date=even_if_up_to_date,
            first_look=first_look,
            changed=changed,
        )
    except BuildFailed as failure:
        message = str(failure)
    except Exception:  # whatever broke, the editor must see it
        message = traceback.format_exc()
    else:
        return None
    print(f"Build failed: {message}", file=sys.stderr)
    return message
