"""People and organisations across all articles: who they are, whatever the spelling.

Two spellings are one person when their identity keys match (bantin.vietnamese). The
registry (content/nguoi-va-to-chuc.yaml) lets editors go further: aliases merge an
abbreviation, a misspelling or a former name into a name, and namesakes keep apart
different people who share a name (an article then says which one with `id`).

`build_directory` is the one place this is worked out; pages, feeds and search all
read the Directory it returns.
"""

import datetime as dt
import heapq
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bantin.articles import SLUG_PATTERN, WARNING, Problem, load_yaml
from bantin.names import resolve_names
from bantin.vietnamese import identity_key, nfc, person_sort_key, slugify, sort_key

PEOPLE = "people"
ORGANIZATIONS = "organizations"
REGISTRY_EXAMPLE = """\
organizations:
  aliases:
    VPQH: Văn phòng Quốc hội
people:
  aliases:
    Phạm T. Chinh: Phạm Thúy Chinh
  namesakes:
    - id: nguyen-van-hung-ha-noi
      name: Nguyễn Văn Hùng
      description: Phó Chủ tịch HĐND thành phố Hà Nội"""


@dataclass(frozen=True)
class Namesake:
    id: str
    name: str
    description: str | None = None


@dataclass(frozen=True)
class Alias:
    written: str  # as the registry writes it
    target: str  # the name, or namesake id, it stands for


@dataclass
class Registry:
    path: str = ""
    person_aliases: dict[str, Alias] = field(default_factory=dict)  # by identity key
    organization_aliases: dict[str, Alias] = field(default_factory=dict)
    namesakes: dict[str, Namesake] = field(default_factory=dict)  # by id

    def person_target(self, name: str) -> str:
        alias = self.person_aliases.get(identity_key(name))
        return alias.target if alias else name

    def organization_target(self, name: str) -> str:
        alias = self.organization_aliases.get(identity_key(name))
        return alias.target if alias else name

    def namesakes_called(self, name: str) -> list[Namesake]:
        key = identity_key(name)
        return [n for n in self.namesakes.values() if identity_key(n.name) == key]


@dataclass
class Appearance:
    """One article in which a person appears, and how."""

    article: Any
    role: str | None
    as_author: bool
    spelling: str


@dataclass
class Person:
    slug: str
    name: str
    description: str | None = None
    appearances: list[Appearance] = field(default_factory=list)


@dataclass
class Organization:
    slug: str
    name: str
    articles: list[Any] = field(default_factory=list)


@dataclass
class Directory:
    people: list[Person]  # in Vietnamese order: given name, then the rest
    organizations: list[Organization]  # in Vietnamese alphabetical order
    participants_of: dict[int, list[tuple[Any, Person]]]  # id(article) → (participant, person)
    authors_of: dict[int, list[tuple[Any, Person]]]
    organizations_of: dict[int, list[tuple[str, Organization]]]

    def people_of(self, article) -> set[str]:
        return {person.slug for _, person in self.participants_of.get(id(article), ())} | {
            person.slug for _, person in self.authors_of.get(id(article), ())
        }


def _issue(problems: list[Problem], path: str, where: str, message: str) -> None:
    problems.append(Problem(path, where, message))


def load_registry(file: Path, display_path: str) -> tuple[Registry, list[Problem]]:
    """Read the registry; a missing file is an empty registry."""
    registry, problems = Registry(path=display_path), []
    if not file.exists():
        return registry, problems
    try:
        data, duplicates = load_yaml(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        _issue(problems, display_path, "", f"is not UTF-8 text ({error}); expected a UTF-8 file")
        return registry, problems
    except yaml.YAMLError as error:
        _issue(problems, display_path, "", f"is not valid YAML: {error}")
        return registry, problems
    for key, line in duplicates:
        _issue(
            problems,
            display_path,
            str(key),
            f"is written twice (again on line {line + 1}); expected each entry once",
        )
    if data is None:
        return registry, problems
    if not isinstance(data, dict):
        _issue(
            problems,
            display_path,
            "",
            f"expected sections 'people' and 'organizations', like:\n{REGISTRY_EXAMPLE}",
        )
        return registry, problems
    for key in data:
        if key not in (PEOPLE, ORGANIZATIONS):
            _issue(
                problems,
                display_path,
                str(key),
                "unknown section; expected 'people' or 'organizations'",
            )
    for section, allowed in ((PEOPLE, ("aliases", "namesakes")), (ORGANIZATIONS, ("aliases",))):
        content = data.get(section) or {}
        if not isinstance(content, dict):
            _issue(problems, display_path, section, f"expected the keys {', '.join(allowed)}")
            continue
        for key in content:
            if key not in allowed:
                _issue(
                    problems,
                    display_path,
                    f"{section}.{key}",
                    f"unknown key; expected {', '.join(allowed)}",
                )
        target = registry.person_aliases if section == PEOPLE else registry.organization_aliases
        _read_aliases(content.get("aliases"), f"{section}.aliases", target, display_path, problems)
    people = data.get(PEOPLE) if isinstance(data.get(PEOPLE), dict) else {}
    _read_namesakes(people.get("namesakes"), registry, display_path, problems)
    return registry, problems


def _read_aliases(
    raw: Any, where: str, aliases: dict[str, Alias], path: str, problems: list[Problem]
) -> None:
    if raw is None:
        return
    if not isinstance(raw, dict):
        _issue(
            problems,
            path,
            where,
            "expected lines 'ALIAS: NAME IT STANDS FOR', e.g. 'VPQH: Văn phòng Quốc hội'",
        )
        return
    for written, target in raw.items():
        if not isinstance(written, str | int) or not isinstance(target, str) or not target.strip():
            _issue(
                problems,
                path,
                f"{where}.{written}",
                "expected the name (or id) this alias stands for",
            )
            continue
        alias = Alias(nfc(str(written)).strip(), nfc(target).strip())
        key = identity_key(alias.written)
        claimed = aliases.get(key)
        if claimed and identity_key(claimed.target) != identity_key(alias.target):
            _issue(
                problems,
                path,
                f"{where}.{alias.written}",
                f"is claimed by both {claimed.target!r} and {alias.target!r}; expected one name per alias",
            )
        elif key == identity_key(alias.target):
            _issue(
                problems,
                path,
                f"{where}.{alias.written}",
                "stands for itself; spellings that differ only in tone marks, case or spaces are merged without an alias",
            )
        else:
            aliases[key] = alias
    for key, alias in list(aliases.items()):
        final = aliases.get(identity_key(alias.target))
        if final:
            _issue(
                problems,
                path,
                f"{where}.{alias.written}",
                f"stands for {alias.target!r}, which is itself an alias; expected the final name, {final.target!r}",
            )
            del aliases[key]


def _read_namesakes(raw: Any, registry: Registry, path: str, problems: list[Problem]) -> None:
    if raw is None:
        return
    if not isinstance(raw, list):
        _issue(
            problems,
            path,
            "people.namesakes",
            "expected a list of people with id, name and description",
        )
        return
    for index, item in enumerate(raw):
        where = f"people.namesakes[{index}]"
        if not isinstance(item, dict):
            _issue(problems, path, where, "expected id, name and description")
            continue
        for key in item:
            if key not in ("id", "name", "description"):
                _issue(
                    problems, path, f"{where}.{key}", "unknown key; expected id, name, description"
                )
        person_id, name = item.get("id"), item.get("name")
        if not isinstance(person_id, str) or not SLUG_PATTERN.match(person_id):
            _issue(
                problems,
                path,
                f"{where}.id",
                f"found {person_id!r}; expected an id of lower-case ASCII words joined by hyphens, e.g. {slugify(str(name or 'nguyen-van-a'))}-ha-noi",
            )
            continue
        if not isinstance(name, str) or not name.strip():
            _issue(problems, path, f"{where}.name", "missing; expected the person's full name")
            continue
        if person_id in registry.namesakes:
            _issue(
                problems,
                path,
                f"{where}.id",
                f"{person_id!r} is used twice; expected one id per person",
            )
            continue
        description = item.get("description")
        registry.namesakes[person_id] = Namesake(
            person_id, nfc(name).strip(), nfc(str(description)).strip() if description else None
        )


def _relative(article, project_root: Path) -> str:
    source = Path(article.source_path)
    return (
        source.relative_to(project_root).as_posix()
        if source.is_relative_to(project_root)
        else str(source)
    )


def build_directory(
    articles: list, registry: Registry, project_root: Path, all_articles: list | None = None
) -> tuple[Directory, list[Problem]]:
    """People and organisations of the published `articles`. `all_articles` (drafts
    included) are checked too, so that a draft's mistakes are caught before it is published."""
    problems: list[Problem] = []
    checked = all_articles if all_articles is not None else articles

    # Who each participant and author is: a namesake's id, or the identity of the name
    # after aliases. A person key is "id:ID" or "name:IDENTITY".
    person_keys: dict[tuple[int, str, int], str] = {}
    names_seen: set[str] = set()
    for article in checked:
        path = _relative(article, project_root)
        credits = [
            ("participants", article.participants),
            ("authors", getattr(article, "bylines", ())),
        ]
        for field_name, people in credits:
            for index, person in enumerate(people):
                names_seen.add(identity_key(person.name))
                key = _person_key(person, registry, path, f"{field_name}[{index}]", problems)
                person_keys[id(article), field_name, index] = key
    organizations_seen = {
        identity_key(name) for article in checked for name in article.organizations
    }

    for section, aliases, seen in (
        (PEOPLE, registry.person_aliases, names_seen),
        (ORGANIZATIONS, registry.organization_aliases, organizations_seen),
    ):
        for alias in aliases.values():
            if identity_key(alias.target) not in seen and alias.target not in registry.namesakes:
                problems.append(
                    Problem(
                        registry.path,
                        f"{section}.aliases.{alias.written}",
                        f"stands for {alias.target!r}, which no article names; expected a name used in an article{' or a namesake id' if section == PEOPLE else ''}",
                    )
                )

    # Display names and slugs: namesakes keep their ids; the others are named by use.
    occurrences: list[tuple[str, dt.datetime]] = []
    for article in articles:
        for field_name, people in (
            ("participants", article.participants),
            ("authors", getattr(article, "bylines", ())),
        ):
            for index, person in enumerate(people):
                key = person_keys[id(article), field_name, index]
                if key.startswith("name:"):
                    spelling = registry.person_target(person.name)
                    occurrences.append((spelling, article.date))
    names, clashes = resolve_names(occurrences)
    reserved = set(registry.namesakes)
    people: dict[str, Person] = {}
    for namesake in registry.namesakes.values():
        people[f"id:{namesake.id}"] = Person(namesake.id, namesake.name, namesake.description)
    for name in sorted(names.values(), key=lambda name: name.slug):
        slug = _free_slug(name.slug, reserved)
        if slug != name.slug:
            clashes.append(
                f"{name.display!r} would have the URL slug {name.slug!r} of a namesake in the registry; it gets {slug!r}"
            )
        reserved.add(slug)
        people[f"name:{name.key}"] = Person(slug, name.display)
    for clash in clashes:
        problems.append(Problem(registry.path or "content", "people", clash, WARNING))

    participants_of: dict[int, list] = defaultdict(list)
    authors_of: dict[int, list] = defaultdict(list)
    for article in sorted(articles, key=lambda article: article.date, reverse=True):
        for field_name, people_list, index_of in (
            ("participants", article.participants, participants_of),
            ("authors", getattr(article, "bylines", ()), authors_of),
        ):
            for index, credit in enumerate(people_list):
                person = people.get(person_keys[id(article), field_name, index])
                if person is None:
                    continue
                index_of[id(article)].append((credit, person))
                role = credit.role
                person.appearances.append(
                    Appearance(article, role, field_name == "authors", credit.name)
                )

    organizations, organizations_of, organization_clashes = _organizations(articles, registry)
    problems += [
        Problem(registry.path or "content", ORGANIZATIONS, clash, WARNING)
        for clash in organization_clashes
    ]
    directory = Directory(
        people=sorted(
            (p for p in people.values() if p.appearances),
            key=lambda p: (person_sort_key(p.name), p.slug),
        ),
        organizations=organizations,
        participants_of=dict(participants_of),
        authors_of=dict(authors_of),
        organizations_of=organizations_of,
    )
    return directory, problems


def _person_key(person, registry: Registry, path: str, where: str, problems: list[Problem]) -> str:
    if person.id:
        if person.id not in registry.namesakes:
            known = ", ".join(sorted(registry.namesakes)) or "none yet"
            problems.append(
                Problem(
                    path,
                    f"{where}.id",
                    f"{person.id!r} is not a person in {registry.path or 'the registry'}; expected one of its namesake ids ({known})",
                )
            )
            return f"name:{identity_key(person.name)}"
        return f"id:{person.id}"
    target = registry.person_target(person.name)
    if target in registry.namesakes:
        return f"id:{target}"
    namesakes = registry.namesakes_called(target)
    if namesakes:
        ids = ", ".join(n.id for n in namesakes)
        problems.append(
            Problem(
                path,
                f"{where}.id",
                f"missing: several people are called {person.name!r} in {registry.path}; expected 'id:' with one of {ids}",
            )
        )
        return f"id:{namesakes[0].id}"
    return f"name:{identity_key(target)}"


def _free_slug(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _organizations(
    articles: list, registry: Registry
) -> tuple[list[Organization], dict[int, list], list[str]]:
    canonical = registry.organization_target
    names, clashes = resolve_names(
        (canonical(name), article.date) for article in articles for name in article.organizations
    )
    organizations = {name.key: Organization(name.slug, name.display) for name in names.values()}
    organizations_of: dict[int, list] = {}
    for article in sorted(articles, key=lambda article: article.date, reverse=True):
        links = []
        for name in article.organizations:
            organization = organizations[identity_key(canonical(name))]
            if article not in organization.articles:
                organization.articles.append(article)
            links.append((name, organization))
        organizations_of[id(article)] = links
    ordered = sorted(organizations.values(), key=lambda o: (sort_key(o.name), o.slug))
    return ordered, organizations_of, clashes


def related_articles(directory: Directory, articles: list, limit: int = 4) -> dict[int, list]:
    """For each article, those sharing the most people, organisations or the event
    kind (one point each), most shared first, then the newest."""
    newest_first = sorted(articles, key=lambda article: article.date, reverse=True)
    # Articles are counted by their place in newest_first, so that the counting is done
    # by Counter in C: a body present in thousands of articles makes it the bulk of the work.
    place = {id(article): position for position, article in enumerate(newest_first)}
    kinds = [article.category.slug for article in newest_first]
    entities = [_entities(directory, article) for article in newest_first]
    by_entity: dict[str, list[int]] = defaultdict(list)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for position, article_entities in enumerate(entities):
        for entity in article_entities:
            by_entity[entity].append(position)
        by_kind[kinds[position]].append(position)

    related = {}
    for article in articles:
        own = place[id(article)]
        kind = kinds[own]
        shared: Counter = Counter()
        for entity in entities[own]:
            shared.update(by_entity[entity])
        scores = {other: count + (kinds[other] == kind) for other, count in shared.items()}
        # Every article of the same kind scores one point; of those sharing nothing
        # else, only the newest few can make the list.
        kind_only = (other for other in by_kind[kind] if other not in shared)
        for other in itertools.islice(kind_only, limit + 1):
            scores[other] = 1
        scores.pop(own, None)
        best = heapq.nsmallest(limit, scores, key=lambda other: (-scores[other], other))
        related[id(article)] = [newest_first[other] for other in best]
    return related


def _entities(directory: Directory, article) -> set[str]:
    people = {f"person:{slug}" for slug in directory.people_of(article)}
    return people | {
        f"organization:{o.slug}" for _, o in directory.organizations_of.get(id(article), ())
    }
