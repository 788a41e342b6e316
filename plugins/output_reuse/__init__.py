"""Renders a page, or writes a feed, only when what it shows changed since the last
build; otherwise the last build's file is linked into the new output.

Each output gets a key: a fingerprint (bantin.fingerprint) of the values its
templates name, plus the fingerprint of everything every page depends on (code,
theme, settings), which bantin.build passes in the OUTPUT_REUSE setting with the
folder of the last build and the record of its keys. Without that setting (a plain
`pelican` run) every output is rendered, as Pelican does.

The record of this build's keys is written beside the last one, as "<record>.new";
bantin.build puts it in place only when the build succeeds.
"""

import contextlib
import json
import logging
import os
from pathlib import Path

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

from bantin.fingerprint import Fingerprints, template_variables

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # what was rendered again is worth a line


class ReusingWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        reuse = self.settings.get("OUTPUT_REUSE") or {}
        previous = reuse.get("previous_output")  # None when every output must be made anew
        self._previous_output = Path(previous) if previous else None
        self._record = Path(reuse["record"]) if reuse else None
        self._inputs = reuse.get("inputs", "")
        self._previous_keys: dict[str, str] = {}
        if self._record and self._previous_output and self._previous_output.is_dir():
            with contextlib.suppress(OSError, ValueError):  # no record: everything is made anew
                self._previous_keys = json.loads(self._record.read_text(encoding="utf-8"))
        self._keys: dict[str, str] = {}
        self._linked: set[str] = set()
        self._folders: set[str] = set()  # made in this build; making them again is slow
        self._variables: dict[str, frozenset[str] | None] = {}
        self.fingerprints = Fingerprints()
        self.rendered = self.reused = 0
        if self._record:
            signals.finalized.connect(self._save_record)

    def reuse_unchanged(self, names: list[str], *shown) -> bool:
        """For outputs written by a plugin: link the last build's files when the
        outputs show the same values; False when they must be written. Either way
        their key is recorded."""
        if not self._record:
            return False
        key = self.fingerprints.of(self._inputs, names, *shown)
        for name in names:
            self._keys[name] = key
        if not all(self._previous_keys.get(name) == key for name in names):
            return False
        linked = [name for name in names if self._link_previous(name)]
        if len(linked) == len(names):
            return True
        for name in linked:  # the plugin writes them all: none may be a link to the last build
            os.unlink(sanitised_join(self.output_path, name))
        return False

    def write_file(self, name, template, context, *args, **kwargs):
        if not name or not self._record:
            return super().write_file(name, template, context, *args, **kwargs)
        return super().write_file(name, _Template(self, template), context, *args, **kwargs)

    def render(self, template, localcontext: dict) -> str:
        name = localcontext["output_file"]
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
            key = self._keys[name] = self.fingerprints.of(self._inputs, template.name, name, *shown)
            if self._previous_keys.get(name) == key and self._link_previous(name):
                self.reused += 1
                return ""
        self.rendered += 1
        logger.debug("Rendering %s", name)
        return template.render(localcontext)

    def _link_previous(self, name: str) -> bool:
        target = sanitised_join(self.output_path, name)
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
        self._record.parent.mkdir(parents=True, exist_ok=True)
        self._record.with_name(self._record.name + ".new").write_text(
            json.dumps(self._keys, sort_keys=True), encoding="utf-8"
        )
        logger.info("Pages: %d rendered, %d unchanged", self.rendered, self.reused)


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
