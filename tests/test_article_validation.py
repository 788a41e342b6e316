"""An invalid article stops the build with every problem, each naming the file, the
field and what was expected; the previous site is left as it was."""

import re
import unicodedata

import pytest

from bantin.build import BuildFailed
from tests.support.sites import Site


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def build_error(site: Site) -> str:
    with pytest.raises(BuildFailed) as failure:
        site.build()
    return str(failure.value)


def test_valid_article_builds(site):
    site.article("hop-le")
    site.build()
    assert (site.output / "2020/12/25/hoi-nghi-doi-thoai-nam-2020/index.html").is_file()


def test_missing_title_names_file_and_field(site):
    site.article("khong-tieu-de", title=None)
    message = build_error(site)
    assert "content/bai-viet/khong-tieu-de.md: title: missing or empty" in message
    assert "expected the article's headline" in message


def test_empty_title_is_an_error(site):
    site.article("tieu-de-rong", title="   ")
    assert "content/bai-viet/tieu-de-rong.md: title: missing or empty" in build_error(site)


def test_unparseable_date_says_what_format_is_expected(site):
    site.article("ngay-sai", date="25/12/2020 11:52")
    message = build_error(site)
    assert "content/bai-viet/ngay-sai.md: date: found '25/12/2020 11:52'" in message
    assert "expected an ISO 8601 date, e.g. 2020-12-25" in message


def test_impossible_date_is_reported_as_not_a_real_date(site):
    site.article("ngay-khong-co", date="2021-02-30T09:00")
    message = build_error(site)
    assert "date: found '2021-02-30T09:00', which is not a real date or time" in message


def test_modified_before_date_is_an_error(site):
    site.article("sua-truoc-dang", modified="2020-12-24T08:00")
    assert "modified: 2020-12-24T08:00:00+07:00 is earlier than the date" in build_error(site)


def test_unknown_event_kind_lists_the_vocabulary(site):
    site.article("su-kien-la", event="tiệc tất niên")
    message = build_error(site)
    assert "event: found 'tiệc tất niên', which is not a known kind of event" in message
    assert "hội nghị, hội thảo, tọa đàm" in message


def test_event_kind_matches_whatever_the_tone_placement_and_case(site):
    site.article("toa-dam", event="TOẠ ĐÀM")
    site.build()
    assert (site.output / "su-kien/toa-dam/index.html").is_file()


def test_participant_without_a_name_names_the_list_index(site):
    site.article(
        "thieu-ten",
        participants=[
            {"name": "Nguyễn Văn An", "role": "Chủ tịch"},
            {"role": "Phó Chủ tịch HĐND tỉnh"},
        ],
    )
    message = build_error(site)
    assert "content/bai-viet/thieu-ten.md: participants[1].name: missing or empty" in message
    assert "participants[0]" not in message


def test_missing_photo_file_is_reported_with_where_it_was_looked_for(site):
    site.article(
        "thieu-anh",
        photos=[{"file": "2020/khong-co.jpg", "caption": "Quang cảnh", "alt": "Hội trường"}],
    )
    message = build_error(site)
    assert "photos[0].file: '2020/khong-co.jpg' does not exist" in message
    assert "content/anh/" in message


def test_photo_path_may_not_leave_the_photo_folder(site):
    (site.content / "bi-mat.jpg").write_bytes(b"x")
    site.article("ra-ngoai", photos=[{"file": "../bi-mat.jpg", "caption": "C", "alt": "A"}])
    assert "photos[0].file: '../bi-mat.jpg' does not exist" in build_error(site)


def test_photo_without_alt_or_caption_is_an_error(site):
    site.photo("2020/a.jpg")
    site.article("anh-thieu", photos=[{"file": "2020/a.jpg"}])
    message = build_error(site)
    assert "photos[0].caption: missing or empty" in message
    assert "photos[0].alt: missing or empty" in message


def test_two_articles_with_the_same_url_are_both_named(site):
    site.article("ban-mot", slug="trung-lap")
    site.article("ban-hai", slug="trung-lap", title="Một tiêu đề khác")
    message = build_error(site)
    assert re.search(
        r"ban-hai\.md: slug: gives the same URL /2020/12/25/trung-lap/ as \S*ban-mot\.md", message
    )
    assert re.search(
        r"ban-mot\.md: slug: gives the same URL /2020/12/25/trung-lap/ as \S*ban-hai\.md", message
    )


def test_unknown_field_suggests_the_closest_known_one(site):
    site.article("go-nham", particpants=[{"name": "A", "role": "B"}])
    message = build_error(site)
    assert (
        "content/bai-viet/go-nham.md: particpants: unknown field; did you mean 'participants'?"
        in message
    )


def test_unknown_field_inside_a_participant_is_reported(site):
    site.article("go-nham-2", participants=[{"name": "A", "role": "B", "chuc_vu": "C"}])
    assert "participants[0].chuc_vu: unknown field" in build_error(site)


def test_field_written_twice_is_an_error(site):
    site.raw_article(
        "hai-lan",
        "---\ntitle: Một\ntitle: Hai\ndate: 2020-12-25\nevent: hội nghị\norganizations: [VPQH]\n---\nX\n",
    )
    message = build_error(site)
    assert (
        "hai-lan.md: title: is written twice (again on line 3); expected each field once" in message
    )
    assert "1 problem in the content" in message


def test_every_problem_of_every_file_is_reported_at_once(site):
    site.article("mot", title=None, event="liên hoan")
    site.article("hai", date="hôm qua", participants=[{"role": "Bí thư"}])
    message = build_error(site)
    assert "4 problems in the content" in message
    for expected in (
        "mot.md: title",
        "mot.md: event",
        "hai.md: date",
        "hai.md: participants[0].name",
    ):
        assert expected in message


def test_file_without_front_matter_is_explained(site):
    site.raw_article("tho", "Chỉ có nội dung, không có phần thông tin.\n")
    assert (
        "tho.md: has no front matter; expected the file to start with a '---' line"
        in build_error(site)
    )


def test_invalid_yaml_gives_the_line_and_nothing_else(site):
    site.raw_article("yaml-hong", "---\ntitle: [chưa đóng\ndate: 2020-12-25\n---\nX\n")
    message = build_error(site)
    assert "yaml-hong.md: the front matter is not valid YAML (line 3)" in message
    assert "1 problem in the content" in message


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters whole, tone marks as combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    spelled = ""
    for letter in text:
        decomposed = unicodedata.normalize("NFD", letter)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        spelled += base + "".join(c for c in decomposed if c in tones)
    return spelled.encode("cp1258")


def test_file_in_a_legacy_encoding_is_reported_not_garbled(site):
    text = "---\ntitle: Hội nghị\ndate: 2020-12-25\nevent: hội nghị\norganizations: [VPQH]\n---\nĐại hội\n"
    site.raw_article("cp1258", windows_1258(text))
    assert "cp1258.md: is not UTF-8 text" in build_error(site)


def test_nfd_text_is_normalised_to_nfc_with_a_warning(site, caplog):
    site.article(
        "nfd",
        title=unicodedata.normalize("NFD", "Hội nghị Đảng ủy"),
        body=unicodedata.normalize("NFD", "Nội dung tiếng Việt."),
    )
    site.build()
    html = site.page("/2020/12/25/hoi-nghi-dang-uy/")
    assert "Hội nghị Đảng ủy" in html and unicodedata.is_normalized("NFC", html)
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert any(
        "nfd.md: title: text was not in Unicode NFC; it was normalised" in w for w in warnings
    )
    assert any("nfd.md: body: text was not in Unicode NFC" in w for w in warnings)


def test_failed_build_leaves_the_previous_site_untouched(site):
    site.article("tot")
    site.build()
    before = {
        p.relative_to(site.output): p.read_bytes() for p in site.output.rglob("*") if p.is_file()
    }
    site.article("hong", date="không rõ")
    build_error(site)
    after = {
        p.relative_to(site.output): p.read_bytes() for p in site.output.rglob("*") if p.is_file()
    }
    assert after == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".")] == []


def test_check_reports_problems_without_writing_anything(site):
    site.article("hong", title=None)
    with pytest.raises(BuildFailed, match=r"hong\.md: title: missing or empty"):
        site.check()
    assert not site.output.exists()


def test_check_passes_valid_content_without_writing_anything(site):
    site.article("tot")
    site.check()
    assert not site.output.exists()


def test_a_draft_may_name_photos_still_to_be_supplied(site, caplog):
    site.article(
        "nhap",
        status="draft",
        photos=[
            {"caption": "Quang cảnh", "alt": "Hội trường"},
            {"file": "sau/nay.jpg", "caption": "C", "alt": "A"},
        ],
    )
    site.build()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("nhap.md: photos[0].file: 'no file' is still to be supplied" in w for w in warnings)
    assert any(
        "nhap.md: photos[1].file: 'sau/nay.jpg' is still to be supplied" in w for w in warnings
    )


def test_publishing_an_article_whose_photos_are_missing_is_an_error(site):
    site.article("xuat-ban", photos=[{"caption": "Quang cảnh", "alt": "Hội trường"}])
    assert "xuat-ban.md: photos[0].file: missing or empty" in build_error(site)


def test_each_build_repeats_its_warnings(site, caplog):
    site.article("nfd", title=unicodedata.normalize("NFD", "Hội nghị"))
    for _ in range(2):
        caplog.clear()
        site.build(force=True)
        assert any(
            "nfd.md: title: text was not in Unicode NFC" in r.getMessage() for r in caplog.records
        )


def test_tags_written_on_one_line_are_split_at_commas(site):
    site.article("the", tags="công đoàn, thi đua")
    site.build()
    assert 'href="/chu-de/cong-doan/"' in site.page("/2020/12/25/hoi-nghi-doi-thoai-nam-2020/")
    assert (site.output / "chu-de/thi-dua/index.html").is_file()


def test_a_missing_photo_is_named_with_the_folder_editors_know(site):
    site.article("anh", photos=[{"file": "khong/co.jpg", "caption": "C", "alt": "A"}])
    message = build_error(site)
    assert "expected an image file in content/anh/" in message
    assert str(site.root) not in message


def test_a_build_shows_twenty_warnings_and_counts_the_rest_check_shows_all(site, caplog):
    for number in range(25):
        site.article(
            f"nhap-{number}",
            title=f"Bản nháp {number}",
            status="draft",
            photos=[{"caption": "C", "alt": "A"}],
        )
    site.build()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 21
    assert warnings[-1] == "… and 5 more warnings; './dev check' lists them all"
    caplog.clear()
    site.check()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 25
    assert all("is still to be supplied" in warning for warning in warnings)
