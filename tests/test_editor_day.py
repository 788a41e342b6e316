"""The editor's day: start an article, preview it as it changes, keep drafts private."""

import re
import threading
import urllib.request
from dataclasses import dataclass

import feedparser
import pytest
import yaml
from playwright.sync_api import expect

from bantin.articles import split_front_matter
from bantin.build import build_or_report, load_settings
from bantin.editor import new_article
from bantin.preview import live_preview
from tests.support.sites import ROOT, Site


def test_new_article_has_its_front_matter_filled_in_and_builds_as_a_draft(tmp_path):
    site = Site(tmp_path)
    settings = load_settings(ROOT / "pelicanconf.py", site.overrides())
    path = new_article(site.content, "Hội nghị: sơ kết 6 tháng đầu năm", settings)
    assert path.parent == site.content / "bai-viet"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-hoi-nghi-so-ket-6-thang-dau-nam\.md", path.name)
    block, _ = split_front_matter(path.read_text(encoding="utf-8"))
    fields = yaml.safe_load(block)
    assert fields["title"] == "Hội nghị: sơ kết 6 tháng đầu năm"
    assert fields["slug"] == "hoi-nghi-so-ket-6-thang-dau-nam"
    assert fields["participants"] == [] and fields["photos"] == [] and fields["status"] == "draft"
    assert "#   - name: Nguyễn Văn A" in block  # a commented example
    site.build()
    html = site.page(
        f"/{path.name[:4]}/{path.name[5:7]}/{path.name[8:10]}/hoi-nghi-so-ket-6-thang-dau-nam/"
    )
    assert "Bản nháp: chưa xuất bản" in html


def test_new_article_never_overwrites(tmp_path):
    site = Site(tmp_path)
    settings = load_settings(ROOT / "pelicanconf.py", site.overrides())
    first = new_article(site.content, "Đại hội Công đoàn", settings)
    second = new_article(site.content, "Đại hội Công đoàn", settings)
    assert first != second and second.name.endswith("-dai-hoi-cong-doan-2.md")


def test_dev_new_is_a_command_that_refuses_an_option_as_title(tmp_path):
    import subprocess

    run = subprocess.run(
        [str(ROOT / "dev"), "--help", "new"],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert run.returncode == 0 and "Start a draft article" in run.stdout
    site = Site(tmp_path)
    with pytest.raises(ValueError, match="looks like an option"):
        new_article(
            site.content, "--help", load_settings(ROOT / "pelicanconf.py", site.overrides())
        )


@dataclass
class Preview:
    site: Site
    url: str
    rebuilds_allowed: threading.Event  # cleared: the next rebuild waits
    rebuilds: threading.Semaphore  # released after each rebuild


@pytest.fixture
def preview(tmp_path):
    """The live preview of a small site (two articles) built before, as an editor's
    project is; running in a thread."""
    site = Site(tmp_path)
    site.article("bai", title="Bài xem trước", body="Đoạn văn đầu tiên.")
    site.article("khac", title="Bài khác", date="2020-11-02", body="Một bài khác.")
    site.build()
    ready, stop = threading.Event(), threading.Event()
    rebuilds_allowed, rebuilds = threading.Event(), threading.Semaphore(0)
    rebuilds_allowed.set()
    address = {}

    def started(url):
        address["url"] = url
        ready.set()

    def rebuild(**options):
        rebuilds_allowed.wait()
        try:
            return build_or_report(
                ROOT / "pelicanconf.py", site.output, site.overrides(), **options
            )
        finally:
            rebuilds.release()

    thread = threading.Thread(
        target=live_preview,
        kwargs={
            "rebuild": rebuild,
            "output": site.output,
            "watched": [site.content],
            "code": [],
            "port": 0,
            "stop": stop,
            "on_ready": started,
        },
        daemon=True,
    )
    thread.start()
    assert ready.wait(60), "the preview did not start"
    assert rebuilds.acquire(timeout=60)  # the first build
    yield Preview(site, address["url"], rebuilds_allowed, rebuilds)
    rebuilds_allowed.set()
    stop.set()
    thread.join(10)


ARTICLE = "2020/12/25/bai-xem-truoc/"


def test_preview_rebuilds_after_an_edit_and_the_page_reloads_itself(page, preview):
    page.goto(preview.url + ARTICLE)
    expect(page.locator(".bt-article__body")).to_contain_text("Đoạn văn đầu tiên.")
    page.wait_for_load_state("networkidle")
    preview.site.article("bai", title="Bài xem trước", body="Đoạn văn đã sửa.")
    expect(page.locator(".bt-article__body")).to_contain_text("Đoạn văn đã sửa.", timeout=20_000)


def test_preview_shows_an_edited_article_before_the_site_is_rebuilt(page_factory, preview):
    edited, other = page_factory(), page_factory()
    edited.goto(preview.url + ARTICLE)
    other.goto(preview.url + "2020/11/02/bai-khac/")
    other.evaluate("window.notReloaded = true")
    for tab in (edited, other):
        tab.wait_for_load_state("networkidle")
    preview.rebuilds_allowed.clear()
    preview.site.article("bai", title="Bài xem trước", body="Đoạn văn đã sửa.")
    # Shown while the rebuild has not even started.
    expect(edited.locator(".bt-article__body")).to_contain_text("Đoạn văn đã sửa.", timeout=20_000)
    assert not preview.rebuilds.acquire(blocking=False)
    preview.rebuilds_allowed.set()
    assert preview.rebuilds.acquire(timeout=30)
    preview.site.article("bai", title="Bài xem trước", body="Sửa lần thứ hai.")
    expect(edited.locator(".bt-article__body")).to_contain_text("Sửa lần thứ hai.", timeout=20_000)
    assert preview.rebuilds.acquire(timeout=30)
    # A page the edits did not change was never reloaded.
    assert other.evaluate("window.notReloaded") is True


def test_preview_shows_an_added_article_with_its_photo_before_the_site_is_rebuilt(
    capsys, page, preview
):
    site = preview.site
    site.photo("2020/moi/quang-canh.jpg")  # saved first, as editors do: a rebuild of its own
    assert preview.rebuilds.acquire(timeout=30)
    preview.rebuilds_allowed.clear()
    site.article(
        "moi",
        title="Bài vừa viết",
        slug="bai-vua-viet",
        date="2020-12-28",
        photos=[{"file": "2020/moi/quang-canh.jpg", "caption": "Quang cảnh", "alt": "Hội trường"}],
        body="Nội dung bài vừa viết.",
    )
    address = preview.url + "2020/12/28/bai-vua-viet/"
    for _ in range(200):  # the preview prints the new article's address once it is shown
        if address in capsys.readouterr().out:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the preview never printed the added article's address")
    with urllib.request.urlopen(urllib.request.Request(address, method="HEAD")) as answer:
        assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/html")
    page.goto(address.removesuffix("/"))  # the folder's address without its slash, too
    expect(page.locator("h1")).to_have_text("Bài vừa viết")
    lead_photo = page.locator(".bt-article figure img").first
    expect(lead_photo).to_have_attribute("alt", "Hội trường")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=lead_photo.element_handle()
    )
    # All of it while the rebuild is held before it begins.
    assert not preview.rebuilds.acquire(blocking=False)
    assert not (site.output / "2020/12/28/bai-vua-viet").exists()
    preview.rebuilds_allowed.set()
    assert preview.rebuilds.acquire(timeout=30)
    assert "Bài vừa viết" in site.page("/2020/12/28/bai-vua-viet/")


def test_preview_shows_a_failed_build_on_the_page_and_keeps_the_last_good_one(page, preview):
    site, url = preview.site, preview.url
    page.goto(url + ARTICLE)
    page.wait_for_load_state("networkidle")
    site.article("bai", title="Bài xem trước", body="Đoạn văn đầu tiên.", date="25/12/2020")
    banner = page.locator(".bt-preview-error")
    expect(banner).to_contain_text("bai.md: date: found '25/12/2020'", timeout=20_000)
    expect(page.locator(".bt-article__body")).to_contain_text("Đoạn văn đầu tiên.")
    site.article("bai", title="Bài xem trước", body="Đã sửa ngày.")
    expect(page.locator(".bt-article__body")).to_contain_text("Đã sửa ngày.", timeout=20_000)
    expect(banner).to_have_count(0)


def test_drafts_and_future_articles_show_marked_in_the_preview(tmp_path):
    site = Site(tmp_path)
    site.article(
        "nhap",
        title="Bài nháp",
        status="draft",
        participants=[{"name": "Người Chỉ Trong Nháp", "role": "Đại biểu"}],
    )
    site.article("sau", title="Bài hẹn giờ", date="2099-01-01T08:00")
    site.build()
    home = site.page("/")
    assert "Bản nháp: chưa xuất bản" in home and "Hẹn đăng: chưa xuất bản" in home
    assert "Bài nháp" in site.page("/2020/12/25/bai-nhap/")


def test_drafts_and_future_articles_are_absent_from_every_public_output(tmp_path):
    site = Site(tmp_path)
    site.article("dang", title="Bài đã đăng")
    site.article(
        "nhap",
        title="Bài nháp xyzzy",
        status="draft",
        participants=[{"name": "Người Chỉ Trong Nháp", "role": "Đại biểu"}],
    )
    site.article(
        "sau", title="Bài hẹn giờ xyzzy", date="2099-01-01T08:00", tags=["chỉ trong bài hẹn giờ"]
    )
    site.build(settings=ROOT / "publishconf.py")
    for path in site.output.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "xyzzy" not in text and "Người Chỉ Trong Nháp" not in text, path
    assert (
        not (site.output / "2099").exists() and not (site.output / "2020/12/25/bai-nhap").exists()
    )
    assert not (site.output / "nguoi/nguoi-chi-trong-nhap").exists()
    assert not (site.output / "chu-de/chi-trong-bai-hen-gio").exists()
    assert [
        entry.title for entry in feedparser.parse((site.output / "atom.xml").read_bytes()).entries
    ] == ["Bài đã đăng"]


def test_public_build_publishes_no_photo_of_a_draft(tmp_path):
    from PIL import Image

    site = Site(tmp_path)
    for name, color in (("cong-khai.jpg", (10, 120, 10)), ("nhap.jpg", (120, 10, 10))):
        site.photo(name)
        Image.new("RGB", (800, 600), color).save(site.content / "anh" / name)
    photo = {"caption": "Quang cảnh", "alt": "Hội trường"}
    site.article("dang", title="Bài đăng", photos=[{**photo, "file": "cong-khai.jpg"}])
    site.article("nhap", title="Bài nháp", status="draft", photos=[{**photo, "file": "nhap.jpg"}])
    site.build(settings=ROOT / "publishconf.py")
    published = {path.name.split(".")[0] for path in (site.output / "anh").iterdir()}
    assert published == {"cong-khai"}
