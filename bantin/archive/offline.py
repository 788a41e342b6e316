"""An offline copy of a built site: every link relative, so that it opens from disk.

The built site links root-relative (``/2020/12/25/slug/``, ``/anh/…``), which from
``file://`` would point at the root of the disk, and names folders (``…/slug/``), which a
browser opening files shows as a listing instead of the page. The copy rewrites, in
HTML and CSS only, every root-relative URL into a path relative to the file it is in,
naming ``index.html`` for folders: ``/2020/12/25/slug/`` seen from
``nguoi/x/index.html`` becomes ``../../2020/12/25/slug/index.html``.

HTML is read with the standard library's HTML parser: only the URL attributes of
start tags (``href``, ``src``, ``srcset``, ``action``, ``poster``, ``data`` of
``<object>``, the URL ``<meta>`` properties) and the CSS of ``<style>`` elements are
rewritten; text, comments, scripts and ``data-*`` attributes (which belong to the
scripts that read them) stay byte for byte as built. Feeds keep the absolute links
they were published with, and every other file is copied as it is.

Pages that need a script fetching files (the search page: browsers refuse that from
``file://``) get a short notice saying so, in the copy only; they stay readable.
"""

import logging
import posixpath
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

logger = logging.getLogger(__name__)

# Attributes that hold one URL, on any element.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "poster", "formaction", "xlink:href"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
# <meta property|name=…> whose content is a URL.
URL_META = frozenset({"og:image", "og:image:url", "og:image:secure_url", "og:url", "twitter:image"})
# Where pages need scripts to fetch files, which browsers forbid from file://.
NOTICE_PATHS = ("tim-kiem/",)
NOTICE = (
    "Bản lưu này được mở từ đĩa: chức năng tìm kiếm không hoạt động ở đây, vì trình "
    "duyệt không cho trang mở từ đĩa tải chỉ mục tìm kiếm. Hãy tìm bài viết trong "
    '<a href="{archives}">Lưu trữ</a> (theo năm và tháng), hoặc theo các liên kết dưới đây.'
)
NOTICE_CLASS = "bt-search__note bt-offline-note"

Exists = Callable[[str], bool]  # is this path (relative to the site root) a file?


@dataclass
class OfflineReport:
    pages: int = 0
    stylesheets: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (file, link to nothing)


def make_offline_copy(
    site: Path,
    target: Path,
    *,
    site_url: str = "",
    notice_paths: Iterable[str] = NOTICE_PATHS,
) -> OfflineReport:
    """Copy the built site into target (which must not exist) with every internal link
    relative. Links to site_url (the public address) count as internal."""
    site, target = Path(site), Path(target)
    shutil.copytree(site, target)
    files = {path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()}
    folders = {str(parent) for path in files for parent in PurePosixPath(path).parents}
    report = OfflineReport()
    notice_paths = tuple(notice_paths)

    def exists(path: str) -> bool:
        return path in files

    for relative in sorted(files):
        path = target / relative
        if relative.endswith((".html", ".htm")):
            text = path.read_text(encoding="utf-8")
            rewriter = PageRewriter(relative, exists, folders, site_url=site_url)
            text = rewriter.rewrite(text, notice=relative.startswith(notice_paths))
            report.pages += 1
        elif relative.endswith(".css"):
            rewriter = _Localizer(relative, exists, folders, site_url=site_url)
            text = rewrite_css(path.read_text(encoding="utf-8"), rewriter.localize)
            report.stylesheets += 1
        else:
            continue
        report.missing += [(relative, link) for link in rewriter.missing]
        path.write_text(text, encoding="utf-8")
    for page, link in report.missing:
        logger.warning("offline copy: %s links to %s, which the site does not have", page, link)
    return report


class _Localizer:
    """Turns the site's own URLs into paths relative to one file of the site."""

    def __init__(self, file: str, exists: Exists, folders: set[str], *, site_url: str = ""):
        self.folder = posixpath.dirname(file)
        self.exists = exists
        self.folders = folders
        self.site_prefix = site_url.rstrip("/") + "/" if site_url else None
        self.missing: list[str] = []

    def localize(self, url: str) -> str:
        stripped = url.strip()
        if self.site_prefix and (stripped + "/").startswith(self.site_prefix):
            stripped = "/" + stripped[len(self.site_prefix) :]
        if not stripped.startswith("/") or stripped.startswith("//"):
            return url
        parts = urlsplit(stripped)
        target = unquote(parts.path).lstrip("/")
        names_folder = parts.path.endswith("/") or target in self.folders
        if target == "" or (names_folder and not self.exists(target)):
            target = posixpath.join(target, "index.html")
        if not self.exists(target):
            self.missing.append(url)
        relative = posixpath.relpath(target, self.folder or ".")
        rewritten = quote(relative, safe="/-._~!$&'()*+,;=:@")
        if parts.query:
            rewritten += "?" + parts.query
        if parts.fragment:
            rewritten += "#" + parts.fragment
        return rewritten

    def localize_srcset(self, value: str) -> str:
        return ", ".join(
            " ".join([self.localize(url), *descriptors]) for url, descriptors in parse_srcset(value)
        )


def parse_srcset(value: str) -> list[tuple[str, list[str]]]:
    """(URL, descriptors) of each image candidate in a srcset attribute, as HTML's
    algorithm splits them: a URL runs to the next white space, and a comma ending it
    ends the candidate."""
    candidates = []
    position = 0
    while position < len(value):
        while position < len(value) and (value[position].isspace() or value[position] == ","):
            position += 1
        if position >= len(value):
            break
        start = position
        while position < len(value) and not value[position].isspace():
            position += 1
        url = value[start:position]
        descriptors: list[str] = []
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = value.find(",", position)
            end = len(value) if end == -1 else end
            descriptors = value[position:end].split()
            position = end + 1
        candidates.append((url, descriptors))
    return candidates


_CSS_TOKENS = re.compile(
    r"""
      (?P<comment>/\*.*?\*/)
    | url\(\s*(?P<quote>["']?)(?P<url>.*?)(?P=quote)\s*\)
    | @import\s+(?P<iquote>["'])(?P<import>.*?)(?P=iquote)
    | (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
    """,
    re.DOTALL | re.IGNORECASE | re.VERBOSE,
)


def rewrite_css(text: str, localize: Callable[[str], str]) -> str:
    """CSS with the URLs of url() and @import passed through localize; comments and
    other strings are left alone."""

    def replace(match: re.Match) -> str:
        if match["url"] is not None:
            quote_mark = match["quote"]
            return f"url({quote_mark}{localize(match['url'])}{quote_mark})"
        if match["import"] is not None:
            quote_mark = match["iquote"]
            return f"@import {quote_mark}{localize(match['import'])}{quote_mark}"
        return match[0]

    return _CSS_TOKENS.sub(replace, text)


class PageRewriter(HTMLParser):
    """Rewrites the URLs of one HTML page; see the module's docstring for which."""

    def __init__(self, file: str, exists: Exists, folders: set[str], *, site_url: str = ""):
        super().__init__(convert_charrefs=True)
        self.localizer = _Localizer(file, exists, folders, site_url=site_url)
        self.edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
        self._line_starts: list[int] = []
        self._source = ""
        self._style_start: int | None = None
        self._notice_at: int | None = None
        self._h1_end: int | None = None
        self._main_start: int | None = None
        self._body_start: int | None = None

    @property
    def missing(self) -> list[str]:
        return self.localizer.missing

    def rewrite(self, text: str, *, notice: bool = False) -> str:
        self._source = text
        self._line_starts = [0]
        self._line_starts += [match.end() for match in re.finditer("\n", text)]
        self.feed(text)
        self.close()
        edits = list(self.edits)
        anchor = self._h1_end or self._main_start or self._body_start
        if notice and anchor is not None:
            archives = self.localizer.localize("/luu-tru/")
            note = NOTICE.format(archives=escape(archives))
            edits.append((anchor, anchor, f'\n<p class="{NOTICE_CLASS}" role="note">{note}</p>'))
        for start, end, replacement in sorted(edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        start = self._offset()
        end = start + len(raw)
        if tag == "style":
            self._style_start = end
        elif tag == "main" and self._main_start is None:
            self._main_start = end
        elif tag == "body" and self._body_start is None:
            self._body_start = end
        rewritten = self._rewrite_attributes(tag, attrs)
        if rewritten != attrs:
            self.edits.append((start, end, _start_tag(tag, rewritten, raw.endswith("/>"))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style" and self._style_start is not None:
            start, end = self._style_start, self._offset()
            self._style_start = None
            original = self._source[start:end]
            rewritten = rewrite_css(original, self.localizer.localize)
            if rewritten != original:
                self.edits.append((start, end, rewritten))
        elif tag == "h1" and self._h1_end is None:
            self._h1_end = self._offset() + len("</h1>")

    def _rewrite_attributes(self, tag: str, attrs: list) -> list:
        meta_url = tag == "meta" and any(
            name in ("property", "name") and value in URL_META for name, value in attrs
        )
        rewritten = []
        for name, value in attrs:
            if value is not None:
                if name in URL_ATTRIBUTES or (tag == "object" and name == "data"):
                    value = self.localizer.localize(value)
                elif name in SRCSET_ATTRIBUTES:
                    value = self.localizer.localize_srcset(value)
                elif meta_url and name == "content":
                    value = self.localizer.localize(value)
            rewritten.append((name, value))
        return rewritten


def _start_tag(tag: str, attrs: list, self_closing: bool) -> str:
    parts = [f"<{tag}"]
    for name, value in attrs:
        parts.append(f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"')
    parts.append(" />" if self_closing else ">")
    return "".join(parts)


def page_links(html: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, URL) of every URL a page's start tags hold, srcset candidates
    one by one: what a check of an offline copy looks at."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.links


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES or (tag == "object" and name == "data"):
                self.links.append((tag, name, value))
            elif name in SRCSET_ATTRIBUTES:
                self.links += [(tag, name, url) for url, _ in parse_srcset(value)]

    handle_startendtag = handle_starttag


def resolve(page: str, url: str) -> str | None:
    """The site path a relative URL in page points at, or None for an absolute URL,
    a fragment of the same page, or another scheme."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/") or not parts.path:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))


__all__ = [
    "OfflineReport",
    "PageRewriter",
    "make_offline_copy",
    "page_links",
    "parse_srcset",
    "resolve",
    "rewrite_css",
]
