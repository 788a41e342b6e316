"""Every command of the project. Run them as `./dev TASK` (or `invoke TASK` inside .venv)."""

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"


@task
def setup(c):
    """Install what building needs, where it is missing: Pagefind, by npm. Every task
    that builds runs it first."""
    import logging

    from bantin.toolchain import ToolchainError, ensure_build_tools

    # Its own handler: the build that follows in this process sets up the root logger's.
    log = logging.getLogger("bantin.toolchain")
    if not log.handlers:
        log.addHandler(logging.StreamHandler())
        log.setLevel(logging.INFO)
        log.propagate = False
    try:
        ensure_build_tools(ROOT)
    except ToolchainError as error:
        sys.exit(f"Setup failed: {error}")


def _build_or_exit(settings: Path, output: Path, force: bool = False) -> None:
    from bantin.build import BuildFailed, build

    try:
        build(settings, output, force=force)
    except BuildFailed as failure:
        sys.exit(f"Build failed: {failure}")


@task(
    pre=[setup],
    help={
        "publish": "use publishconf.py (the public address) instead of pelicanconf.py",
        "force": "render every page anew, even if nothing changed since the last build",
    },
)
def build(c, publish=False, force=False):
    """Build the site into output/ (replaced only if the build succeeds)."""
    _build_or_exit(PUBLISH_SETTINGS if publish else SETTINGS, OUTPUT, force)


@task(help={"title": "the headline, in quotes"})
def new(c, title):
    """Start a draft article: prints the path of the new file."""
    from bantin.build import load_settings
    from bantin.editor import new_article

    settings = load_settings(SETTINGS)
    try:
        print(new_article(Path(settings["PATH"]), title, settings))
    except ValueError as error:
        sys.exit(f"Cannot start an article: {error}")


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


@task(pre=[setup], help={"port": "port on 127.0.0.1 (default 8000)"})
def serve(c, port=8000):
    """Preview the site at http://127.0.0.1:PORT/, rebuilding it on every change."""
    from bantin.build import build_or_report
    from bantin.preview import live_preview

    live_preview(
        lambda **options: build_or_report(SETTINGS, OUTPUT, **options),
        OUTPUT,
        watched=[ROOT / "content", ROOT / "theme", ROOT / "plugins", ROOT / "bantin", SETTINGS],
        code=[ROOT / "plugins", ROOT / "bantin"],
        port=int(port),
    )


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


@task(
    pre=[setup],
    help={
        "articles": "size of the generated archive (default 1000; 10000 is the reference)",
        "photos": "how many camera-size JPEGs to process (default 12)",
    },
)
def bench(c, articles=1000, photos=12):
    """Measure builds side by side with stock Pelican, and photo processing; figures go
    to bench/results.json and are printed beside the last run's."""
    from bantin.bench import run

    run(int(photos), ROOT / "bench" / "results.json", articles=int(articles))


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


@task(
    name="import",
    help={
        "paths": "bulletin files or folders (of .txt files), separated by spaces; quote them: "
        './dev import "old/a.txt old/2015"',
        "into": "the content folder to write into (default: content/); articles go to INTO/bai-viet/",
        "sentence_case": "write ALL-CAPS titles in sentence case (default: keep them as published)",
    },
)
def import_(c, paths, into=None, sentence_case=False):
    """Import old bulletins as draft articles to review, and print the import report."""
    import shlex

    from bantin.build import load_settings
    from bantin.importer import import_paths

    settings = load_settings(SETTINGS)
    report = import_paths(
        shlex.split(paths),
        Path(into) if into else Path(settings["PATH"]),
        sentence_case=sentence_case,
        settings=settings,
    )
    print(report)
    if report.failed:
        sys.exit(1)


@task(
    pre=[setup],
    help={
        "year": "only the articles of this year, e.g. 2020",
        "since": "only the articles from this day on, YYYY-MM-DD",
        "until": "only the articles up to this day, YYYY-MM-DD",
        "out": "the folder to write into (default: archive/)",
        "verify": "check this ZIP against its MANIFEST.json instead of exporting",
    },
)
def archive(c, year=None, since=None, until=None, out="archive", verify=None):
    """Export the public site for keeping: an offline ZIP and a WARC file (or --verify a ZIP)."""
    from bantin.archive import ArchiveError, Period, export_archive
    from bantin.archive import verify as verify_zip
    from bantin.build import BuildFailed

    if verify:
        result = verify_zip(Path(verify))
        print(result.report(verify))
        if not result.ok:
            sys.exit(1)
        return
    try:
        export = export_archive(
            PUBLISH_SETTINGS, Path(out), period=Period.from_options(year, since, until)
        )
    except (ArchiveError, BuildFailed) as failure:
        sys.exit(f"Archive failed: {failure}")
    print(
        f"Archived {export.articles} article{'s' if export.articles != 1 else ''}:\n"
        f"  {export.zip_path}: {export.files} files; open site/index.html\n"
        f"  {export.warc_path}: {export.urls} URLs, WARC 1.1"
    )


@task(
    pre=[setup],
    help={"dry_run": "build, then show what would be uploaded and deleted; change nothing"},
)
def publish(c, dry_run=False):
    """Build the public site into output-public/ and deploy it (DEPLOY_* in publishconf.py):
    over SSH, switched in atomically, or to an S3-compatible store, pages after their files."""
    from bantin.build import BuildFailed
    from bantin.publish import DeployError, publish_site

    try:
        deployment = publish_site(PUBLISH_SETTINGS, ROOT / "output-public", dry_run=dry_run)
    except BuildFailed as failure:
        sys.exit(f"Build failed, nothing was published: {failure}")
    except DeployError as failure:
        sys.exit(f"Publish failed: {failure}")
    print(deployment.report())
