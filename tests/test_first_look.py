"""The preview's first look at an edited or added article (bantin.first_look), and a
preview's rebuilds not keeping earlier builds in memory."""

import gc
import re
import weakref

import pytest
from pelican import signals

from bantin.build import BuildFailed
from bantin.first_look import FirstLook
from tests.support.sites import Site

PAGE = "2020/12/25/bai-xem-truoc/index.html"
# Set by the rebuild alone: when the build that saw the new text ran.
MODIFIED_TIME = re.compile(r'(article:modified_time" content=|"dateModified": )"[^"]+"')
# Set by the rebuild alone, from every article: an added article's related articles and
# neighbours.
FROM_EVERY_ARTICLE = re.compile(
    r'<section class="bt-related".*?</section>|<nav class="bt-neighbours".*?</nav>', re.DOTALL
)


@pytest.fixture
def looking(tmp_path):
    """A built site of two articles, with a FirstLook that saw the build."""
    site = Site(tmp_path)
    site.article("bai", title="Bài xem trước", slug="bai-xem-truoc", body="Đoạn đầu.\n\nĐoạn hai.")
    site.article("khac", title="Bài khác", date="2020-11-02", body="Một bài khác.")
    first_look = FirstLook()
    first_look.connect()
    site.build()
    first_look.built(succeeded=True)
    yield site, first_look
    first_look.disconnect()


def test_first_look_at_a_text_edit_is_the_page_the_rebuild_makes(looking):
    site, first_look = looking
    edited = site.article(
        "bai",
        title="Bài xem trước (sửa)",
        slug="bai-xem-truoc",
        summary="Lời dẫn mới.",
        body="Đoạn đầu mới.\n\nĐoạn hai.",
    )
    pages = first_look.pages([edited, site.content / "anh" / "ghi-chu.txt"])
    assert list(pages) == [PAGE]
    shown = pages[PAGE].decode()
    assert all(text in shown for text in ("Bài xem trước (sửa)", "Lời dẫn mới.", "Đoạn đầu mới."))
    site.build()
    first_look.built(succeeded=True)
    rebuilt = (site.output / PAGE).read_text(encoding="utf-8")
    assert MODIFIED_TIME.sub("", pages[PAGE].decode()) == MODIFIED_TIME.sub("", rebuilt)


@pytest.mark.parametrize(
    "change",
    [
        {"date": "2020-12-26"},
        {"participants": [{"name": "Phạm Thúy Chinh", "role": "Phó Chủ tịch"}]},
        {"tags": ["đối thoại"]},
        {"status": "draft"},
    ],
    ids=["date", "participants", "tags", "status"],
)
def test_an_edit_that_links_the_article_to_other_pages_waits_for_the_rebuild(looking, change):
    site, first_look = looking
    edited = site.article(
        "bai", title="Bài xem trước", slug="bai-xem-truoc", body="Đoạn đầu.\n\nĐoạn hai.", **change
    )
    assert first_look.pages([edited]) == {}


def test_first_look_at_an_added_article_is_its_page_with_its_photos_but_its_neighbours(looking):
    site, first_look = looking
    site.photo("2020/moi/quang-canh.jpg")
    added = site.article(
        "moi",
        title="Bài mới thêm",
        slug="bai-moi-them",
        date="2020-12-20",
        participants=[{"name": "Phạm Thúy Chinh", "role": "Phó Chủ tịch"}],
        tags=["đối thoại"],
        photos=[{"file": "2020/moi/quang-canh.jpg", "caption": "Quang cảnh", "alt": "Hội trường"}],
        body="Đoạn mở đầu của bài mới.",
    )
    files = first_look.pages([added])
    page = "2020/12/20/bai-moi-them/index.html"
    shown = files[page].decode()
    assert all(text in shown for text in ("Bài mới thêm", "Đoạn mở đầu", "Phạm Thúy Chinh"))
    photos = [name for name in files if name.startswith("anh/")]
    assert photos and all(f"/{name}" in shown or name.endswith("-card.jpg") for name in photos)
    assert not (site.output / page).exists()  # shown before the rebuild writes it
    site.build()
    first_look.built(succeeded=True)
    rebuilt = (site.output / page).read_text(encoding="utf-8")
    assert "bt-neighbours" in rebuilt and "bt-related" in rebuilt

    def without_rebuild_parts(html: str) -> list[str]:
        html = FROM_EVERY_ARTICLE.sub("", MODIFIED_TIME.sub("", html))
        return [line for line in html.splitlines() if line.strip()]

    assert without_rebuild_parts(shown) == without_rebuild_parts(rebuilt)
    assert all(files[name] == (site.output / name).read_bytes() for name in photos)


def test_no_first_look_at_an_added_article_with_problems_or_outside_the_articles(looking):
    site, first_look = looking
    missing_photo = site.article(
        "moi", slug="bai-moi", photos=[{"file": "khong-co.jpg", "alt": "Ảnh"}]
    )
    same_address = site.article("trung", title="Trùng địa chỉ", slug="bai-xem-truoc")
    elsewhere = site.content / "trang" / "gioi-thieu.md"
    elsewhere.parent.mkdir()
    site.article("gioi-thieu", slug="gioi-thieu", date="2020-10-01").rename(elsewhere)
    ignored = site.content / "bai-viet" / "ghi-chu.txt"
    ignored.write_text("Ghi chú của phóng viên.", encoding="utf-8")
    assert first_look.pages([missing_photo, same_address, elsewhere, ignored]) == {}


def test_no_first_look_after_a_failed_build_or_at_an_unreadable_file(looking):
    site, first_look = looking
    unreadable = site.article("bai", title="Bài xem trước", slug="bai-xem-truoc", date="25/12/2020")
    assert first_look.pages([unreadable]) == {}
    with pytest.raises(BuildFailed):
        site.build()
    first_look.built(succeeded=False)
    fixed = site.article("bai", title="Bài xem trước", slug="bai-xem-truoc", body="Đã sửa.")
    assert first_look.pages([fixed]) == {}


def test_a_rebuild_in_the_same_process_frees_the_last_builds_articles(tmp_path):
    site = Site(tmp_path)
    site.article("bai", body="Bản đầu.")
    articles = []

    def keep_references(generators):
        articles.extend(weakref.ref(a) for g in generators for a in getattr(g, "articles", ()))

    signals.all_generators_finalized.connect(keep_references)
    try:
        site.build()
        first_build = list(articles)
        site.article("bai", body="Bản sửa.")
        site.build()
    finally:
        signals.all_generators_finalized.disconnect(keep_references)
    gc.collect()
    assert first_build and all(reference() is None for reference in first_build)
