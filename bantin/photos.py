"""Photos as a newsroom publishes them: several widths and formats, upright, in sRGB,
and carrying no camera or location data.

Derivatives are cached by the source's content and the settings that shape them, so
an image is processed once per change, however often the site is built. Finding a
source's content hash reads the whole file; a small index of (size, mtime) per path
spares that read when the file has not been touched.
"""

import hashlib
import html
import io
import json
import os
import shutil
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}
# The only metadata a published photo may carry is its credit, as XMP (UTF-8: EXIF's
# text fields are ASCII and would garble Vietnamese names).
XMP_CREDIT = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:creator><rdf:Seq><rdf:li>{credit}</rdf:li></rdf:Seq></dc:creator>"
    '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{credit}</rdf:li></rdf:Alt></dc:rights>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)


class PhotoError(Exception):
    """A source image that cannot be published; the message says why."""


@dataclass(frozen=True)
class PhotoSettings:
    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = ("avif", "webp", "jpeg")  # best first; the last is the fallback
    quality: tuple[tuple[str, int], ...] = (("avif", 55), ("webp", 80), ("jpeg", 82))
    # Cropped copies: the social card (Open Graph) and the ratios search engines ask for
    # in structured data.
    crops: tuple[tuple[str, int, int], ...] = (
        ("card", 1200, 630),
        ("16x9", 1200, 675),
        ("4x3", 1200, 900),
        ("1x1", 1200, 1200),
    )
    max_pixels: int = 50_000_000
    credit_in_file: bool = True

    @classmethod
    def from_pelican(cls, settings: dict) -> "PhotoSettings":
        defaults = cls()
        formats = tuple(settings.get("PHOTO_FORMATS", defaults.formats))
        unknown = [f for f in formats if f not in MIME_TYPES]
        if unknown or not formats or formats[-1] != "jpeg":
            raise ValueError(
                f"PHOTO_FORMATS: expected some of {list(MIME_TYPES)} ending with 'jpeg', found {list(formats)}"
            )
        widths = tuple(
            sorted(int(width) for width in settings.get("PHOTO_WIDTHS", defaults.widths))
        )
        if not widths or widths[0] < 16:
            raise ValueError(f"PHOTO_WIDTHS: expected widths in pixels, found {list(widths)}")
        return cls(
            widths=widths,
            # A format this Pillow cannot write is left out rather than failing the build.
            formats=tuple(f for f in formats if f == "jpeg" or features.check(f)),
            crops=tuple(tuple(crop) for crop in settings.get("PHOTO_CROPS", defaults.crops)),
            max_pixels=int(settings.get("PHOTO_MAX_PIXELS", defaults.max_pixels)),
            credit_in_file=bool(settings.get("PHOTO_CREDIT_IN_FILE", defaults.credit_in_file)),
        )

    def fingerprint(self) -> str:
        """Changes whenever the derivatives of a given source would change."""
        recipe = json.dumps([asdict(self), PIL.__version__], sort_keys=True)
        return hashlib.sha256(recipe.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Derivative:
    name: str  # file name inside the cache entry
    format: str
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    """A cache entry: the derivatives of one source with one set of settings."""

    key: str
    width: int
    height: int
    derivatives: tuple[Derivative, ...]
    crops: tuple[Derivative, ...]

    def by_format(self, fmt: str) -> list[Derivative]:
        return [d for d in self.derivatives if d.format == fmt]


def _open_upright(source: Path, settings: PhotoSettings) -> Image.Image:
    try:
        with Image.open(source) as probe:
            width, height = probe.size
            if width * height > settings.max_pixels:
                raise PhotoError(
                    f"is {width}×{height} = {width * height:,} pixels, more than the limit of "
                    f"{settings.max_pixels:,} (PHOTO_MAX_PIXELS); expected a smaller image"
                )
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except PhotoError:
        raise
    except UnidentifiedImageError:
        raise PhotoError(
            "is not an image Pillow can read; expected a JPEG, PNG, WebP or similar photo"
        ) from None
    except Image.DecompressionBombError as error:
        raise PhotoError(f"is too large to open safely ({error})") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoError(
            f"is damaged or truncated ({error}); expected a complete image file"
        ) from None
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(
                image, source_profile, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: the pixels are taken as they are
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    # Nothing of the source's metadata travels on: no EXIF, GPS, XMP or camera data.
    image.info = {}
    return image


def _credit_xmp(credit: str | None, settings: PhotoSettings) -> bytes:
    if not (credit and settings.credit_in_file):
        return b""
    return XMP_CREDIT.format(credit=html.escape(credit)).encode("utf-8")


def _save(image: Image.Image, path: Path, fmt: str, settings: PhotoSettings, xmp: bytes) -> None:
    quality = dict(settings.quality).get(fmt, 80)
    options = {
        "avif": {"quality": quality, "speed": 6},
        "webp": {"quality": quality, "method": 4},
        "jpeg": {"quality": quality, "optimize": True, "progressive": True},
    }[fmt]
    if xmp:
        options["xmp"] = xmp
    image.save(path, fmt.upper(), **options)


def target_widths(source_width: int, widths: tuple[int, ...]) -> list[int]:
    """The configured widths below the source's, and the source's own width when it is
    smaller than the largest: photos are never enlarged."""
    return sorted({min(width, source_width) for width in widths})


def process(
    source: Path, entry: Path, key: str, credit: str | None, settings: PhotoSettings
) -> Processed:
    """Write the derivatives of source into the cache folder entry (atomically)."""
    image = _to_srgb(_open_upright(source, settings))
    xmp = _credit_xmp(credit, settings)
    scratch = entry.with_name(f".{entry.name}.{uuid.uuid4().hex[:8]}")
    scratch.mkdir(parents=True)
    derivatives = []
    for width in target_widths(image.width, settings.widths):
        height = round(image.height * width / image.width)
        resized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        for fmt in settings.formats:
            name = f"{width}.{EXTENSIONS[fmt]}"
            _save(resized, scratch / name, fmt, settings, xmp)
            derivatives.append(Derivative(name, fmt, width, height))
    crops = []
    for name, width, height in settings.crops:
        crop = Derivative(f"{name}.jpg", "jpeg", width, height)
        _save(
            ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS),
            scratch / crop.name,
            "jpeg",
            settings,
            xmp,
        )
        crops.append(crop)
    processed = Processed(key, image.width, image.height, tuple(derivatives), tuple(crops))
    (scratch / "entry.json").write_text(json.dumps(asdict(processed)), encoding="utf-8")
    try:
        scratch.rename(entry)
    except OSError:  # another build stored the same entry first
        shutil.rmtree(scratch, ignore_errors=True)
    return processed


def _load_entry(entry: Path) -> Processed | None:
    try:
        data = json.loads((entry / "entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Processed(
        data["key"],
        data["width"],
        data["height"],
        tuple(Derivative(**d) for d in data["derivatives"]),
        tuple(Derivative(**d) for d in data["crops"]),
    )


class PhotoCache:
    """Derivatives by content key, in cache_dir; sources' hashes by (size, mtime)."""

    def __init__(self, cache_dir: Path, settings: PhotoSettings):
        self.dir = cache_dir
        self.settings = settings
        self.fingerprint = settings.fingerprint()
        self.index_file = cache_dir / "sources.json"
        try:
            self.index = json.loads(self.index_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.index = {}

    def key(self, source: Path, credit: str | None) -> str:
        stat = source.stat()
        known = self.index.get(str(source))
        if known and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            digest = known[2]
        else:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            self.index[str(source)] = [stat.st_size, stat.st_mtime_ns, digest]
        credit_part = credit if self.settings.credit_in_file else ""
        return hashlib.sha256(f"{digest}|{self.fingerprint}|{credit_part}".encode()).hexdigest()[
            :32
        ]

    def entry(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def lookup(self, key: str) -> Processed | None:
        return _load_entry(self.entry(key))

    def save_index(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        scratch = self.index_file.with_name(f".sources.{uuid.uuid4().hex[:8]}.json")
        scratch.write_text(json.dumps(self.index, sort_keys=True), encoding="utf-8")
        scratch.replace(self.index_file)


@dataclass(frozen=True)
class Job:
    source: Path
    key: str
    credit: str | None


def _run_job(job: Job, entry: Path, settings: PhotoSettings) -> Processed | str:
    try:
        return process(job.source, entry, job.key, job.credit, settings)
    except PhotoError as error:
        return str(error)


def process_all(
    jobs: list[Job], cache: PhotoCache, workers: int | None = None
) -> tuple[dict[str, Processed | str], int]:
    """Process the jobs not in the cache, in parallel on all cores. Returns, by key,
    the entry or the reason the source cannot be published; and how many images were
    processed."""
    results: dict[str, Processed | str] = {}
    todo = []
    for job in jobs:
        if job.key in results:
            continue
        cached = cache.lookup(job.key)
        if cached:
            results[job.key] = cached
        else:
            results[job.key] = None  # placeholder, keeps one job per key
            todo.append(job)
    workers = min(workers or os.cpu_count() or 1, len(todo))
    entries = [cache.entry(job.key) for job in todo]
    for entry in entries:
        entry.parent.mkdir(parents=True, exist_ok=True)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_run_job, todo, entries, [cache.settings] * len(todo)))
    else:
        outcomes = [
            _run_job(job, entry, cache.settings) for job, entry in zip(todo, entries, strict=True)
        ]
    for job, outcome in zip(todo, outcomes, strict=True):
        results[job.key] = outcome
    return results, len(todo)
