"""The preview brings the whole site up to date after an edit of articles' text from the
build it keeps (bantin.text_edits), and the site is then what a full build makes."""

import pytest

from bantin.build import build
from bantin.first_look import FirstLook
from tests.support.sites import SETTINGS, Site
from tests.support.trees import inodes, tree

PEOPLE = [{"name": "Phạm Thúy Chinh", "role": "Phó Chủ tịch"}]


@pytest.fixture
def kept(tmp_path):
    """A site of articles sharing a person, topics and an organisation, built with a
    FirstLook keeping the build, as the preview does."""
    site = Site(tmp_path)
    for number, day in enumerate(("2020-12-25", "2020-11-02", "2019-03-01", "2021-01-05")):
        site.article(
            f"bai-{number}",
            title=f"Bài số {number}",
            slug=f"bai-so-{number}",
            date=day,
            participants=PEOPLE,
            tags=["công đoàn", "đối thoại"][: number % 2 + 1],
            summary=f"Lời dẫn bài {number}.",
            body=f"Đoạn đầu của bài {number}.\n\nĐoạn hai của bài {number}.",
        )
    first_look = FirstLook()
    first_look.connect()
    rebuild(site, first_look, [])
    yield site, first_look
    first_look.disconnect()


def rebuild(site: Site, first_look: FirstLook, changed: list) -> None:
    build(
        SETTINGS,
        site.output,
        site.overrides(),
        even_if_up_to_date=True,
        first_look=first_look,
        changed=changed,
    )
    first_look.built(succeeded=True)


def full_build(site: Site):
    other = site.root / "full"
    build(SETTINGS, other, site.overrides({"OUTPUT_PATH": str(other)}), force=True)
    return tree(other)


@pytest.mark.parametrize(
    "edit",
    [
        {"body": "Đoạn đầu đã sửa.\n\nĐoạn hai của bài 1."},
        {"title": "Bài số 1 (đã sửa)", "summary": "Lời dẫn mới."},
        # then its lead is the beginning of its body, which the second edit changes
        {"summary": None},
    ],
    ids=["body", "title and lead", "lead removed"],
)
def test_a_text_edit_brings_the_kept_site_to_what_a_full_build_makes(kept, edit):
    site, first_look = kept
    folder, before = site.output.stat().st_ino, inodes(site.output)
    fields = {
        "title": "Bài số 1",
        "slug": "bai-so-1",  # else the address follows the title
        "date": "2020-11-02",
        "participants": PEOPLE,
        "tags": ["công đoàn", "đối thoại"],
        "summary": "Lời dẫn bài 1.",
        "body": "Đoạn đầu của bài 1.\n\nĐoạn hai của bài 1.",
    }
    edited = site.article("bai-1", **{**fields, **edit})
    rebuild(site, first_look, [edited])
    assert site.output.stat().st_ino == folder  # brought up to date, not built again
    after = inodes(site.output)
    rewritten = {name for name in after if before.get(name) != after[name]}
    assert "2020/11/02/bai-so-1/index.html" in rewritten
    # Pages showing bai-1 as a card or a link (lists, its person, its neighbour's page)
    # change with its title, the home page's card with its lead too, none with its body.
    shows_cards = {
        "index.html",
        "nguoi/pham-thuy-chinh/index.html",
        "2020/12/25/bai-so-0/index.html",
    }
    changed_cards = {"index.html"} if "summary" in edit else set()
    assert (shows_cards & rewritten) == (shows_cards if "title" in edit else changed_cards)
    assert tree(site.output) == full_build(site)

    again = site.article("bai-1", **{**fields, **edit, "body": "Lần sửa thứ hai."})
    rebuild(site, first_look, [again])
    assert site.output.stat().st_ino == folder
    assert "Lần sửa thứ hai." in site.page("/2020/11/02/bai-so-1/")
    assert tree(site.output) == full_build(site)


def test_an_edit_of_what_links_an_article_builds_the_whole_site(kept):
    site, first_look = kept
    folder = site.output.stat().st_ino
    edited = site.article(
        "bai-1",
        title="Bài số 1",
        slug="bai-so-1",
        date="2020-11-02",
        participants=PEOPLE,
        tags=["thi đua"],
    )
    rebuild(site, first_look, [edited])
    assert site.output.stat().st_ino != folder
    assert (site.output / "chu-de" / "thi-dua" / "index.html").is_file()
    assert tree(site.output) == full_build(site)
