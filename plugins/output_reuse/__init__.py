"""Renders a page, or writes a feed, only when what it shows changed since the last
build; otherwise the last build's file is linked into the new output.

Each output gets a key: a fingerprint (bantin.fingerprint) of the values its
templates name, plus the fingerprint of everything every page depends on (code,
theme, settings), which bantin.build passes in the OUTPUT_REUSE setting with the
folder of the last build and the record of its keys. Without that setting (a plain
`pelican` run) every output is rendered, as Pelican does.

The record of this build's keys is written to OUTPUT_REUSE["new_record"]; bantin.build
puts it in place of the last one only when the build succeeds.

The writer also remembers, for each output, how to make it again and which articles
it showed (Fingerprints.shown_by), and says so when the build is over (the signal
`build_written`): a build kept in memory can then make again, after an article's text
was edited, the outputs that showed it and no others (bantin.text_edits).
"""

import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

from bantin.build import build_written
from bantin.fingerprint import Fingerprints, template_variables

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # what was rendered again is worth a line


class ReusingWriter(Writer):
    def __init__(self, output_path, settings=None, *, remaking: "ReusingWriter | None" = None):
        """remaking: the writer of a build whose outputs this one makes again (remake)."""
        super().__init__(output_path, settings)
        reuse = self.settings.get("OUTPUT_REUSE") or {}
        previous = reuse.get("previous_output")  # None when every output must be made anew
        self._previous_output = Path(previous) if previous and not remaking else None
        self._record = Path(reuse["record"]) if reuse else None
        self._new_record = Path(reuse["new_record"]) if reuse else None
        self.inputs = reuse.get("inputs", "")
        self.previous_keys: dict[str, str] = remaking.keys if remaking else {}
        self._remaking = remaking is not None
        if self._record and self._previous_output and self._previous_output.is_dir():
            with contextlib.suppress(OSError, ValueError):  # no record: everything is made anew
                self.previous_keys = json.loads(self._record.read_text(encoding="utf-8"))
        self.keys: dict[str, str] = {}
        # Per output: the articles it reached, and how to make it again (see remake).
        self.reached: dict[str, frozenset[int]] = {}
        self._makers: dict[str, Callable[[ReusingWriter], None]] = {}
        self._making: Callable[[ReusingWriter], None] | None = None
        self._linked: set[str] = set()  # paths of outputs in place already: not written
        self._folders: set[str] = set()  # made in this build; making them again is slow
        self._variables: dict[str, frozenset[str] | None] = {}
        self.fingerprints = Fingerprints()
        self.rendered = self.reused = 0
        if self._record and not remaking:
            signals.finalized.connect(self._save_record)

    def produce(self, names: list[str], shown: tuple, make: Callable[[Path], None]) -> None:
        """For outputs a plugin writes itself: link the last build's files when the
        outputs show the same values, else call make(folder), which writes them under
        folder (this writer's output folder)."""
        self._makers.update(dict.fromkeys(names, lambda writer: writer.produce(names, shown, make)))
        if self._record:
            key, reached = self.fingerprints.shown_by(self.inputs, names, *shown)
            for name in names:
                self.keys[name], self.reached[name] = key, reached
            if all(self.previous_keys.get(name) == key for name in names):
                linked = [name for name in names if self._link_previous(name)]
                if len(linked) == len(names):
                    return
                for name in linked:  # make writes them all: none may be the last build's
                    os.unlink(sanitised_join(self.output_path, name))
                    self._linked.discard(sanitised_join(self.output_path, name))
        make(Path(self.output_path))

    def write_file(self, name, template, context, *args, **kwargs):
        if not name or not self._record:
            return super().write_file(name, template, context, *args, **kwargs)
        outer = self._making
        self._making = lambda writer: writer.write_file(name, template, context, *args, **kwargs)
        try:
            return super().write_file(name, _Template(self, template), context, *args, **kwargs)
        finally:
            self._making = outer

    def render(self, template, localcontext: dict) -> str:
        name = localcontext["output_file"]
        self._makers[name] = self._making
        if template.name not in self._variables:
            self._variables[template.name] = template_variables(template.environment, template.name)
        variables = self._variables[template.name]
        if variables is not None:
            shown = [
                part
                for var in sorted(variables)
                if var in localcontext
                for part in (var, localcontext[var])
            ]
            key, self.reached[name] = self.fingerprints.shown_by(
                self.inputs, template.name, name, *shown
            )
            self.keys[name] = key
            if self.previous_keys.get(name) == key and self._link_previous(name):
                self.reused += 1
                return ""
        self.rendered += 1
        logger.debug("Rendering %s", name)
        return template.render(localcontext)

    def showing(self, articles: Iterable[int]) -> set[str]:
        """The outputs that reached any of these articles (see bantin.fingerprint.reach),
        and those whose articles cannot be known (a template chosen at render time)."""
        wanted = set(articles)
        return {
            name
            for name in self._makers
            if name not in self.reached or not wanted.isdisjoint(self.reached[name])
        }

    def remake(self, names: Iterable[str], folder: Path) -> None:
        """Make the outputs names again into folder, in the state the build's objects are
        in now, writing only those whose key changed; this writer's record of keys is
        brought up to date."""
        writer = type(self)(str(folder), self.settings, remaking=self)
        # What this build remembers still holds, but for what the caller made it forget.
        writer.fingerprints, writer._variables = self.fingerprints, self._variables
        for make in {id(make): make for make in map(self._makers.get, names)}.values():
            make(writer)
        self.keys.update(writer.keys)

    def _link_previous(self, name: str) -> bool:
        target = sanitised_join(self.output_path, name)
        if self._remaking:  # an unchanged output stays as it is
            self._linked.add(target)
            return True
        folder = os.path.dirname(target)
        try:
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            os.link(self._previous_output / name, target)
        except FileNotFoundError:
            return False
        except FileExistsError:
            return False  # written already in this build: let the writer complain
        self._linked.add(target)
        return True

    def _open_w(self, filename, encoding, override=False):
        if filename in self._linked:
            # Already in place as a link: writing would go through to the last build.
            self._linked.discard(filename)
            self._written_files.add(filename)
            return open(os.devnull, "w", encoding=encoding)
        return super()._open_w(filename, encoding, override)

    def _save_record(self, _pelican) -> None:
        signals.finalized.disconnect(self._save_record)
        self._new_record.parent.mkdir(parents=True, exist_ok=True)
        self.save_keys(self._new_record)
        logger.info("Pages: %d rendered, %d unchanged", self.rendered, self.reused)
        build_written.send(self)

    def save_keys(self, file: Path) -> None:
        file.write_text(json.dumps(self.keys, sort_keys=True), encoding="utf-8")


class _Template:
    """A template that asks the writer whether it needs rendering."""

    def __init__(self, writer: ReusingWriter, template):
        self._writer = writer
        self._template = template

    def render(self, localcontext: dict) -> str:
        return self._writer.render(self._template, localcontext)


def reusing_writer(_pelican):
    return ReusingWriter


def register() -> None:
    signals.get_writer.connect(reusing_writer)
