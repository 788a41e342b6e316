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
# Set by the rebuild alone, from every article: the related articles and neighbours of an
# article read alone.
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


def rebuilt_page(site: Site, first_look: FirstLook, page: str) -> str:
    site.build()
    first_look.built(succeeded=True)
    return (site.output / page).read_text(encoding="utf-8")


def but_what_every_article_gives(html: str) -> list[str]:
    html = FROM_EVERY_ARTICLE.sub("", MODIFIED_TIME.sub("", html))
    return [line for line in html.splitlines() if line.strip()]


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
    assert "bt-neighbours" in shown  # kept from the last build
    rebuilt = rebuilt_page(site, first_look, PAGE)
    assert MODIFIED_TIME.sub("", shown) == MODIFIED_TIME.sub("", rebuilt)


@pytest.mark.parametrize(
    ("change", "page", "shown"),
    [
        ({"date": "2020-12-26"}, "2020/12/26/bai-xem-truoc/index.html", "26/12/2020"),
        (
            {"participants": [{"name": "Phạm Thúy Chinh", "role": "Phó Chủ tịch"}]},
            PAGE,
            'href="/nguoi/pham-thuy-chinh/"',
        ),
        ({"tags": ["đối thoại"]}, PAGE, 'href="/chu-de/doi-thoai/"'),
        ({"status": "draft"}, PAGE, "Bản nháp"),
    ],
    ids=["date", "participants", "tags", "status"],
)
def test_an_edit_that_links_the_article_to_other_pages_is_read_alone(looking, change, page, shown):
    site, first_look = looking
    edited = site.article(
        "bai", title="Bài xem trước", slug="bai-xem-truoc", body="Đoạn đầu.\n\nĐoạn hai.", **change
    )
    pages = first_look.pages([edited])
    assert list(pages) == [page]
    assert shown in pages[page].decode()
    rebuilt = rebuilt_page(site, first_look, page)
    assert but_what_every_article_gives(pages[page].decode()) == but_what_every_article_gives(
        rebuilt
    )


def test_first_look_at_an_added_article_is_its_page_with_its_photos(looking):
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
    rebuilt = rebuilt_page(site, first_look, page)
    assert "bt-neighbours" in rebuilt and "bt-related" in rebuilt
    assert but_what_every_article_gives(shown) == but_what_every_article_gives(rebuilt)
    assert all(files[name] == (site.output / name).read_bytes() for name in photos)


def test_a_renamed_article_file_gets_its_first_look(looking):
    site, first_look = looking
    renamed = site.content / "bai-viet" / "2020-12-25-bai-xem-truoc.md"
    (site.content / "bai-viet" / "bai.md").rename(renamed)
    assert list(first_look.pages([site.content / "bai-viet" / "bai.md", renamed])) == [PAGE]


def test_the_registry_of_names_does_not_keep_an_added_article_from_its_first_look(looking):
    site, first_look = looking
    # An alias for a body no article names yet: the registry's problem, not the article's.
    site.registry(
        """
        organizations:
          aliases:
            UBND tỉnh: Ủy ban nhân dân tỉnh
        """
    )
    added = site.article("moi", title="Bài mới thêm", slug="bai-moi-them", date="2020-12-20")
    assert list(first_look.pages([added])) == ["2020/12/20/bai-moi-them/index.html"]


@pytest.mark.parametrize(
    "why",
    ["missing photo", "address of another article", "outside the articles", "not content"],
)
def test_no_first_look_at_an_article_with_problems_or_at_other_files(looking, why):
    site, first_look = looking
    if why == "missing photo":
        changed = site.article(
            "moi", slug="bai-moi", photos=[{"file": "khong-co.jpg", "alt": "Ảnh"}]
        )
    elif why == "address of another article":
        changed = site.article("trung", title="Trùng địa chỉ", slug="bai-xem-truoc")
    elif why == "outside the articles":
        changed = site.content / "trang" / "gioi-thieu.md"
        changed.parent.mkdir()
        site.article("gioi-thieu", slug="gioi-thieu", date="2020-10-01").rename(changed)
    else:
        changed = site.content / "bai-viet" / "ghi-chu.txt"
        changed.write_text("Ghi chú của phóng viên.", encoding="utf-8")
    assert first_look.pages([changed]) == {}


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
