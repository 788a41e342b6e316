"""Every command of the project. Run them as `./dev TASK` (or `invoke TASK` inside .venv)."""

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"


def _build_or_exit(settings: Path, output: Path) -> None:
    from bantin.build import BuildFailed, build

    try:
        build(settings, output)
    except BuildFailed as failure:
        sys.exit(f"Build failed: {failure}")


@task(help={"publish": "use publishconf.py (the public address) instead of pelicanconf.py"})
def build(c, publish=False):
    """Build the site into output/ (replaced only if the build succeeds)."""
    _build_or_exit(PUBLISH_SETTINGS if publish else SETTINGS, OUTPUT)


@task
def check(c):
    """Validate every article without building; list every problem found."""
    from bantin.build import BuildFailed
    from bantin.build import check as check_content

    try:
        check_content(SETTINGS)
    except BuildFailed as failure:
        sys.exit(f"Check failed: {failure}")
    print("Content OK.")


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def serve(c, port=8000):
    """Build the site, then preview it at http://127.0.0.1:PORT/."""
    from bantin.preview import serve_forever

    _build_or_exit(SETTINGS, OUTPUT)
    serve_forever(OUTPUT, port=int(port))


@task
def translations(c):
    """Collect the theme's strings and merge new ones into each language's catalogue."""
    with c.cd(str(ROOT)):
        c.run(
            f"{sys.executable} -m babel.messages.frontend extract -F babel.cfg --no-location "
            "--sort-output -o .messages.pot ."
        )
        c.run(
            f"{sys.executable} -m babel.messages.frontend update -i .messages.pot "
            "-d theme/translations --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date"
        )
        (ROOT / ".messages.pot").unlink()


@task(help={"photos": "how many camera-size JPEGs to process (default 12)"})
def bench(c, photos=12):
    """Measure photo processing (cold on one core and on all, warm); figures go to
    bench/results.json and are printed beside the last run's."""
    from bantin.bench import run

    run(int(photos), ROOT / "bench" / "results.json")


@task
def lint(c):
    """Check code style with ruff."""
    with c.cd(str(ROOT)):
        c.run(f"{sys.executable} -m ruff check .", pty=False)
        c.run(f"{sys.executable} -m ruff format --check .", pty=False)


@task(help={"pytest_args": "extra arguments for pytest, e.g. '-k feeds -x'"})
def test(c, pytest_args=""):
    """Install the system tools the tests need (if missing), lint, then run every test."""
    import logging

    from bantin.toolchain import ensure_test_tools

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ensure_test_tools(ROOT)
    lint(c)
    with c.cd(str(ROOT)):
        c.run(f"{sys.executable} -m pytest {pytest_args}", pty=False)
