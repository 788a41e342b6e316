"""The build an archive is made from: a real build of the site, optionally cut to a period,
and the data of every article it published.

Two signal handlers are connected around the call to bantin.build (as bantin.build
itself does to stop a check after reading), so nothing changes for ordinary builds:

- ``article_generator_context`` (once per article read): an article dated outside the
  period is read and checked like any other, but made a draft. Drafts are not part of
  an archive, so the pages, feeds, search index and lists of a cut archive show only
  the period, while the people registry is still checked against every article (an
  alias used only in another year is not an error).
- ``article_generator_finalized`` (once, when every article is read): the data of each
  published article is taken from the same objects the pages are made from, and the
  photo files to copy are reduced to those of the published articles (drafts' photos
  are not part of the archive).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from pelican import signals

from bantin.build import build, load_settings

SITE_FOLDER = "site"  # where the site's files sit inside the archive


class ArchiveError(Exception):
    """The archive cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Period:
    """The days an archive covers, both ends included; None leaves an end open."""

    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self):
        if self.since and self.until and self.since > self.until:
            raise ArchiveError(f"the period starts ({self.since}) after it ends ({self.until})")

    @classmethod
    def from_options(
        cls, year: int | str | None = None, since: str | None = None, until: str | None = None
    ) -> "Period | None":
        """The period asked for on the command line (--year, or --since/--until as
        YYYY-MM-DD), or None for the whole site."""
        if year is not None and (since or until):
            raise ArchiveError("give either --year or --since/--until, not both")
        if year is not None:
            try:
                number = int(year)
                return cls(dt.date(number, 1, 1), dt.date(number, 12, 31))
            except ValueError:
                raise ArchiveError(f"--year {year!r}: expected a year, e.g. 2020") from None
        if not since and not until:
            return None
        return cls(_day(since, "--since"), _day(until, "--until"))

    def __contains__(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    @property
    def whole_year(self) -> int | None:
        if (
            self.since
            and self.until
            and self.since.year == self.until.year
            and (self.since.month, self.since.day) == (1, 1)
            and (self.until.month, self.until.day) == (12, 31)
        ):
            return self.since.year
        return None

    @property
    def slug(self) -> str:
        """The period in a file name: 2020, 20200301-20201231, tu-20200301, den-20201231."""
        if self.whole_year:
            return str(self.whole_year)
        if self.since and self.until:
            return f"{self.since:%Y%m%d}-{self.until:%Y%m%d}"
        if self.since:
            return f"tu-{self.since:%Y%m%d}"
        return f"den-{self.until:%Y%m%d}"

    def as_dict(self) -> dict:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ArchiveError(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


@dataclass(frozen=True)
class ArchiveBuild:
    """A site built for an archive."""

    output: Path
    site_url: str  # the public address the site is served at (no trailing slash)
    settings: dict  # the settings it was built with
    articles: tuple[dict, ...]  # one record per published article, oldest first
    period: Period | None

    @property
    def as_of(self) -> dt.datetime:
        """When the newest article was published or last corrected."""
        return max(
            dt.datetime.fromisoformat(moment)
            for article in self.articles
            for moment in (article["published"], article["modified"])
            if moment
        )


def _iso(moment: dt.datetime, has_time: bool = True) -> str:
    return moment.isoformat() if has_time else moment.date().isoformat()


def article_record(article, site_url: str, is_photo_file: Callable[[str], bool]) -> dict:
    """What MANIFEST.json says of one article, from Pelican's article object.
    is_photo_file tells which URLs of a photo's rendition are published files."""
    metadata = article.metadata
    modified = metadata.get("modified")
    return {
        "title": article.title,
        "date": _iso(article.date, metadata.get("date_has_time", True)),
        "published": article.date.isoformat(),
        "modified": modified.isoformat() if modified else None,
        "url": f"{site_url}/{article.url}",
        "file": f"{SITE_FOLDER}/{article.save_as}",
        "event": {"slug": article.event.slug, "label": article.event.label},
        "organizations": list(article.organizations),
        "location": article.location,
        "participants": [
            {
                "name": participant.name,
                "role": participant.role,
                "organization": participant.organization,
                "chair": participant.chair,
            }
            for participant in article.participants
        ],
        "authors": [{"name": byline.name, "role": byline.role} for byline in article.bylines],
        "tags": [tag.name for tag in getattr(article, "tags", ())],
        "source": article.source,
        "photos": [
            {
                "caption": photo.caption,
                "alt": photo.alt,
                "credit": photo.credit,
                "illustration": photo.illustration,
                "files": sorted(
                    f"{SITE_FOLDER}/{url}" for url in rendition_files(rendition, is_photo_file)
                ),
            }
            for photo, rendition in zip(
                article.photos, getattr(article, "photo_renditions", ()), strict=False
            )
        ],
    }


def rendition_files(rendition, is_photo_file: Callable[[str], bool]) -> set[str]:
    """Every file a photo is published as: the URLs in its rendition (plugins/photos:
    each width and format, the fallback, the crops) that are photo files. Read from
    the rendition's values, whatever their names, so new sizes are archived too."""
    return {value for value in _strings(rendition) if is_photo_file(value)}


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _strings(getattr(value, item.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


@contextmanager
def _archive_hooks(period: Period | None, site_url: str, records: list) -> Iterator[None]:
    def park_out_of_period(_generator, metadata) -> None:
        date = metadata.get("date")
        if (
            period is not None
            and metadata.get("status", "published") == "published"
            and isinstance(date, dt.datetime)
            and date.date() not in period
        ):
            metadata["status"] = "draft"

    def collect(generator) -> None:
        # The photos plugin copies context["photo_outputs"] (URL -> cached file) into the
        # output after this signal: keep only the published articles' photos.
        outputs = generator.context.get("photo_outputs")
        photo_path = generator.settings.get("PHOTO_PATH", "anh").strip("/") + "/"
        is_photo_file = (
            outputs.__contains__ if outputs is not None else lambda url: url.startswith(photo_path)
        )
        published = sorted(generator.articles, key=lambda article: (article.date, article.url))
        records[:] = [article_record(article, site_url, is_photo_file) for article in published]
        if outputs is not None:
            wanted = {
                url
                for article in published
                for rendition in getattr(article, "photo_renditions", ())
                for url in rendition_files(rendition, is_photo_file)
            }
            for url in set(outputs) - wanted:
                del outputs[url]

    with ExitStack() as stack:
        stack.enter_context(signals.article_generator_context.connected_to(park_out_of_period))
        stack.enter_context(signals.article_generator_finalized.connected_to(collect))
        yield


def build_for_archive(
    settings_file: Path, output: Path, period: Period | None = None, overrides: dict | None = None
) -> ArchiveBuild:
    """Build the site for an archive into output: the project's settings, with the
    public address kept for feeds and the WARC but pages linked root-relative
    (SITEURL ""), no drafts, and only the articles dated in period."""
    settings = load_settings(settings_file, overrides)
    site_url = (settings.get("SITEURL") or settings.get("FEED_DOMAIN") or "").rstrip("/")
    if not site_url.startswith(("http://", "https://")):
        raise ArchiveError(
            f"{settings_file.name}: SITEURL (or FEED_DOMAIN) must be the site's public "
            f"address, e.g. https://bantin.example.vn; found {site_url!r}"
        )
    # The search index is reused from a cache when its documents are unchanged (Pagefind
    # writes different bytes for the same input, so reuse keeps archives byte-identical);
    # each period keeps its own, so that cutting a year does not evict the site's index.
    search_cache = settings.get("SEARCH_CACHE_PATH") or (
        Path(settings["PATH"]).parent / "cache" / "search"
    )
    archive_overrides = {
        "SEARCH_CACHE_PATH": str(
            Path(f"{search_cache}-archive") / (period.slug if period else "all")
        ),
        **(overrides or {}),
        "SITEURL": "",
        "FEED_DOMAIN": settings.get("FEED_DOMAIN") or site_url,
        "RELATIVE_URLS": False,
        "DRAFT_SAVE_AS": "",  # drafts are never archived (plugins/drafts: nor shown)
        "SHOW_DRAFTS": False,
        "OUTPUT_PATH": str(output),
    }
    records: list[dict] = []
    with _archive_hooks(period, site_url, records):
        built = build(settings_file, output, archive_overrides)
    if not records:
        where = f" between {period.since or '…'} and {period.until or '…'}" if period else ""
        raise ArchiveError(f"no published article{where}: nothing to archive")
    return ArchiveBuild(
        output=built,
        site_url=site_url,
        settings=settings,
        articles=tuple(records),
        period=period,
    )
