"""The article model: the front matter an editor writes, validated into typed data.

Validation never stops at the first problem: `parse_front_matter` returns every
problem it finds, each naming the file, the field (with its list index) and what was
expected, together with best-effort values so that the rest of the build can go on
collecting problems in other files.
"""

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bantin.vietnamese import identity_key, nfc, slugify

ERROR = "error"
WARNING = "warning"
SLUG_MAX_LENGTH = 80
STATUSES = ("published", "draft")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
DATE_EXPECTED = "an ISO 8601 date, e.g. 2020-12-25 or 2020-12-25T11:52 (or with an offset: +07:00)"


@dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}: {self.field}" if self.field else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The content cannot be published as it is; the message lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the content:\n{listed}")


@dataclass(frozen=True)
class EventKind:
    slug: str
    label: str


@dataclass(frozen=True)
class Participant:
    name: str
    role: str
    organization: str | None = None
    chair: bool = False
    id: str | None = None  # which of several people of this name (the registry's id)


@dataclass(frozen=True)
class Photo:
    file: str
    caption: str
    alt: str
    credit: str | None = None
    illustration: bool = False


@dataclass(frozen=True)
class Byline:
    """A reporter or a signatory; officials who sign an op-ed sign with their role."""

    name: str
    role: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ModelSettings:
    """What validation needs from the site settings, read once per build."""

    event_kinds: tuple[EventKind, ...]
    timezone: ZoneInfo
    photo_root: Path
    photo_folder: str = "content/anh"  # photo_root as editors know it, for messages

    @classmethod
    def from_pelican(cls, settings: dict) -> "ModelSettings":
        kinds = settings.get("EVENT_KINDS")
        if not isinstance(kinds, dict) or not kinds:
            raise ValueError("EVENT_KINDS must map slugs to labels, e.g. {'hoi-nghi': 'Hội nghị'}")
        for slug in kinds:
            if not SLUG_PATTERN.match(slug):
                raise ValueError(f"EVENT_KINDS: {slug!r} is not a lower-case ASCII slug")
        return cls(
            event_kinds=tuple(EventKind(slug, nfc(label)) for slug, label in kinds.items()),
            timezone=ZoneInfo(settings["TIMEZONE"]),
            photo_root=Path(settings["PATH"]) / settings.get("PHOTO_PATH", "anh"),
            photo_folder=f"{Path(settings['PATH']).name}/{settings.get('PHOTO_PATH', 'anh')}",
        )

    def event_kind(self, value: str) -> EventKind | None:
        key = identity_key(value)
        for kind in self.event_kinds:
            if key in (identity_key(kind.label), kind.slug):
                return kind
        return None


@dataclass
class FrontMatter:
    title: str
    slug: str
    date: dt.datetime
    date_has_time: bool
    event: EventKind
    organizations: tuple[str, ...]
    modified: dt.datetime | None = None
    location: str | None = None
    participants: tuple[Participant, ...] = ()
    photos: tuple[Photo, ...] = ()
    authors: tuple[Byline, ...] = ()
    source: str | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    status: str = "published"
    problems: list[Problem] = field(default_factory=list)
    # (file, whether it existed) for each photo file named: reading depends on them too.
    photo_checks: tuple[tuple[str, bool], ...] = ()


FIELDS = {
    "title": "the headline, as published",
    "slug": "optional: the ASCII part of the URL",
    "date": "when it was published",
    "modified": "optional: when it was last corrected",
    "event": "the kind of event",
    "organizations": "the bodies involved",
    "location": "optional: where",
    "participants": "optional: the people named with a role",
    "photos": "optional: the photos",
    "authors": "optional: the reporters",
    "source": "optional: where it was first published",
    "summary": "optional: the lead",
    "tags": "optional: topics",
    "status": "optional: published or draft",
}
PARTICIPANT_FIELDS = ("name", "role", "organization", "chair", "id")
PHOTO_FIELDS = ("file", "caption", "alt", "credit", "illustration")
BYLINE_FIELDS = ("name", "role", "id")


class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML as editors mean it: dates stay text (we parse them with clear errors) and a
    key written twice is an error instead of silently keeping the last one. libyaml's
    parser when PyYAML has it: ten times faster than the pure-Python one."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: "_TextLoader", node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            loader.duplicates.append((key, key_node.start_mark.line))
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_TextLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(block: str) -> tuple[Any, list[tuple[Any, int]]]:
    """The data of a YAML block, and each (key, 0-based line) written a second time."""
    loader = _TextLoader(block)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(YAML block or None, Markdown body). The block sits between two '---' lines."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None, text


class _Checker:
    """Collects problems for one file while reading its fields."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.path, field_name, message))

    def warning(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.path, field_name, message, WARNING))

    def text(self, value: Any, name: str, *, required: bool, expected: str) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(name, f"missing or empty; expected {expected}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(name, f"found {_describe(value)}; expected {expected}")
            return None
        text = str(value).strip()
        if not unicodedata.is_normalized("NFC", text):
            self.warning(
                name, "text was not in Unicode NFC; it was normalised (the file is unchanged)"
            )
            text = nfc(text)
        return text

    def person_id(self, value: Any, name: str) -> str | None:
        text = self.text(value, name, required=False, expected="a person's id from the registry")
        if text is not None and not SLUG_PATTERN.match(text):
            self.error(
                name,
                f"found {text!r}; expected an id from the registry: lower-case ASCII words joined by hyphens",
            )
            return None
        return text

    def flag(self, value: Any, name: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(name, f"found {_describe(value)}; expected true or false")
            return False
        return value

    def text_list(
        self, value: Any, name: str, *, required: bool, expected: str, commas: bool = False
    ) -> tuple[str, ...]:
        """A list, or one item written as plain text; with commas, plain text is split at
        commas, as Pelican reads tags ("tags: công đoàn, thi đua")."""
        if value is None:
            if required:
                self.error(name, f"missing; expected a list of {expected}")
            return ()
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()] if commas else [value]
        if not isinstance(value, list):
            self.error(name, f"found {_describe(value)}; expected a list of {expected}")
            return ()
        if required and not value:
            self.error(name, f"empty; expected at least one of {expected}")
        items = (
            self.text(item, f"{name}[{i}]", required=True, expected=expected)
            for i, item in enumerate(value)
        )
        return tuple(item for item in items if item is not None)

    def mapping_list(
        self, value: Any, name: str, allowed: tuple[str, ...], expected: str
    ) -> list[tuple[str, dict]]:
        """The (field name, mapping) of each valid item; unknown keys are reported."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(name, f"found {_describe(value)}; expected a list of {expected}")
            return []
        items = []
        for index, item in enumerate(value):
            item_name = f"{name}[{index}]"
            if not isinstance(item, dict):
                self.error(
                    item_name,
                    f"found {_describe(item)}; expected {expected} with the fields {', '.join(allowed)}",
                )
                continue
            for key in item:
                if key not in allowed:
                    self.error(f"{item_name}.{key}", _unknown_field_message(key, allowed))
            items.append((item_name, item))
        return items

    def date(
        self, value: Any, name: str, timezone: ZoneInfo, *, required: bool
    ) -> tuple[dt.datetime | None, bool]:
        if value is None or value == "":
            if required:
                self.error(name, f"missing; expected {DATE_EXPECTED}")
            return None, False
        text = str(value).strip()
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(name, f"found {_describe(value)}; expected {DATE_EXPECTED}")
            return None, False
        try:
            if _ISO_DATE.match(text):
                day = dt.date.fromisoformat(text)
                return dt.datetime(day.year, day.month, day.day, tzinfo=timezone), False
            if _ISO_DATETIME.match(text):
                moment = dt.datetime.fromisoformat(text)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=timezone)
                return moment, True
        except ValueError as error:
            self.error(
                name,
                f"found {text!r}, which is not a real date or time ({error}); expected {DATE_EXPECTED}",
            )
            return None, False
        self.error(name, f"found {text!r}; expected {DATE_EXPECTED}")
        return None, False


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    return f"{value!r}"


def _unknown_field_message(key: Any, allowed) -> str:
    suggestion = difflib.get_close_matches(str(key), list(allowed), n=1, cutoff=0.6)
    hint = f"did you mean {suggestion[0]!r}? " if suggestion else ""
    return f"unknown field; {hint}expected one of: {', '.join(allowed)}"


def parse_front_matter(raw: Any, *, path: str, settings: ModelSettings) -> FrontMatter:
    """Validate the YAML data of one article. Always returns a FrontMatter; its
    `problems` say whether the values can be trusted."""
    check = _Checker(path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        check.error(
            "",
            f"the front matter is {_describe(raw)}; expected fields such as 'title: ...', one per line",
        )
        raw = {}
    for key in raw:
        if key not in FIELDS:
            check.error(str(key), _unknown_field_message(key, FIELDS))

    title = check.text(raw.get("title"), "title", required=True, expected="the article's headline")
    slug = check.text(
        raw.get("slug"), "slug", required=False, expected="lower-case ASCII words joined by hyphens"
    )
    if slug is not None and not SLUG_PATTERN.match(slug):
        check.error(
            "slug",
            f"found {slug!r}; expected lower-case ASCII letters and digits joined by hyphens, e.g. {slugify(slug)!r}",
        )
        slug = None
    slug = slug or slugify(title or Path(path).stem, SLUG_MAX_LENGTH) or "bai-viet"

    date, date_has_time = check.date(raw.get("date"), "date", settings.timezone, required=True)
    modified, _ = check.date(raw.get("modified"), "modified", settings.timezone, required=False)
    if date and modified and modified < date:
        check.error(
            "modified",
            f"{modified.isoformat()} is earlier than the date {date.isoformat()}; expected a later time",
        )

    kind_names = ", ".join(kind.label.lower() for kind in settings.event_kinds)
    event_text = check.text(
        raw.get("event"), "event", required=True, expected=f"one of: {kind_names}"
    )
    event = settings.event_kind(event_text) if event_text else None
    if event_text and event is None:
        check.error(
            "event",
            f"found {event_text!r}, which is not a known kind of event; expected one of: {kind_names}",
        )

    status = (
        check.text(raw.get("status"), "status", required=False, expected=" or ".join(STATUSES))
        or "published"
    )
    if status not in STATUSES:
        check.error("status", f"found {status!r}; expected {' or '.join(STATUSES)}")
        status = "draft"

    participants = []
    for name, item in check.mapping_list(
        raw.get("participants"), "participants", PARTICIPANT_FIELDS, "people"
    ):
        person = check.text(
            item.get("name"), f"{name}.name", required=True, expected="the person's full name"
        )
        role = check.text(
            item.get("role"),
            f"{name}.role",
            required=True,
            expected="the person's role, e.g. Phó Chủ tịch HĐND tỉnh",
        )
        organization = check.text(
            item.get("organization"),
            f"{name}.organization",
            required=False,
            expected="an organisation's name",
        )
        chair = check.flag(item.get("chair"), f"{name}.chair")
        person_id = check.person_id(item.get("id"), f"{name}.id")
        if person and role:
            participants.append(Participant(person, role, organization, chair, person_id))

    photos = []
    photo_checks = []
    for name, item in check.mapping_list(raw.get("photos"), "photos", PHOTO_FIELDS, "photos"):
        file = check.text(
            item.get("file"),
            f"{name}.file",
            required=status != "draft",
            expected=f"a path inside {settings.photo_folder}/",
        )
        caption = check.text(
            item.get("caption"),
            f"{name}.caption",
            required=True,
            expected="a caption, as published",
        )
        alt = check.text(
            item.get("alt"),
            f"{name}.alt",
            required=True,
            expected="a short description of the photo for readers who cannot see it",
        )
        credit = check.text(
            item.get("credit"), f"{name}.credit", required=False, expected="the photographer's name"
        )
        illustration = check.flag(item.get("illustration"), f"{name}.illustration")
        exists = bool(file) and photo_exists(settings.photo_root, file)
        if file:
            photo_checks.append((file, exists))
        if status == "draft" and not exists:
            # An imported or unfinished article may name a photo before it is supplied.
            check.warning(
                f"{name}.file",
                f"{file or 'no file'!r} is still to be supplied in {settings.photo_folder}/; the article cannot be published before it is",
            )
            file = None
        elif file and not exists:
            check.error(
                f"{name}.file",
                f"{file!r} does not exist; expected an image file in {settings.photo_folder}/",
            )
            file = None
        if file and caption and alt:
            photos.append(Photo(file, caption, alt, credit, illustration))

    authors = []
    raw_authors = raw.get("authors")
    if isinstance(raw_authors, str):
        raw_authors = [raw_authors]
    if raw_authors is not None and not isinstance(raw_authors, list):
        check.error("authors", f"found {_describe(raw_authors)}; expected a list of names")
        raw_authors = None
    for index, item in enumerate(raw_authors or []):
        name = f"authors[{index}]"
        if isinstance(item, dict):
            for key in item:
                if key not in BYLINE_FIELDS:
                    check.error(f"{name}.{key}", _unknown_field_message(key, BYLINE_FIELDS))
            author = check.text(
                item.get("name"), f"{name}.name", required=True, expected="the author's name"
            )
            role = check.text(
                item.get("role"), f"{name}.role", required=False, expected="the author's role"
            )
            person_id = check.person_id(item.get("id"), f"{name}.id")
        else:
            author = check.text(
                item, name, required=True, expected="the author's name, or name and role"
            )
            role = person_id = None
        if author:
            authors.append(Byline(author, role, person_id))

    return FrontMatter(
        title=title or Path(path).stem,
        slug=slug,
        date=date or dt.datetime(1970, 1, 1, tzinfo=settings.timezone),
        date_has_time=date_has_time,
        modified=modified,
        event=event or settings.event_kinds[0],
        organizations=check.text_list(
            raw.get("organizations"), "organizations", required=True, expected="organisation names"
        ),
        location=check.text(raw.get("location"), "location", required=False, expected="a place"),
        participants=tuple(participants),
        photos=tuple(photos),
        authors=tuple(authors),
        source=check.text(
            raw.get("source"), "source", required=False, expected="a source, e.g. Chinhphu.vn"
        ),
        summary=check.text(
            raw.get("summary"), "summary", required=False, expected="the lead paragraph"
        ),
        tags=check.text_list(
            raw.get("tags"), "tags", required=False, expected="topic names", commas=True
        ),
        status=status,
        problems=check.problems,
        photo_checks=tuple(photo_checks),
    )


def photo_exists(root: Path, file: str) -> bool:
    candidate = (root / file).resolve()
    return candidate.is_relative_to(root.resolve()) and candidate.is_file()


def read_article_source(
    data: bytes, *, path: str, settings: ModelSettings
) -> tuple[FrontMatter, str]:
    """Decode, normalise and validate one article file: (front matter, Markdown body)."""
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(
            Problem(
                path,
                "",
                f"is not UTF-8 text (byte {error.start}); expected a UTF-8 file. Old bulletins in other encodings can be converted with './dev import'",
            )
        )
        text = data.decode("utf-8", errors="replace")
    block, body = split_front_matter(text)
    raw: Any = None
    # The YAML block starts on the file's second line: block line n is file line n + 2 (0-based n).
    if block is None:
        problems.append(
            Problem(
                path,
                "",
                "has no front matter; expected the file to start with a '---' line, the fields, and another '---' line",
            )
        )
    else:
        try:
            raw, duplicates = load_yaml(block)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark else ""
            problems.append(
                Problem(
                    path,
                    "",
                    f"the front matter is not valid YAML{where}: {getattr(error, 'problem', None) or error}",
                )
            )
        else:
            problems += [
                Problem(
                    path,
                    str(key),
                    f"is written twice (again on line {line + 2}); expected each field once",
                )
                for key, line in duplicates
            ]
    front_matter = parse_front_matter(raw, path=path, settings=settings)
    if raw is None and problems:
        # Without readable fields, "missing" reports for each of them would only be noise.
        front_matter.problems.clear()
    if not unicodedata.is_normalized("NFC", body):
        problems.append(
            Problem(
                path,
                "body",
                "text was not in Unicode NFC; it was normalised (the file is unchanged)",
                WARNING,
            )
        )
        body = nfc(body)
    front_matter.problems[:0] = problems
    return front_matter, body
