"""Theme files (CSS, scripts, icons) published under names that carry a hash of their
content, so that hosts can let browsers keep them for a year: a changed file is a new
name. Templates ask for `{{ asset("css/site.css") }}`; once Pelican has copied the
theme's static files, a hashed copy of every one of them is written, not only of those
asked for in this build: a page that did not change since the last build is not rendered
again (plugins/output_reuse), but still uses its assets.
"""

import hashlib
import shutil
from functools import cache
from pathlib import Path, PurePosixPath

from pelican import signals


@cache
def _digest(file: Path, mtime_ns: int) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10]


def hashed_path(static_root: Path, static_dir: str, path: str) -> str:
    file = static_root / path
    digest = _digest(file, file.stat().st_mtime_ns)
    relative = PurePosixPath(path)
    return str(
        PurePosixPath(static_dir) / relative.parent / f"{relative.stem}.{digest}{relative.suffix}"
    )


def add_asset_function(generator) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    static_root = Path(generator.theme) / "static"
    static_dir = generator.settings["THEME_STATIC_DIR"]

    @cache  # a build's theme does not change while it runs (bantin.build)
    def asset(path: str) -> str:
        return hashed_path(static_root, static_dir, path)

    env.globals["asset"] = asset


def write_hashed_copies(pelican) -> None:
    output = Path(pelican.output_path)
    static_root = Path(pelican.settings["THEME"]) / "static"
    static_dir = pelican.settings["THEME_STATIC_DIR"]
    for file in sorted(static_root.rglob("*")):
        path = file.relative_to(static_root).as_posix()
        plain = output / static_dir / path
        if plain.is_file():
            shutil.copyfile(plain, output / hashed_path(static_root, static_dir, path))


def register() -> None:
    signals.generator_init.connect(add_asset_function)
    signals.finalized.connect(write_hashed_copies)
