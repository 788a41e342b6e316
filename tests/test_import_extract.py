"""The importer reads the genre's patterns: people with their roles, captions, bylines,
the header, and the site's junk, from bulletins shaped unlike the five samples."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantin.articles import EventKind
from bantin.importer.extract import (
    CannotImport,
    extract_bulletin,
    paragraphs_of,
    parse_byline,
    remove_junk,
    restore_case,
)
from bantin.importer.participants import collect_participants, find_mentions

KINDS = tuple(
    EventKind(slug, label)
    for slug, label in [
        ("hoi-nghi", "Hội nghị"),
        ("hoi-thao", "Hội thảo"),
        ("toa-dam", "Tọa đàm"),
        ("sinh-hoat-chi-bo", "Sinh hoạt chi bộ"),
        ("sinh-hoat-chuyen-de", "Sinh hoạt chuyên đề"),
        ("dai-hoi", "Đại hội"),
        ("doi-thoai", "Đối thoại"),
    ]
)


def people(text: str) -> list[tuple[str, str, bool]]:
    found, _ = collect_participants(find_mentions(text), set())
    return [(person.name, person.role, person.chair) for person in found]


def test_role_before_name_over_commas():
    text = "Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Hoàng Văn Nam chủ trì hội nghị."
    assert people(text) == [("Hoàng Văn Nam", "Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh", True)]


def test_a_place_in_the_role_is_not_part_of_the_name():
    text = "Chủ tịch UBND tỉnh Lâm Đồng Trần Văn Hiệp phát biểu."
    assert people(text) == [("Trần Văn Hiệp", "Chủ tịch UBND tỉnh Lâm Đồng", False)]


def test_ong_ba_name_comma_role():
    text = "Ông Lò Văn Pản, Chủ tịch Ủy ban MTTQ huyện và bà Hà Thị Lan, Phó Bí thư Đảng ủy xã đồng chủ trì đại hội."
    assert people(text) == [
        ("Lò Văn Pản", "Chủ tịch Ủy ban MTTQ huyện", True),
        ("Hà Thị Lan", "Phó Bí thư Đảng ủy xã", True),
    ]


def test_tham_du_co_list_of_name_comma_role():
    text = (
        "Tham dự có các đồng chí: Trần Thị Mai Hương, Trưởng Ban Pháp chế HĐND tỉnh; "
        "Lường Văn Pọm, Trưởng Ban Dân tộc HĐND tỉnh; Đỗ Quang Huy, Chánh Văn phòng Đoàn ĐBQH "
        "và HĐND tỉnh cùng lãnh đạo các huyện."
    )
    assert people(text) == [
        ("Trần Thị Mai Hương", "Trưởng Ban Pháp chế HĐND tỉnh", False),
        ("Lường Văn Pọm", "Trưởng Ban Dân tộc HĐND tỉnh", False),
        ("Đỗ Quang Huy", "Chánh Văn phòng Đoàn ĐBQH và HĐND tỉnh", False),
    ]


def test_dong_chi_name_dash_role_list():
    text = (
        "Dự hội nghị có đồng chí Nông Thị Hà - Phó Chủ tịch UBND huyện; "
        "đồng chí Đinh Công Sứ – Trưởng Ban Kinh tế - Ngân sách HĐND huyện."
    )
    assert people(text) == [
        ("Nông Thị Hà", "Phó Chủ tịch UBND huyện", False),
        ("Đinh Công Sứ", "Trưởng Ban Kinh tế - Ngân sách HĐND huyện", False),
    ]


def test_name_with_role_in_parentheses():
    assert people("Đồng chí Ksor Phước Hà (Phó Chủ tịch Thường trực HĐND tỉnh) phát biểu.") == [
        ("Ksor Phước Hà", "Phó Chủ tịch Thường trực HĐND tỉnh", False)
    ]


def test_chair_named_after_chu_tri_cua():
    text = "Dưới sự chủ trì của đồng chí Bế Văn Tài - Bí thư Chi bộ, chi bộ đã thảo luận."
    assert people(text) == [("Bế Văn Tài", "Bí thư Chi bộ", True)]


def test_a_body_named_after_a_person_is_nobody():
    text = "Hội Cựu chiến binh và Đoàn Thanh niên cơ quan; học tập tư tưởng Hồ Chí Minh; trụ sở 35 Ngô Quyền."
    assert people(text) == []


def test_a_name_without_role_is_listed_for_the_editor():
    found, missing = collect_participants(
        find_mentions("Đồng chí Trương Thị Hồng Nhung tái đắc cử."), set()
    )
    assert (found, missing) == ([], ["Trương Thị Hồng Nhung"])


def test_an_ambiguous_split_of_role_and_name_is_reported():
    (mention,) = [m for m in find_mentions("Bí thư Tỉnh Đoàn Lê Văn An phát biểu.") if m.role]
    assert mention.name == "Lê Văn An"
    assert mention.uncertain


@pytest.mark.parametrize(
    ("line", "authors", "credit"),
    [
        ("Bảo Yến - Minh Thành", [("Bảo Yến", None), ("Minh Thành", None)], None),
        (
            "Văn Lượng – Ban Tuyên giáo, Phong trào, Uỷ ban MTTQ tỉnh.",
            [("Văn Lượng", "Ban Tuyên giáo, Phong trào, Uỷ ban MTTQ tỉnh")],
            None,
        ),
        ("Thu Hà (Trung tâm Truyền thông tỉnh)", [("Thu Hà", "Trung tâm Truyền thông tỉnh")], None),
        ("Tin: Ngọc Mai - Ảnh: Đức Anh", [("Ngọc Mai", None)], "Đức Anh"),
    ],
)
def test_bylines(line, authors, credit):
    found, photo = parse_byline(line, labelled=line.startswith("Tin"))
    assert [(author.name, author.role) for author in found] == authors
    assert photo == credit


def test_junk_goes_and_text_stays():
    text = "Tiêu đề\nĐoạn một.\n.\nĐoạn một.\nĐoạn hai.Ý kiến bạn đọc\nQuay trở lại đầu trang\nTin liên quan\nTin khác"
    kept, removed = remove_junk(paragraphs_of(text))
    assert [paragraph.text for paragraph in kept] == ["Tiêu đề", "Đoạn một.", "Đoạn hai."]
    assert len(removed) == 5


def test_restore_case_takes_capitals_from_the_body():
    body = "Sáng nay, lãnh đạo Văn phòng Quốc hội và Đảng ủy cơ quan họp. Báo cáo của VPQH nêu rõ."
    assert (
        restore_case("HỘI NGHỊ CỦA ĐẢNG ỦY CƠ QUAN VPQH", body)
        == "Hội nghị của Đảng ủy cơ quan VPQH"
    )


BULLETIN = """\
Trang chủ » Tin tức » Hoạt động
UBND huyện tổ chức hội nghị tổng kết công tác dân vận năm 2022
Ngày 28 tháng 12 năm 2022
Lượt xem: 1.024
Sáng ngày 28/12, UBND huyện phối hợp với Ban Dân vận Huyện ủy tổ chức hội nghị tổng kết công tác dân vận chính quyền năm 2022. Đồng chí Sầm Văn Bình - Chủ tịch UBND huyện chủ trì hội nghị.
Quang cảnh hội nghị. (Ảnh: Hữu Phước)
Năm 2022, các cơ quan chuyên môn đã tiếp 312 lượt công dân.
Phó Chủ tịch UBND huyện Nông Thị Hà trao giấy khen cho các tập thể
Hội nghị đã khen thưởng 5 tập thể và 12 cá nhân.
Nguồn: Cổng TTĐT huyện
"""


def test_a_bulletin_in_another_shape():
    bulletin = extract_bulletin(BULLETIN, event_kinds=KINDS)
    assert bulletin.title == "UBND huyện tổ chức hội nghị tổng kết công tác dân vận năm 2022"
    assert bulletin.date.iso() == "2022-12-28"
    assert bulletin.event.label == "Hội nghị"
    assert bulletin.organizations == ["UBND huyện", "Ban Dân vận Huyện ủy"]
    assert [(p.name, p.role, p.chair) for p in bulletin.participants] == [
        ("Sầm Văn Bình", "Chủ tịch UBND huyện", True),
        ("Nông Thị Hà", "Phó Chủ tịch UBND huyện", False),
    ]
    assert [(c.caption, c.credit) for c in bulletin.captions] == [
        ("Quang cảnh hội nghị.", "Hữu Phước"),
        ("Phó Chủ tịch UBND huyện Nông Thị Hà trao giấy khen cho các tập thể", None),
    ]
    assert bulletin.source == "Cổng TTĐT huyện"
    assert bulletin.body == [
        "Sáng ngày 28/12, UBND huyện phối hợp với Ban Dân vận Huyện ủy tổ chức hội nghị tổng kết công tác dân vận chính quyền năm 2022. Đồng chí Sầm Văn Bình - Chủ tịch UBND huyện chủ trì hội nghị.",
        "Năm 2022, các cơ quan chuyên môn đã tiếp 312 lượt công dân.",
        "Hội nghị đã khen thưởng 5 tập thể và 12 cá nhân.",
    ]


def test_a_caption_ending_like_a_sentence_is_reported_as_maybe_body_text():
    text = BULLETIN.replace("trao giấy khen cho các tập thể", "trao giấy khen cho các tập thể.")
    bulletin = extract_bulletin(text, event_kinds=KINDS)
    assert any("might be body text" in item for item in bulletin.uncertain)


def test_no_known_event_falls_back_to_the_first_kind_and_says_so():
    text = BULLETIN.replace("hội nghị", "buổi gặp mặt").replace("Hội nghị", "Buổi gặp mặt")
    bulletin = extract_bulletin(text, event_kinds=KINDS)
    assert bulletin.event.label == "Hội nghị"
    assert any("no kind of event recognised" in item for item in bulletin.uncertain)


def test_a_text_without_date_cannot_be_imported():
    with pytest.raises(CannotImport, match="no date"):
        extract_bulletin("Tiêu đề\nUBND huyện tổ chức hội nghị.\n", event_kinds=KINDS)


body_line = st.text(
    alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơưyàáạếộ AĐHUB.,;:-“”0123456789"),
    min_size=1,
    max_size=80,
).filter(lambda line: line.strip() and any(ch.isalpha() for ch in line))


@given(st.lists(body_line, min_size=1, max_size=8))
def test_body_paragraphs_are_never_altered(lines):
    text = (
        "UBND huyện tổ chức hội nghị\n25/12/2020 11:52\nUBND huyện tổ chức hội nghị tổng kết.\n"
        + "\n".join(lines)
    )
    bulletin = extract_bulletin(text, event_kinds=KINDS)
    kept = [line.strip() for line in lines]
    # Every body paragraph is a source line as it was; nothing else is invented.
    assert all(
        paragraph in kept or paragraph == "UBND huyện tổ chức hội nghị tổng kết."
        for paragraph in bulletin.body
    )
