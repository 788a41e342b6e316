"""`import_paths` on bulletins written for these tests in other shapes and encodings
(tests/fixtures/import/): the articles written, the report, the draft rule, existing
articles left alone, and files that cannot be imported."""

import subprocess
import sys
from pathlib import Path

import pytest

from bantin.articles import load_yaml, split_front_matter
from bantin.build import load_settings
from bantin.importer import import_paths

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SETTINGS = load_settings(ROOT / "pelicanconf.py")


def imported(tmp_path: Path, *names: str, **options):
    report = import_paths(
        [FIXTURES / name for name in names], tmp_path, settings=SETTINGS, **options
    )
    return report


def front(path: Path) -> dict:
    block, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return load_yaml(block)[0]


def test_utf16_crlf_bulletin_with_a_list_of_name_comma_role(tmp_path):
    (file,) = imported(tmp_path, "hdnd-giao-ban-utf16.txt").files
    assert file.encoding.startswith("UTF-16 little-endian (BOM)")
    data = front(file.target)
    assert data["date"] == "2023-03-14T09:15"
    assert data["location"] == "Hội trường Nhà khách Tỉnh ủy"
    assert [(p["name"], p["role"]) for p in data["participants"]] == [
        ("Nguyễn Văn Thắng", "Phó Chủ tịch Thường trực HĐND tỉnh"),
        ("Trần Thị Mai Hương", "Trưởng Ban Pháp chế HĐND tỉnh"),
        ("Lường Văn Pọm", "Trưởng Ban Dân tộc HĐND tỉnh"),
        ("Đỗ Quang Huy", "Chánh Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
    ]
    assert data["participants"][0]["chair"] is True
    assert data["photos"] == [
        {
            "caption": "Đồng chí Nguyễn Văn Thắng, Phó Chủ tịch Thường trực HĐND tỉnh phát biểu tại hội nghị.",
            "credit": "Quang Vinh",
            "alt": "Đồng chí Nguyễn Văn Thắng, Phó Chủ tịch Thường trực HĐND tỉnh phát biểu tại hội nghị.",
        }
    ]
    assert data["authors"] == ["Quang Vinh"]
    assert data["status"] == "draft"


def test_nfd_bom_bulletin_dated_cap_nhat_lua_under_the_title(tmp_path):
    (file,) = imported(tmp_path, "mttq-dai-hoi-nfd-bom.txt").files
    assert "NFD" in file.encoding
    data = front(file.target)
    assert data["date"] == "2022-09-05T15:30"
    assert data["event"] == "đại hội"
    assert data["organizations"][0] == "Ủy ban Mặt trận Tổ quốc xã Chiềng Sơn"
    assert data["authors"] == [{"name": "Thu Trang", "role": "Ban Tuyên giáo Huyện ủy"}]
    assert [(p["name"], p["role"]) for p in data["participants"]] == [
        ("Lò Văn Pản", "Chủ tịch Ủy ban MTTQ huyện"),
        ("Hà Thị Lan", "Phó Bí thư Thường trực Đảng ủy xã"),
    ]
    assert any("Quàng Văn Thanh is named without a role" in item for item in file.uncertain)


def test_windows_1258_bulletin_ignores_the_site_header_and_the_heading(tmp_path):
    (file,) = imported(tmp_path, "cong-doan-toa-dam-cp1258.txt").files
    assert file.encoding.startswith("Windows-1258")
    data = front(file.target)
    assert data["title"] == "Tọa đàm nâng cao vai trò nữ công nhân, viên chức, lao động"
    assert data["date"] == "2018-11-10T09:30"
    assert data["event"] == "tọa đàm"
    assert data["participants"] == [
        {
            "name": "Đinh Thị Hồng Nhung",
            "role": "Phó Chủ tịch Công đoàn Viên chức tỉnh",
            "chair": True,
        }
    ]
    assert data["photos"][0]["caption"] == "Các đại biểu dự tọa đàm"
    assert data["authors"] == ["Minh Châu"]
    text = file.target.read_text(encoding="utf-8")
    assert "Ý kiến bạn đọc" not in text and "Cập nhật" not in text and "\n.\n" not in text


def test_date_from_the_lead_makes_a_draft_and_lists_stay_lists(tmp_path):
    (file,) = imported(tmp_path, "chi-bo-ngay-trong-loi-dan-crlf.txt").files
    data = front(file.target)
    assert (data["date"], data["event"], data["status"]) == (
        "2016-05-12",
        "sinh hoạt chi bộ",
        "draft",
    )
    assert any("guessed from the lead" in item for item in file.uncertain)
    body = split_front_matter(file.target.read_text(encoding="utf-8"))[1]
    assert body.count("Chiều ngày 12/5/2016") == 1
    assert (
        "\n- Tiếp tục học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.\n    + Mỗi"
        in body
    )
    assert data["authors"] == ["Ngọc Anh"]


def test_twelve_hour_time_and_source_tag(tmp_path):
    (file,) = imported(tmp_path, "hoi-thao-gio-12.txt").files
    data = front(file.target)
    assert (data["date"], data["event"], data["source"]) == (
        "2017-10-05T09:05",
        "hội thảo",
        "ĐCSVN",
    )
    assert data["organizations"] == ["Thường trực HĐND tỉnh", "Trường Chính trị tỉnh"]
    assert [p["name"] for p in data["participants"]] == ["Hà Thị Minh Nguyệt", "Lê Quang Trung"]


def test_all_caps_title_is_kept_unless_sentence_case_is_asked(tmp_path):
    (kept,) = imported(tmp_path / "a", "dai-hoi-cong-doan-in-hoa.txt").files
    (cased,) = imported(tmp_path / "b", "dai-hoi-cong-doan-in-hoa.txt", sentence_case=True).files
    assert front(kept.target)["title"].startswith("ĐẠI HỘI CÔNG ĐOÀN CƠ SỞ")
    assert front(cased.target)["title"] == (
        "Đại hội Công đoàn cơ sở Bệnh viện Đa khoa tỉnh lần thứ VI, nhiệm kỳ 2023 - 2028"
    )
    assert front(kept.target)["photos"][0]["credit"] == "Hồng Hạnh"


@pytest.mark.parametrize(("name", "encoding"), [("tcvn3.txt", "TCVN3"), ("vni.txt", "VNI")])
def test_legacy_font_encodings_are_refused_and_the_rest_go_on(tmp_path, name, encoding):
    report = imported(tmp_path, name, "hoi-thao-gio-12.txt")
    refused, written = report.files
    assert refused.status == "failed" and encoding in refused.message
    assert written.status == "written"
    assert len(list((tmp_path / "bai-viet").glob("*.md"))) == 1
    assert "NOT IMPORTED" in str(report)


def test_an_existing_article_is_never_overwritten(tmp_path):
    (first,) = imported(tmp_path, "hoi-thao-gio-12.txt").files
    first.target.write_text("edited by hand\n", encoding="utf-8")
    (again,) = imported(tmp_path, "hoi-thao-gio-12.txt").files
    assert again.status == "exists"
    assert first.target.read_text(encoding="utf-8") == "edited by hand\n"


def test_an_article_already_there_under_another_name_is_not_imported_again(tmp_path):
    (first,) = imported(tmp_path, "hoi-thao-gio-12.txt").files
    first.target.rename(first.target.with_name("2017-10-05-hoi-thao-giam-sat.md"))
    (again,) = imported(tmp_path, "hoi-thao-gio-12.txt").files
    assert again.status == "exists" and "same title and date" in again.message


def test_an_article_with_nothing_to_check_is_published(tmp_path):
    source = tmp_path / "tin.txt"
    source.write_text(
        "UBND huyện tổ chức hội nghị sơ kết 6 tháng\n25/06/2021 10:15\n"
        "Sáng ngày 25/6, UBND huyện tổ chức hội nghị sơ kết công tác 6 tháng đầu năm 2021. "
        "Chủ tịch UBND huyện Lục Văn Sáng chủ trì hội nghị.\n"
        "Hội nghị đã thống nhất các giải pháp cho 6 tháng cuối năm.\nThu Hà\n",
        encoding="utf-8",
    )
    (file,) = import_paths([source], tmp_path / "content", settings=SETTINGS).files
    assert file.uncertain == []
    assert front(file.target)["status"] == "published"


def test_missing_and_undated_files_are_reported(tmp_path):
    undated = tmp_path / "khong-ngay.txt"
    undated.write_text("Tiêu đề\nUBND huyện tổ chức hội nghị.\n", encoding="utf-8")
    report = import_paths([tmp_path / "khong-co.txt", undated], tmp_path / "out", settings=SETTINGS)
    assert [file.status for file in report.files] == ["failed", "failed"]
    assert "no such file" in report.files[0].message
    assert "no date" in report.files[1].message


def test_the_import_task_prints_the_report(tmp_path):
    paths = f"{FIXTURES / 'hoi-thao-gio-12.txt'} {FIXTURES / 'vni.txt'}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "import",
            paths,
            "--into",
            str(tmp_path),
            "--sentence-case",
        ],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 1  # the VNI file could not be imported
    assert "Imported 1 of 2 file(s)" in result.stdout
    assert "looks like the legacy Vietnamese font encoding VNI" in result.stdout
    assert len(list((tmp_path / "bai-viet").glob("2017-10-05-*.md"))) == 1
