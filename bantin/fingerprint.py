"""Digests of what a page shows, so that a page whose digest did not change since the
last build need not be rendered again.

A page shows the values its templates name (see template_variables), and whatever
those values reach. Following every reference would make each page depend on the
whole site (an article links its people, who list all their articles, which link their
people…), so references are cut where a page stops showing them:

- an article that is itself a value shown (the article of an article page, an entry
  of a feed) counts in full: its text and metadata, and what other articles or people
  it links to, in their short form;
- an article reached from a value (the articles of a list, a person's appearances, an
  article's related articles and neighbours) counts in short form: what a card or a
  link shows, i.e. its own fields but its body, its revision time and those that lead
  to other articles;
- a person or organisation reached from an article (a participant's link) counts by its
  slug and name, what a link shows; the page about them counts in full.

Only the settings-independent state of objects is read: their settings and Pelican's
context are the same for every page, and are fingerprinted once for the whole site.

Each fingerprint also says which articles it reached, and in which form: when an
article's text is edited in a build kept in memory (bantin.text_edits), only the
outputs that reached it in full, or in short form if its short form changed, can show
something new.
"""

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from jinja2 import Environment, meta
from markupsafe import Markup
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

_SKIPPED_ATTRIBUTES = frozenset({"settings", "_context", "metadata"})
# Shown only on an article's own page and in feeds, never in a card or a link: the body
# (the reader, plugins/article_model, stores the summary cards show) and the time of the
# last revision (plugins/revisions). tests/test_incremental.py holds the theme to it.
FULL_ONLY_ATTRIBUTES = frozenset({"_content", "content", "updated"})
_SHORT_LIST = 8  # longer lists are remembered, shorter ones are cheaper to go through again
_SCALARS = (str, int, float, bool, type(None), bytes)
_EXACT_SCALARS = frozenset({int, float, bool, type(None), bytes})


@functools.cache
def _is_named_entity_type(kind: type) -> bool:
    """A person or organisation of the people directory: linked to by slug and name."""
    return dataclasses.is_dataclass(kind) and {"slug", "name"} <= {
        f.name for f in dataclasses.fields(kind)
    }


T = TypeVar("T")


class Fingerprints:
    """Fingerprints of values within one build; an article's is computed once."""

    def __init__(self):
        self._full: dict[int, tuple[Content, bytes, frozenset]] = {}
        self._short: dict[int, tuple[Content, bytes, frozenset]] = {}
        self._article_parts: dict[int, tuple[Content, list]] = {}
        self._reached_content = False  # while an article's attribute is gone through
        self._descend = True
        # Lists of articles (a category's, all of them) are shown by many pages.
        self._lists: dict[tuple[int, bool, bool], tuple[object, bytes, bool, frozenset]] = {}
        self._walked_types: set[type] = set()
        self._wrappers: dict[tuple[type, str, str], bytes] = {}
        self._pages: dict[tuple[int, int, bool, bool], tuple[Paginator, bytes, frozenset]] = {}
        # The articles reached by what is being gone through, innermost last (see reach).
        self._reaching: list[set[int]] = []

    def of(self, *values: object) -> str:
        """The fingerprint of values shown by one output; an article among them counts
        in full, articles reached from them in short form."""
        return self.shown_by(*values)[0]

    def shown_by(self, *values: object) -> tuple[str, frozenset[int]]:
        """The fingerprint of values, and the articles it reached (see reach)."""

        def compute() -> str:
            digest = hashlib.blake2b(digest_size=20)
            for value in values:
                self._feed(digest, value, set(), shown_itself=True)
            return digest.hexdigest()

        fingerprint, reached = self._remembered(compute)
        self._reach(reached)
        return fingerprint, reached

    def forget(self, articles: list[Content]) -> None:
        """Forget what was remembered of articles whose state changed, and of every
        list, page or other article that reached them."""
        gone = {id(article) for article in articles}
        for memo in (self._full, self._short, self._article_parts):
            for key in gone:
                memo.pop(key, None)
        reaches = {reach(article, short=short) for article in articles for short in (False, True)}
        for memo, where in ((self._full, 2), (self._short, 2), (self._pages, 2), (self._lists, 3)):
            for key in [key for key, known in memo.items() if not reaches.isdisjoint(known[where])]:
                del memo[key]

    def short_form(self, article: Content) -> bytes:
        """The digest of what a card or a link shows of an article."""
        return self._content(article, short=True)

    def _remembered(self, compute: Callable[[], T]) -> tuple[T, frozenset[int]]:
        """compute() with the articles it reaches gathered apart, to be remembered with
        its result: a later use of the result reaches them too."""
        self._reaching.append(set())
        try:
            result = compute()
        finally:
            reached = frozenset(self._reaching.pop())
        return result, reached

    def _reach(self, reached) -> None:
        if self._reaching:
            self._reaching[-1].update(reached)

    def _content(self, content: Content, *, short: bool) -> bytes:
        memo = self._short if short else self._full
        known = memo.get(id(content))
        if known is None:

            def compute() -> bytes:
                digest = hashlib.blake2b(digest_size=20)
                for name, part in self._parts(content):
                    if part is None and not short:  # it leads to other articles: their short form
                        walk = hashlib.blake2b(f"{name}=".encode(), digest_size=20)
                        self._walk(walk, vars(content)[name], descend=True)
                        part = walk.digest()
                    if part is not None and (not short or name not in FULL_ONLY_ATTRIBUTES):
                        digest.update(part)
                return digest.digest()

            known = memo[id(content)] = (content, *self._remembered(compute))
        if self._reaching:
            reaching = self._reaching[-1]
            reaching.add(reach(content, short=short))
            reaching.update(known[2])
        return known[1]

    def _parts(self, content: Content) -> list[tuple[str, bytes | None]]:
        """Each attribute's digest, or None for those that lead to other articles."""
        known = self._article_parts.get(id(content))
        if known is None:
            parts = []
            for name, value in sorted(vars(content).items()):
                if name in _SKIPPED_ATTRIBUTES:
                    continue
                walk = hashlib.blake2b(f"{name}=".encode(), digest_size=20)
                self._reached_content = False
                self._walk(walk, value, descend=False)
                parts.append((name, None if self._reached_content else walk.digest()))
            known = self._article_parts[id(content)] = (content, parts)
        return known[1]

    def _walk(self, digest, value, *, descend: bool) -> None:
        """Go through one attribute of an article; other articles it reaches count in
        short form when descend, else only as having been reached."""
        outer, self._descend = self._descend, descend
        try:
            self._feed(digest, value, set(), inside_content=True)
        finally:
            self._descend = outer

    def _feed(
        self, digest, value, seen: set[int], *, inside_content=False, shown_itself=False
    ) -> None:
        # Most values are text, plain scalars and short lists, fed as _feed_any feeds them:
        # told apart by their exact type, they skip its tests.
        kind = type(value)
        if kind is str or kind is Markup:
            encoded = value.encode("utf-8", "surrogatepass")
            digest.update(b"s%d:" % len(encoded))
            digest.update(encoded)
        elif kind in _EXACT_SCALARS:
            digest.update(f"{kind.__name__}:{value!r};".encode())
        elif (
            (kind is list or kind is tuple) and len(value) <= _SHORT_LIST and id(value) not in seen
        ):
            seen.add(id(value))
            self._feed_all(digest, "list", (), value, seen, inside_content)
            seen.discard(id(value))
        else:
            self._feed_any(digest, value, seen, inside_content, shown_itself)

    def _feed_any(self, digest, value, seen: set[int], inside_content, shown_itself) -> None:
        update = digest.update
        if isinstance(value, str):  # Markup too
            encoded = value.encode("utf-8", "surrogatepass")
            update(b"s%d:" % len(encoded))
            update(encoded)
        elif isinstance(value, _SCALARS):
            update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, dt.datetime | dt.date | dt.time):
            update(f"t:{value.isoformat()}{getattr(value, 'tzinfo', None)};".encode())
        elif isinstance(value, Content):
            if self._descend:
                update(b"c:" + self._content(value, short=not shown_itself))
            self._reached_content = True
        elif inside_content and _is_named_entity_type(type(value)):
            update(f"e:{type(value).__name__}:{value.slug}:{value.name};".encode())
        elif isinstance(value, URLWrapper):
            update(self._wrapper(value))
        elif isinstance(value, Page):
            # A list page also shows its neighbours (for their links): each page of a
            # paginator is gone through once, whatever the object asked for it.
            key = (id(value.paginator), value.number, inside_content, self._descend)
            known = self._pages.get(key)
            if known is None:

                def compute() -> bytes:
                    page = hashlib.blake2b(digest_size=20)
                    self._feed_all(
                        page,
                        "page",
                        (value.number, value.paginator.num_pages, value.paginator.count),
                        (value.url, value.save_as, value.object_list),
                        seen,
                        inside_content,
                    )
                    return page.digest()

                known = self._pages[key] = (value.paginator, *self._remembered(compute))
            self._reach(known[2])
            update(b"g:" + known[1])
        elif isinstance(value, Paginator):
            update(f"p:{value.num_pages}:{value.count};".encode())
        elif id(value) in seen:
            update(b"cycle;")
        elif isinstance(value, dict):
            seen.add(id(value))
            update(b"{")
            for key, item in value.items():
                self._feed(digest, key, seen, inside_content=inside_content)
                self._feed(digest, item, seen, inside_content=inside_content)
            update(b"}")
            seen.discard(id(value))
        elif isinstance(value, list | tuple) and len(value) <= _SHORT_LIST:
            seen.add(id(value))
            self._feed_all(digest, "list", (), value, seen, inside_content)
            seen.discard(id(value))
        elif isinstance(value, list | tuple):
            key = (id(value), inside_content, self._descend)
            known = self._lists.get(key)
            if known is None:

                def compute() -> bytes:
                    items = hashlib.blake2b(digest_size=20)
                    seen.add(id(value))
                    self._feed_all(items, "list", (), value, seen, inside_content)
                    seen.discard(id(value))
                    return items.digest()

                reached, self._reached_content = self._reached_content, False
                digest_of_items, articles = self._remembered(compute)
                known = self._lists[key] = (value, digest_of_items, self._reached_content, articles)
                self._reached_content = reached
            update(b"l:" + known[1])
            self._reached_content |= known[2]
            self._reach(known[3])
        elif isinstance(value, set | frozenset):
            update(f"set:{sorted(self.of(item) for item in value)};".encode())
        elif callable(value) and hasattr(value, "__qualname__"):
            update(f"f:{value.__module__}.{value.__qualname__};".encode())
        elif self._fed_as_repr(digest, value):
            pass
        elif hasattr(value, "__dict__") or dataclasses.is_dataclass(value):
            seen.add(id(value))
            state = (
                {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
                if dataclasses.is_dataclass(value)
                else vars(value)
            )
            update(f"o:{type(value).__qualname__}".encode())
            for name, item in sorted(state.items()):
                if name not in _SKIPPED_ATTRIBUTES:
                    update(f"\0{name}=".encode())
                    self._feed(digest, item, seen, inside_content=inside_content)
            seen.discard(id(value))
        else:  # an object without visible state: its repr is all a template could show
            update(f"r:{value!r};".encode())

    def _wrapper(self, wrapper: URLWrapper) -> bytes:
        """A topic, kind or author as a link shows it. Pelican works its address out at
        each use, from its kind, name and slug and the settings, which stay the same for
        the build: each article has wrappers of its own, for the same few hundred."""
        key = (type(wrapper), wrapper.name, wrapper.slug)
        known = self._wrappers.get(key)
        if known is None:
            text = f"w:{type(wrapper).__name__}:{wrapper.name}:{wrapper.slug}:{wrapper.url};"
            known = self._wrappers[key] = text.encode()
        return known

    def _fed_as_repr(self, digest, value) -> bool:
        """A dataclass of plain values (a participant, a photo, a rendition) in one go:
        its generated repr shows every field. Not when a field's repr is an address,
        which differs from build to build; that type is then always gone through."""
        kind = type(value)
        if kind in self._walked_types or not dataclasses.is_dataclass(kind):
            return False
        if kind.__repr__ is object.__repr__ or not kind.__dataclass_params__.repr:
            self._walked_types.add(kind)
            return False
        text = repr(value)
        if " object at 0x" in text:
            self._walked_types.add(kind)
            return False
        digest.update(f"d:{len(text)}:".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return True

    def _feed_all(self, digest, label, head, items: Iterable, seen, inside_content) -> None:
        digest.update(f"{label}:{head}[".encode())
        for item in items:
            self._feed(digest, item, seen, inside_content=inside_content)
        digest.update(b"]")


def reach(article: Content, *, short: bool) -> int:
    """How Fingerprints.shown_by names an article reached, in full or in short form: by
    its identity, which holds while the build that reached it is kept."""
    return id(article) * 2 + short


def template_variables(environment: Environment, name: str) -> frozenset[str] | None:
    """The context variables a template and the templates it extends, includes or
    imports can read; None when a template is chosen at render time, so that what it
    reads cannot be known."""
    seen: set[str] = set()
    variables: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = environment.loader.get_source(environment, current)
        tree = environment.parse(source)
        variables |= meta.find_undeclared_variables(tree)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                return None
            pending.append(referenced)
    return frozenset(variables)
