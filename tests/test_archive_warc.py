"""The archive's WARC file: valid for warcio, one response (with its request) per URL of
the site with the headers really served, and replayed by pywb on a loopback port."""

import datetime as dt
import mimetypes
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from bantin.archive import export_archive
from bantin.archive.package import read_manifest
from bantin.preview import SiteRequestHandler
from bantin.toolchain import ToolchainError, pywb_bin
from tests.support.sites import ROOT

PUBLISH_SETTINGS = ROOT / "publishconf.py"
CAPTURED = dt.datetime(2026, 5, 22, 3, 0, tzinfo=dt.UTC)
COLLECTION = "bantin"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_archive(PUBLISH_SETTINGS, tmp_path_factory.mktemp("archive"), captured=CAPTURED)


@pytest.fixture(scope="module")
def records(exported) -> list[dict]:
    found = []
    with open(exported.warc_path, "rb") as stream:
        for record in ArchiveIterator(stream):
            found.append(
                {
                    "type": record.rec_type,
                    "version": record.rec_headers.protocol,
                    "headers": dict(record.rec_headers.headers),
                    "http": record.http_headers,
                    "body": record.content_stream().read(),
                }
            )
    return found


def test_warcio_check_passes(exported):
    warcio = Path(sys.executable).with_name("warcio")
    result = subprocess.run(
        [str(warcio), "check", "-v", str(exported.warc_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout and "fail" not in result.stdout.lower()


def test_warc_1_1_starts_with_warcinfo_and_dates_records_at_the_capture(records):
    assert records[0]["type"] == "warcinfo"
    assert "conformsTo:" in records[0]["body"].decode("utf-8")
    assert {record["version"] for record in records} == {"WARC/1.1"}
    assert {record["headers"]["WARC-Date"] for record in records} == {"2026-05-22T03:00:00Z"}
    warcinfo_id = records[0]["headers"]["WARC-Record-ID"]
    assert all(record["headers"]["WARC-Warcinfo-ID"] == warcinfo_id for record in records[1:])


def test_one_response_and_its_request_per_url_of_the_site(exported, records):
    manifest = read_manifest(exported.zip_path)
    site_url = manifest["site"]["url"]
    responses = [record for record in records if record["type"] == "response"]
    requests = {
        record["headers"]["WARC-Concurrent-To"]: record
        for record in records
        if record["type"] == "request"
    }
    uris = [record["headers"]["WARC-Target-URI"] for record in responses]
    assert len(uris) == len(set(uris)) == len(requests) == exported.urls
    # Every file the build wrote is captured, at its URL, and is in the offline ZIP.
    with zipfile.ZipFile(exported.zip_path) as opened:
        site_files = {name.removeprefix("site/") for name in opened.namelist()}
    captured_files = set()
    for uri in uris:
        path = unquote(urlsplit(uri).path).removeprefix("/")
        captured_files.add(path + "index.html" if path == "" or path.endswith("/") else path)
    assert captured_files == site_files - {"README.txt", "MANIFEST.json"}
    for article in manifest["articles"]:
        assert article["url"] in uris
    for response in responses:
        uri = response["headers"]["WARC-Target-URI"]
        request = requests[response["headers"]["WARC-Record-ID"]]
        assert request["headers"]["WARC-Target-URI"] == uri
        assert request["http"].protocol == "GET"
        assert request["http"].get_header("Host") == urlsplit(site_url).netloc
        assert uri.startswith(site_url + "/")


CONTENT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".avif": "image/avif",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
}


def _served_type(path: str) -> str:
    """What a static host (the preview's server) says of other files (robots.txt,
    Pagefind's .pf_* files)."""
    suffix = Path(path).suffix
    if suffix in SiteRequestHandler.extensions_map:
        return SiteRequestHandler.extensions_map[suffix]
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def test_responses_carry_the_status_headers_and_content_types_really_served(records):
    seen = set()
    for response in (record for record in records if record["type"] == "response"):
        http = response["http"]
        uri = response["headers"]["WARC-Target-URI"]
        assert http.get_statuscode() == "200", uri
        assert http.protocol.startswith("HTTP/1."), uri
        assert http.get_header("Server") and http.get_header("Date"), uri
        assert int(http.get_header("Content-Length")) == len(response["body"]), uri
        path = urlsplit(uri).path
        suffix = ".html" if path.endswith("/") else Path(path).suffix
        expected = CONTENT_TYPES.get(suffix) or _served_type(path)
        assert http.get_header("Content-Type") == expected, uri
        seen.add(suffix)
    assert {".html", ".css", ".xml", ".avif", ".webp", ".jpg", ".svg"} <= seen


@pytest.fixture(scope="module")
def pywb(exported, tmp_path_factory):
    """pywb's `wayback` replaying the WARC on a loopback port; yields its base URL."""
    try:
        bin_dir = pywb_bin(ROOT)
    except ToolchainError as missing:
        pytest.fail(str(missing), pytrace=False)
    folder = tmp_path_factory.mktemp("pywb")
    # Unframed replay: the page itself at /COLLECTION/TIMESTAMPmp_/URL, not in pywb's frame.
    (folder / "config.yaml").write_text("framed_replay: false\n", encoding="utf-8")
    for command in (["init", COLLECTION], ["add", COLLECTION, str(exported.warc_path)]):
        subprocess.run(
            [str(bin_dir / "wb-manager"), *command], cwd=folder, check=True, capture_output=True
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with open(folder / "wayback.log", "wb") as log:
        server = subprocess.Popen(
            [str(bin_dir / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(base, server, folder / "wayback.log")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"pywb did not start:\n{log.read_text()}", pytrace=False)
            time.sleep(0.1)  # polling a starting server, not waiting for a result


def test_pywb_replays_an_article_and_its_photos(exported, pywb, page):
    manifest = read_manifest(exported.zip_path)
    article = max(manifest["articles"], key=lambda article: len(article["photos"]))
    assert len(article["photos"]) >= 2
    timestamp = CAPTURED.strftime("%Y%m%d%H%M%S")
    statuses = {}
    page.on("response", lambda response: statuses.setdefault(response.url, response.status))
    response = page.goto(f"{pywb}/{COLLECTION}/{timestamp}mp_/{article['url']}")
    assert response.status == 200
    assert page.locator("h1").inner_text().strip() == article["title"]
    images = page.evaluate(
        """async () => {
          const images = [...document.images];
          images.forEach((image) => { image.loading = "eager"; });
          await Promise.all(images.map((image) => image.decode().catch(() => null)));
          return images.map((image) => [image.currentSrc, image.naturalWidth]);
        }"""
    )
    photos = [(src, width) for src, width in images if "/anh/" in src]
    assert len(photos) >= len(article["photos"])
    for src, width in photos:
        assert src.startswith(f"{pywb}/{COLLECTION}/"), src  # served by the replay
        assert width > 0 and statuses.get(src) == 200, src
    photo_responses = {url: status for url, status in statuses.items() if "/anh/" in url}
    assert photo_responses and set(photo_responses.values()) == {200}
