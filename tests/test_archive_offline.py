"""The archive's offline copy: every link relative, every asset inside, and the pages
render completely when Chromium opens them straight from disk (file://)."""

import datetime as dt
import json
import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from bantin.archive import export_archive
from bantin.archive.offline import (
    NOTICE_CLASS,
    PageRewriter,
    make_offline_copy,
    page_links,
    parse_srcset,
    resolve,
    rewrite_css,
)
from tests.support.sites import ROOT

PUBLISH_SETTINGS = ROOT / "publishconf.py"
CAPTURED = dt.datetime(2026, 5, 22, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> tuple[Path, dict]:
    """The sample bulletin exported, its ZIP unpacked: (the site folder, MANIFEST.json)."""
    out = tmp_path_factory.mktemp("archive")
    export = export_archive(PUBLISH_SETTINGS, out, captured=CAPTURED)
    unpacked = out / "unpacked"
    with zipfile.ZipFile(export.zip_path) as archive:
        archive.extractall(unpacked)
    manifest = json.loads((unpacked / "MANIFEST.json").read_text(encoding="utf-8"))
    return unpacked / "site", manifest


def _rewriter(page: str, files: set[str]) -> PageRewriter:
    folders = {posixpath.dirname(file) for file in files}
    return PageRewriter(page, files.__contains__, folders, site_url="https://bantin.example.vn")


def test_links_become_relative_and_name_index_html_for_folders():
    files = {"index.html", "2020/12/25/bai/index.html", "anh/a-480.jpg", "anh/a-960.jpg"}
    html = (
        '<a href="/">Trang chủ</a> <a href="/2020/12/25/bai/#anh-2">Bài</a>'
        '<a href="/2020/12/25/bai?in=1">Bài</a>'
        '<img src="/anh/a-960.jpg" srcset="/anh/a-480.jpg 480w, /anh/a-960.jpg 960w" alt="">'
    )
    rewritten = _rewriter("nguoi/x/index.html", files).rewrite(html)
    assert rewritten == (
        '<a href="../../index.html">Trang chủ</a> '
        '<a href="../../2020/12/25/bai/index.html#anh-2">Bài</a>'
        '<a href="../../2020/12/25/bai/index.html?in=1">Bài</a>'
        '<img src="../../anh/a-960.jpg" '
        'srcset="../../anh/a-480.jpg 480w, ../../anh/a-960.jpg 960w" alt="">'
    )


def test_text_comments_scripts_and_data_attributes_stay_as_built():
    files = {"index.html", "a/index.html"}
    html = (
        "<p>Gõ href=\"/a/\" hoặc src='/a/' trong bài: đó là chữ, không phải liên kết.</p>\n"
        '<!-- <a href="/a/">cũ</a> -->\n'
        '<script type="application/ld+json">{"url": "/a/"}</script>\n'
        '<div data-pagefind="/a/" class="x">&amp; “trích dẫn”</div>\n'
        '<a href="https://example.org/a/">ngoài</a><a href="//cdn.example.org/a">cdn</a>'
        '<a href="#noi-dung">bỏ qua</a><a href="mailto:ban@example.vn">thư</a>'
    )
    assert _rewriter("index.html", files).rewrite(html) == html


def test_links_to_the_public_address_become_local_and_missing_targets_are_reported():
    rewriter = _rewriter("index.html", {"index.html", "a/index.html"})
    rewritten = rewriter.rewrite(
        '<a href="https://bantin.example.vn/a/">a</a><a href="/khong-co/">?</a>'
    )
    assert rewritten == '<a href="a/index.html">a</a><a href="khong-co/index.html">?</a>'
    assert rewriter.missing == ["/khong-co/"]


def test_css_urls_are_rewritten_but_not_comments_or_strings():
    css = (
        "/* url(/theme/old.png) */ @import '/theme/css/print.css';\n"
        '.a { background: url("/theme/img/a.svg"); content: "url(/x)"; }\n'
        "@font-face { src: url(/theme/fonts/noto.woff2) format('woff2'); }"
    )
    rewritten = rewrite_css(css, lambda url: "REL" + url)
    assert rewritten == (
        "/* url(/theme/old.png) */ @import 'REL/theme/css/print.css';\n"
        '.a { background: url("REL/theme/img/a.svg"); content: "url(/x)"; }\n'
        "@font-face { src: url(REL/theme/fonts/noto.woff2) format('woff2'); }"
    )


def test_srcset_is_split_as_browsers_split_it():
    assert parse_srcset("/a.jpg 480w, /b.jpg 960w,/c.jpg") == [
        ("/a.jpg", ["480w"]),
        ("/b.jpg", ["960w"]),
        ("/c.jpg", []),
    ]
    assert parse_srcset(" /a,b.jpg 1x, /c.jpg 2x ") == [("/a,b.jpg", ["1x"]), ("/c.jpg", ["2x"])]


def test_every_link_of_the_offline_copy_is_relative_and_leads_to_a_file(offline_site):
    site, manifest = offline_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    broken = []
    for page in pages:
        relative = page.relative_to(site).as_posix()
        for tag, attribute, url in page_links(page.read_text(encoding="utf-8")):
            where = f"{relative}: <{tag} {attribute}={url!r}>"
            assert not url.startswith("/"), f"{where} is root-relative"
            assert not url.startswith(manifest["site"]["url"]), f"{where} leaves the copy"
            target = resolve(relative, url)
            if target is not None and not (site / target).is_file():
                broken.append(where)
    for stylesheet in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", stylesheet.read_text(encoding="utf-8")):
            target = resolve(stylesheet.relative_to(site).as_posix(), url)
            if not url.startswith("data:") and target and not (site / target).is_file():
                broken.append(f"{stylesheet.name}: url({url})")
    assert not broken, "links to nothing:\n" + "\n".join(broken)


def test_every_photo_size_and_the_feeds_are_inside(offline_site):
    site, manifest = offline_site
    for article in manifest["articles"]:
        page = article["file"].removeprefix("site/")
        targets = {
            resolve(page, url)
            for _, _, url in page_links((site / page).read_text(encoding="utf-8"))
        }
        shown = {target for target in targets if target and target.startswith("anh/")}
        assert bool(shown) == bool(article["photos"]), page
        listed = {
            file.removeprefix("site/") for photo in article["photos"] for file in photo["files"]
        }
        assert shown <= listed, f"{page} shows photos the manifest does not list"
        for photo in article["photos"]:
            suffixes = {Path(file).suffix for file in photo["files"]}
            assert {".avif", ".webp", ".jpg"} <= suffixes
            assert len(photo["files"]) >= 9  # 3 widths (or fewer for small photos) × 3 formats
        for file in listed:
            assert (site / file).is_file(), file
    for feed in ("atom.xml", "rss.xml", "su-kien/doi-thoai/atom.xml", "theme/css/site.css"):
        assert (site / feed).is_file(), feed
    # Feeds are kept as published: their links go to the public address.
    assert f'href="{manifest["site"]["url"]}/' in (site / "atom.xml").read_text(encoding="utf-8")


def _pages_to_open(site: Path, manifest: dict) -> dict[str, Path]:
    article = max(manifest["articles"], key=lambda article: len(article["photos"]))
    return {
        "home": site / "index.html",
        "article": site.parent / article["file"],
        "person": sorted((site / "nguoi").glob("*/index.html"))[0],
        "archives": site / "luu-tru" / "index.html",
        "year": site / article["date"][:4] / "index.html",
    }


_LOAD_EVERY_IMAGE = """
async () => {
  const images = [...document.images];
  images.forEach((image) => { image.loading = "eager"; });
  const results = await Promise.all(images.map((image) =>
    image.decode().then(() => true, () => false)));
  return images.map((image, index) => ({
    src: image.currentSrc, ok: results[index] && image.naturalWidth > 0 }));
}
"""


@pytest.mark.parametrize("kind", ["home", "article", "person", "archives", "year"])
def test_pages_render_completely_from_disk_in_chromium(offline_site, page, kind):
    site, manifest = offline_site
    path = _pages_to_open(site, manifest)[kind]
    failed, errors = [], []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    response = page.goto(path.as_uri())
    assert response is None or response.ok
    assert page.evaluate(
        "document.querySelector('link[rel=stylesheet]').sheet !== null"
        " && getComputedStyle(document.body).marginTop === '0px'"
    ), "site.css did not apply"
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]')
    assert "default-src 'self'" in csp.get_attribute("content")
    images = page.evaluate(_LOAD_EVERY_IMAGE)
    if kind == "article":
        assert len(images) >= 2
    assert [image["src"] for image in images if not image["ok"]] == []
    assert all(image["src"].startswith("file://") for image in images)
    links = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
    assert links
    for link in links:
        if link.startswith("file://"):
            target = Path(link.removeprefix("file://").split("#")[0].split("?")[0])
            assert target.is_file(), f"{kind}: {link} is not a file"
    assert failed == [] and errors == []


SEARCH_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<title>Tìm kiếm</title><link rel="stylesheet" href="/theme/css/site.css"></head>
<body><main id="noi-dung"><h1>Tìm kiếm</h1>
<div id="tim-kiem" data-pagefind="/pagefind/pagefind.js"></div>
<ul><li><a href="/luu-tru/">Lưu trữ</a></li></ul>
<script type="module" src="/theme/js/search.js"></script>
</main></body></html>
"""


def test_search_page_says_plainly_that_search_does_not_work_from_disk(tmp_path, page):
    built = tmp_path / "built"
    for path, text in {
        "tim-kiem/index.html": SEARCH_PAGE,
        "luu-tru/index.html": SEARCH_PAGE.replace("Tìm kiếm", "Lưu trữ"),
        "theme/css/site.css": "body { margin: 0; }",
        "theme/js/search.js": "const index = await fetch('/pagefind/pagefind-entry.json');",
        "pagefind/pagefind-entry.json": "{}",
    }.items():
        (built / path).parent.mkdir(parents=True, exist_ok=True)
        (built / path).write_text(text, encoding="utf-8")
    make_offline_copy(built, tmp_path / "copy")

    page.goto((tmp_path / "copy" / "tim-kiem" / "index.html").as_uri())
    notice = page.locator(f'[role="note"].{NOTICE_CLASS.split()[-1]}')
    assert notice.is_visible()
    assert "tìm kiếm không hoạt động" in notice.inner_text()
    page.locator("main ul a").click()
    assert page.url.endswith("/copy/luu-tru/index.html")
    assert page.locator(".bt-offline-note").count() == 0  # only pages that need it


def test_the_sample_search_page_opened_from_disk_says_search_needs_a_server(offline_site, page):
    site, _ = offline_site
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((site / "tim-kiem" / "index.html").as_uri())
    notice = page.locator(".bt-offline-note")
    assert notice.is_visible() and "tìm kiếm không hoạt động" in notice.inner_text()
    assert page.evaluate("getComputedStyle(document.body).marginTop === '0px'")
    # Still a page to read: its links lead to the archives and lists, on disk.
    links = page.eval_on_selector_all("main a[href]", "links => links.map((a) => a.href)")
    assert any(link.endswith("/luu-tru/index.html") for link in links)
    for link in links:
        assert Path(link.removeprefix("file://").split("#")[0]).is_file(), link
    # Only scripts may fail to load from disk; nothing a reader needs.
    assert all(url.endswith((".js", ".json")) or "pagefind" in url for url in failed), failed
