"""Import old bulletins (plain-text files) as articles an editor only has to review.

`import_paths` reads each file (or each .txt file in a folder), detects its encoding,
reads the article out of it (bantin.importer.extract), writes it in the article model to
`<into>/bai-viet/YYYY-MM-DD-slug.md` after checking it with the model's own validation,
and returns an ImportReport: per file what was found, what was removed and what the
editor should check. An existing article is never overwritten, and a file that cannot be
imported is reported while the others go on.

Status rule: an article whose photos are still to be supplied, or about which anything
in the report is uncertain, is written as a draft; otherwise as published.
"""

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from bantin.articles import (
    ERROR,
    SLUG_MAX_LENGTH,
    ModelSettings,
    load_yaml,
    read_article_source,
    split_front_matter,
)
from bantin.importer.encodings import UnreadableBulletin, decode_bulletin
from bantin.importer.extract import Bulletin, CannotImport, extract_bulletin
from bantin.importer.writer import FileReport, ImportReport, render_article
from bantin.vietnamese import identity_key, slugify

logger = logging.getLogger(__name__)

ARTICLES_FOLDER = "bai-viet"
SOURCE_SUFFIXES = (".txt",)

__all__ = ["FileReport", "ImportReport", "import_file", "import_paths", "source_files"]


def source_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[FileReport]]:
    """The files to import: each file given, and the .txt files inside each folder
    (recursively, in name order, hidden ones left out). A missing path is a report."""
    files: list[Path] = []
    missing: list[FileReport] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.is_file()
                and candidate.suffix.lower() in SOURCE_SUFFIXES
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(FileReport(path, message="no such file or folder"))
    return files, missing


def _model_settings(settings: Mapping | ModelSettings, into: Path) -> ModelSettings:
    if isinstance(settings, ModelSettings):
        model = settings
        photo_path = model.photo_root.name
    else:
        model = ModelSettings.from_pelican(dict(settings))
        photo_path = settings.get("PHOTO_PATH", "anh")
    return dataclasses.replace(model, photo_root=into / photo_path)


def _existing_articles(folder: Path) -> dict[tuple[str, str], Path]:
    """(day, title key) of each article already in the folder."""
    known: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            block, _ = split_front_matter(path.read_text(encoding="utf-8"))
            data, _ = load_yaml(block) if block is not None else (None, None)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            # An unreadable article is the build's to report; it cannot match an import.
            logger.debug("skipping %s: %s", path, error)
            continue
        if isinstance(data, dict) and data.get("title") and data.get("date"):
            known[(str(data["date"])[:10], identity_key(str(data["title"])))] = path
    return known


def import_paths(
    paths: Iterable[Path | str],
    into: Path | str,
    *,
    sentence_case: bool = False,
    settings: Mapping | ModelSettings,
) -> ImportReport:
    """Import every bulletin under paths into `<into>/bai-viet/`.

    settings are the site's (bantin.build.load_settings) or a ModelSettings: the kinds
    of event and the time zone come from there."""
    into = Path(into)
    model = _model_settings(settings, into)
    folder = into / ARTICLES_FOLDER
    files, report_items = source_files(paths)
    report = ImportReport(list(report_items))
    existing = _existing_articles(folder) if folder.is_dir() else {}
    for path in files:
        report.files.append(
            import_file(path, folder, model=model, existing=existing, sentence_case=sentence_case)
        )
    return report


def import_file(
    path: Path,
    folder: Path,
    *,
    model: ModelSettings,
    existing: dict[tuple[str, str], Path] | None = None,
    sentence_case: bool = False,
) -> FileReport:
    """Import one bulletin; never raises for a bad file, the report says what went wrong."""
    report = FileReport(path)
    existing = existing if existing is not None else {}
    try:
        decoded = decode_bulletin(path.read_bytes())
    except OSError as error:
        report.message = f"cannot be read: {error.strerror or error}"
        return report
    except UnreadableBulletin as error:
        report.message = str(error)
        return report
    report.encoding = ", ".join([decoded.encoding, *decoded.notes])
    try:
        bulletin = extract_bulletin(
            decoded.text, event_kinds=model.event_kinds, sentence_case=sentence_case
        )
    except CannotImport as error:
        report.message = str(error)
        return report
    report.found, report.removed = _found(bulletin), bulletin.removed
    report.uncertain = list(bulletin.uncertain)
    for index in range(len(bulletin.captions)):
        report.uncertain.append(
            f"photos[{index}]: supply the photo; its alt text is the caption for now, describe the photo instead"
        )
    slug = slugify(bulletin.title, SLUG_MAX_LENGTH) or "bai-viet"
    target = folder / f"{bulletin.date.value:%Y-%m-%d}-{slug}.md"
    report.target = target
    key = (f"{bulletin.date.value:%Y-%m-%d}", identity_key(bulletin.title))
    if target.exists():
        report.status, report.message = "exists", f"{target} already exists; it was left as it is"
        return report
    if key in existing:
        report.status = "exists"
        report.message = f"{existing[key]} has the same title and date; it was left as it is"
        return report
    report.draft = bool(bulletin.captions or report.uncertain)
    text = render_article(bulletin, slug=slug, status="draft" if report.draft else "published")
    front, _ = read_article_source(text.encode("utf-8"), path=str(target), settings=model)
    errors = [problem for problem in front.problems if problem.severity == ERROR]
    if errors:
        report.message = "the article would not pass validation: " + "; ".join(map(str, errors))
        logger.error("%s: %s", path, report.message)
        return report
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as output:
            output.write(text)
    except FileExistsError:
        report.status, report.message = "exists", f"{target} already exists; it was left as it is"
        return report
    except OSError as error:
        report.message = f"cannot write {target}: {error.strerror or error}"
        return report
    existing[key] = target
    report.status = "written"
    return report


def _found(bulletin: Bulletin) -> list[str]:
    found = [
        f"title: {bulletin.title}",
        f"date: {bulletin.date.iso()}",
        f"event: {bulletin.event.label.lower()}",
    ]
    found.append("organizations: " + "; ".join(bulletin.organizations))
    if bulletin.location:
        found.append(f"location: {bulletin.location}")
    for person in bulletin.participants:
        chair = ", chair" if person.chair else ""
        found.append(f"participant: {person.name} ({person.role}{chair})")
    for caption in bulletin.captions:
        credit = f" (Ảnh: {caption.credit})" if caption.credit else ""
        found.append(f"photo caption: {caption.caption}{credit}")
    for author in bulletin.authors:
        found.append(f"author: {author.name}" + (f" ({author.role})" if author.role else ""))
    if bulletin.source:
        found.append(f"source: {bulletin.source}")
    return found + [f"how: {item}" for item in bulletin.found]
