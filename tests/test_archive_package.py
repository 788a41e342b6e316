"""The archive's ZIP: README and MANIFEST.json, the same bytes for the same content, and
`invoke archive --verify` reporting any missing, extra or altered file."""

import datetime as dt
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from bantin.archive import export_archive, verify
from bantin.archive.package import write_zip, zip_timestamp
from bantin.vietnamese import identity_key
from tests.support.sites import ROOT

PUBLISH_SETTINGS = ROOT / "publishconf.py"
CAPTURED = dt.datetime(2026, 5, 22, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The sample bulletin's archive ZIP."""
    out = tmp_path_factory.mktemp("archive")
    return export_archive(PUBLISH_SETTINGS, out, captured=CAPTURED).zip_path


@pytest.fixture(scope="module")
def manifest(archive) -> dict:
    with zipfile.ZipFile(archive) as opened:
        return json.loads(opened.read("MANIFEST.json"))


def run_verify(path: Path) -> subprocess.CompletedProcess:
    """`invoke archive --verify PATH`, as an editor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "archive", "--verify", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def sample_front_matter() -> list[dict]:
    articles = []
    for source in sorted((ROOT / "content" / "bai-viet").glob("*.md")):
        data = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
        if data.get("status", "published") == "published":
            articles.append(data)
    return articles


def test_zip_holds_the_readme_the_manifest_then_the_site_in_order(archive):
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        readme = opened.read("README.txt").decode("utf-8")
    assert names[:2] == ["README.txt", "MANIFEST.json"]
    assert names[2:] == sorted(names[2:]) and all(name.startswith("site/") for name in names[2:])
    assert "site/index.html" in names and "site/404.html" in names
    for needed in ("site/index.html", "MANIFEST.json", "SHA-256", "--verify", "WARC"):
        assert needed in readme


def test_manifest_lists_every_file_with_its_size_and_sha256(archive, manifest):
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist()) - {"MANIFEST.json"}
        assert {entry["path"] for entry in manifest["files"]} == names
        for entry in manifest["files"]:
            data = opened.read(entry["path"])
            assert entry["size"] == len(data)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_manifest_describes_every_article_from_its_metadata(archive, manifest):
    site_url = manifest["site"]["url"]
    assert manifest["period"] is None and manifest["start_page"] == "site/index.html"
    by_title = {article["title"]: article for article in manifest["articles"]}
    written = sample_front_matter()
    assert len(by_title) == len(written)
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
    for source in written:
        article = by_title[source["title"]]
        assert article["date"].startswith(str(source["date"]).replace(" ", "T")[:10])
        assert article["url"].startswith(site_url + "/" + article["date"][:4] + "/")
        assert article["file"] in names
        assert article["url"].removeprefix(site_url + "/") + "index.html" == article[
            "file"
        ].removeprefix("site/")
        assert identity_key(source["event"]) in (
            identity_key(article["event"]["label"]),
            article["event"]["slug"],
        )
        organizations = source["organizations"]
        assert article["organizations"] == (
            [organizations] if isinstance(organizations, str) else organizations
        )
        assert [p["name"] for p in article["participants"]] == [
            p["name"] for p in source.get("participants", [])
        ]
        assert [a["name"] for a in article["authors"]] == [
            a if isinstance(a, str) else a["name"] for a in source.get("authors", [])
        ]
        assert article["tags"] == source.get("tags", [])
        assert [p["caption"] for p in article["photos"]] == [
            p["caption"] for p in source.get("photos", [])
        ]
        for photo in article["photos"]:
            assert photo["files"] and set(photo["files"]) <= names


def test_the_same_content_gives_the_same_bytes(archive, manifest, tmp_path):
    again = export_archive(
        PUBLISH_SETTINGS,
        tmp_path,
        captured=CAPTURED + dt.timedelta(days=3),
        today=dt.date(2030, 1, 1),
    )
    assert again.zip_path.name == "ban-tin-20300101.zip"
    assert again.zip_path.read_bytes() == archive.read_bytes()
    newest = dt.datetime.fromisoformat(manifest["as_of"])
    with zipfile.ZipFile(archive) as opened:
        assert {info.date_time for info in opened.infolist()} == {zip_timestamp(newest)}


def test_verify_accepts_the_archive_as_written(archive):
    assert verify(archive).ok
    result = run_verify(archive)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def test_a_corrupted_byte_is_reported_by_verify(archive, tmp_path):
    page = "site/luu-tru/index.html"
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo(page)
    data = bytearray(archive.read_bytes())
    # The page's bytes follow its 30-byte local header and its name.
    data[info.header_offset + 30 + len(page.encode()) + info.file_size // 2] ^= 0x20
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(data)

    found = verify(damaged)
    assert not found.ok and [line.split(":")[0] for line in found.altered] == [page]
    result = run_verify(damaged)
    assert result.returncode == 1
    assert f"altered: {page}" in result.stdout


def test_missing_and_extra_files_are_reported(archive, tmp_path):
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(changed, "w") as copy:
        for info in original.infolist():
            if info.filename != "site/404.html":
                copy.writestr(info, original.read(info))
        copy.writestr("site/them-vao.html", "<p>không có trong bản gốc</p>")
    found = verify(changed)
    assert found.missing == ["site/404.html"]
    assert found.extra == ["site/them-vao.html"]
    result = run_verify(changed)
    assert result.returncode == 1
    assert (
        "missing: site/404.html" in result.stdout and "extra: site/them-vao.html" in result.stdout
    )


def test_any_single_damaged_byte_anywhere_in_the_zip_is_found(tmp_path):
    """Not only file data: headers, the central directory and the end record too."""
    original = write_zip(
        tmp_path / "small.zip",
        [
            ("README.txt", b"Doc toi.\n"),
            ("site/index.html", "<p>Bản tin</p>\n".encode()),
            ("site/anh/ảnh.jpg", bytes(range(40))),
        ],
        {"format": "test"},
        dt.datetime(2021, 4, 1, 8, 0),
    )
    assert verify(original).ok
    data = original.read_bytes()
    damaged = tmp_path / "damaged.zip"
    unnoticed = []
    for position in range(len(data)):
        for flip in (0x01, 0x80):
            copy = bytearray(data)
            copy[position] ^= flip
            damaged.write_bytes(copy)
            if verify(damaged).ok:
                unnoticed.append((position, flip))
    assert unnoticed == []
