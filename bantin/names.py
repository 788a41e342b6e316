"""Names that denote one thing however they are spelled: tags, reporters, people, bodies.

Every feature that lists things by name (taxonomy pages, people pages, search facets,
feeds) takes its display names and URL slugs from here, so they always agree.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bantin.vietnamese import identity_key, slugify, sort_key


@dataclass(frozen=True)
class Name:
    key: str
    display: str
    slug: str


def resolve_names(occurrences: Iterable[tuple[str, object]]) -> tuple[dict[str, Name], list[str]]:
    """From (spelling, date) pairs, one Name per identity, and a note for each slug clash.

    The display name is the spelling used most often, ties going to the newest use.
    ASCII slugs merge different words ("hội thảo" and "hội thao" are both hoi-thao);
    such identities keep distinct slugs, numbered in Vietnamese alphabetical order.
    """
    spellings: dict[str, Counter] = defaultdict(Counter)
    newest: dict[tuple[str, str], object] = {}
    for written, date in occurrences:
        spelling = " ".join(written.split())
        key = identity_key(spelling)
        spellings[key][spelling] += 1
        if (key, spelling) not in newest or newest[key, spelling] < date:
            newest[key, spelling] = date

    displays = {
        key: max(
            counts,
            key=lambda spelling, k=key, c=counts: (c[spelling], newest[k, spelling], spelling),
        )
        for key, counts in spellings.items()
    }
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key, display in displays.items():
        by_slug[slugify(display) or "khong-ten"].append(key)

    names, clashes = {}, []
    for slug, keys in sorted(by_slug.items()):
        keys.sort(key=lambda k: (sort_key(displays[k]), k))
        for number, key in enumerate(keys, start=1):
            unique = slug if number == 1 else f"{slug}-{number}"
            names[key] = Name(key, displays[key], unique)
        if len(keys) > 1:
            listed = ", ".join(f"{displays[k]!r} → {names[k].slug}" for k in keys)
            clashes.append(f"different names share the URL slug {slug!r}; kept apart as {listed}")
    return names, clashes
