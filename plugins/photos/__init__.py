"""Responsive, private photos for every article, processed once per change.

When all articles are read, every photo they name is processed (or found in the cache,
cache/photos/ by default) into several widths and formats plus cropped copies (the social card and the ratios
structured data asks for); a photo
that cannot be published is reported with the article's other problems. The templates
get `article.photo_renditions`, one per photo, and the derivatives are copied into the
output by a generator of their own. Source files are never published as they are.

Settings: PHOTO_WIDTHS (480, 960, 1600), PHOTO_FORMATS ("avif", "webp", "jpeg"; formats
this Pillow cannot write are left out), PHOTO_CROPS (name, width, height: "card"
1200×630, "16x9", "4x3", "1x1" at 1200 px wide), PHOTO_MAX_PIXELS
(50 million), PHOTO_CREDIT_IN_FILE (True: the credit is written as XMP creator and
rights, the only metadata kept), PHOTO_CACHE_PATH (cache/photos beside content/).
"""

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pelican import signals
from pelican.generators import Generator

from bantin.articles import Photo, Problem
from bantin.photos import MIME_TYPES, Job, PhotoCache, PhotoSettings, Processed, process_all

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)  # the photo count is worth a line in every build


@dataclass(frozen=True)
class Rendition:
    """What a template needs to show one photo."""

    photo: Photo
    src: str  # the fallback JPEG, middle width
    width: int  # of that file
    height: int
    sources: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (MIME type, ((url, width), ...))
    crops: dict[str, str]  # crop name ("card", "16x9", "4x3", "1x1") → URL


def _url_of(photo: Photo, processed: Processed, name: str, photo_path: str) -> str:
    file = PurePosixPath(photo.file)
    return str(PurePosixPath(photo_path) / file.parent / f"{file.stem}.{processed.key[:10]}-{name}")


def rendition(photo: Photo, processed: Processed, photo_path: str, formats) -> Rendition:
    sources = tuple(
        (
            MIME_TYPES[fmt],
            tuple(
                (_url_of(photo, processed, d.name, photo_path), d.width)
                for d in processed.by_format(fmt)
            ),
        )
        for fmt in formats
    )
    fallbacks = processed.by_format("jpeg")
    middle = fallbacks[(len(fallbacks) - 1) // 2]
    return Rendition(
        photo=photo,
        src=_url_of(photo, processed, middle.name, photo_path),
        width=middle.width,
        height=middle.height,
        sources=sources,
        crops={
            crop.name.removesuffix(".jpg"): _url_of(photo, processed, crop.name, photo_path)
            for crop in processed.crops
        },
    )


def prepare_photos(generator) -> None:
    settings = generator.settings
    photo_settings = PhotoSettings.from_pelican(settings)
    project_root = Path(settings["PATH"]).parent
    photo_root = Path(settings["PATH"]) / settings["PHOTO_PATH"]
    cache = PhotoCache(
        Path(settings.get("PHOTO_CACHE_PATH") or project_root / "cache" / "photos"), photo_settings
    )

    articles = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    jobs = {
        (id(article), index): Job(
            photo_root / photo.file, cache.key(photo_root / photo.file, photo.credit), photo.credit
        )
        for article in articles
        for index, photo in enumerate(article.photos)
    }
    results, processed = process_all(list(jobs.values()), cache)
    cache.save_index()
    logger.info(
        "Photos: %d processed, %d reused from the cache", processed, len(results) - processed
    )

    problems = generator.context.setdefault("content_problems", [])
    outputs = generator.context.setdefault("photo_outputs", {})
    # Every photo is checked; only those of articles that are published (or, in the
    # preview, shown) are copied into the output.
    written = {id(article) for article in generator.articles}
    for article in articles:
        renditions = []
        for index, photo in enumerate(article.photos):
            outcome = results[jobs[id(article), index].key]
            if isinstance(outcome, str):
                path = Path(article.source_path).relative_to(project_root).as_posix()
                problems.append(Problem(path, f"photos[{index}].file", f"{photo.file!r} {outcome}"))
                renditions.append(None)
                continue
            entry = cache.entry(outcome.key)
            for derivative in (*outcome.derivatives, *outcome.crops):
                if id(article) in written:
                    url = _url_of(photo, outcome, derivative.name, settings["PHOTO_PATH"])
                    outputs[url] = entry / derivative.name
            renditions.append(
                rendition(photo, outcome, settings["PHOTO_PATH"], photo_settings.formats)
            )
        article.photo_renditions = renditions


class PhotosGenerator(Generator):
    """Copies the derivatives the pages use from the cache into the output."""

    def generate_output(self, writer) -> None:
        output = Path(self.output_path)
        for url, cached in sorted(self.context.get("photo_outputs", {}).items()):
            target = output / url
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(cached, target)
            except OSError:
                shutil.copyfile(cached, target)


def photos_generator(_pelican):
    return PhotosGenerator


def register() -> None:
    signals.article_generator_pretaxonomy.connect(prepare_photos)
    signals.get_generators.connect(photos_generator)
