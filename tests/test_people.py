"""One page per person and per organisation, whatever the spelling; the registry for
what spelling alone cannot tell."""

import re

import pytest

from bantin.build import BuildFailed
from tests.support.sites import Site


def person(name, role="Đại biểu", **more):
    return {"name": name, "role": role, **more}


def listed_names(html: str) -> list[str]:
    return re.findall(r'<li class="bt-terms__item"><a href="[^"]+">([^<]+)</a>', html)


def appearances(html: str) -> list[str]:
    return re.findall(r'<li class="bt-appearances__item">.*?</li>', html, re.S)


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def test_sample_bulletins_give_one_page_for_pham_thuy_chinh_with_three_articles(sample_site):
    html = (sample_site / "nguoi/pham-thuy-chinh/index.html").read_text(encoding="utf-8")
    items = appearances(html)
    assert len(items) == 3
    assert '<h1 class="bt-heading">Phạm Thúy Chinh</h1>' in html  # the spelling used most
    assert "Tham dự" in items[0] and "Phó Chủ nhiệm Văn phòng Quốc hội" in items[0]
    assert "Tên trong bài: Phạm Thuý Chinh" in items[1]
    assert "Tác giả" in items[2] and "Chủ tịch Công đoàn cơ quan VPQH" in items[2]
    assert not (sample_site / "nguoi/pham-thuy-chinh-2").exists()


def test_participants_box_and_byline_link_to_person_pages(sample_site):
    article = (
        sample_site / "2019/06/26/nang-cao-chat-luong-hoat-dong-khoi-thi-dua-ii/index.html"
    ).read_text(encoding="utf-8")
    assert '<a href="/nguoi/pham-thuy-chinh/">Phạm Thuý Chinh</a>' in article
    assert '<a href="/nguoi/hoang-anh/">Hoàng Anh</a>' in article


def test_article_links_its_organisations(sample_site):
    article = (
        sample_site / "2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/index.html"
    ).read_text(encoding="utf-8")
    assert '<a href="/to-chuc/van-phong-quoc-hoi/">Văn phòng Quốc hội</a>' in article
    organization = (sample_site / "to-chuc/van-phong-quoc-hoi/index.html").read_text(
        encoding="utf-8"
    )
    assert "HỘI NGHỊ ĐỐI THOẠI" in organization


def test_tone_mark_spellings_of_a_participant_make_one_page(site):
    site.article(
        "mot",
        title="Bài một",
        participants=[person("Nguyễn Văn Hòa", "Chủ tịch")],
        date="2020-01-01",
    )
    site.article(
        "hai", title="Bài hai", participants=[person("Nguyễn Văn Hoà", "Bí thư")], date="2021-01-01"
    )
    site.article(
        "ba", title="Bài ba", participants=[person("NGUYỄN VĂN HOÀ", "Bí thư")], date="2019-01-01"
    )
    site.article(
        "bon",
        title="Bài bốn",
        participants=[person("Nguyễn  Văn Hoà", "Bí thư")],
        date="2018-01-01",
    )
    site.build()
    page = site.page("/nguoi/nguyen-van-hoa/")
    assert len(appearances(page)) == 4
    assert [
        name for name in listed_names(site.page("/nguoi/")) if "Hoà" in name or "Hòa" in name
    ] == ["Nguyễn Văn Hoà"]
    assert ">Nguyễn Văn Hòa</a>" in site.page("/2020/01/01/bai-mot/")  # shown as written


def test_an_author_and_a_participant_of_one_name_are_one_person(site):
    site.article(
        "tham-du", title="Tham dự", participants=[person("Phạm Thúy Chinh", "Phó Chủ nhiệm")]
    )
    site.article(
        "viet-bai",
        title="Viết bài",
        authors=[{"name": "Phạm Thuý Chinh", "role": "Chủ tịch Công đoàn"}],
        date="2021-05-05",
    )
    site.build()
    items = appearances(site.page("/nguoi/pham-thuy-chinh/"))
    assert len(items) == 2
    assert "Tác giả" in items[0] and "Chủ tịch Công đoàn" in items[0]
    assert "Tham dự" in items[1] and "Phó Chủ nhiệm" in items[1]


def test_organisation_alias_merges_an_abbreviation(site):
    site.registry("""
        organizations:
          aliases:
            VPQH: Văn phòng Quốc hội
    """)
    site.article("viet-tat", title="Viết tắt", organizations=["VPQH"], date="2021-01-01")
    site.article("day-du", title="Đầy đủ", organizations=["Văn phòng Quốc hội"], date="2020-01-01")
    site.build()
    assert listed_names(site.page("/to-chuc/")) == ["Văn phòng Quốc hội"]
    assert site.page("/to-chuc/van-phong-quoc-hoi/").count('class="bt-period__item"') == 2
    assert '<a href="/to-chuc/van-phong-quoc-hoi/">VPQH</a>' in site.page("/2021/01/01/viet-tat/")
    assert not (site.output / "to-chuc/vpqh").exists()


def test_person_alias_merges_a_misspelling(site):
    site.registry("""
        people:
          aliases:
            Phạm Thúy Chin: Phạm Thúy Chinh
    """)
    site.article("dung", title="Đúng", participants=[person("Phạm Thúy Chinh")])
    site.article("sai", title="Sai", participants=[person("Phạm Thúy Chin")], date="2021-01-01")
    site.build()
    assert len(appearances(site.page("/nguoi/pham-thuy-chinh/"))) == 2
    assert not (site.output / "nguoi/pham-thuy-chin").exists()


NAMESAKES = """
    people:
      namesakes:
        - id: nguyen-van-hung-ha-noi
          name: Nguyễn Văn Hùng
          description: Phó Chủ tịch HĐND thành phố Hà Nội
        - id: nguyen-van-hung-nghe-an
          name: Nguyễn Văn Hùng
          description: Chủ tịch Công đoàn tỉnh Nghệ An
"""


def test_two_namesakes_are_kept_apart(site):
    site.registry(NAMESAKES)
    site.article(
        "ha-noi",
        title="Hà Nội",
        participants=[person("Nguyễn Văn Hùng", id="nguyen-van-hung-ha-noi")],
    )
    site.article(
        "nghe-an",
        title="Nghệ An",
        participants=[person("Nguyễn Văn Hùng", id="nguyen-van-hung-nghe-an")],
        date="2021-02-02",
    )
    site.build()
    hanoi, nghean = (
        site.page("/nguoi/nguyen-van-hung-ha-noi/"),
        site.page("/nguoi/nguyen-van-hung-nghe-an/"),
    )
    assert len(appearances(hanoi)) == len(appearances(nghean)) == 1
    assert "Phó Chủ tịch HĐND thành phố Hà Nội" in hanoi and "/2020/12/25/ha-noi/" in hanoi
    assert "/2021/02/02/nghe-an/" in nghean
    assert listed_names(site.page("/nguoi/")) == ["Nguyễn Văn Hùng", "Nguyễn Văn Hùng"]


def test_a_namesake_without_an_id_is_an_error(site):
    site.registry(NAMESAKES)
    site.article("mo-ho", participants=[person("Nguyễn Văn Hùng")])
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert (
        "mo-ho.md: participants[0].id: missing: several people are called 'Nguyễn Văn Hùng'"
        in str(failure.value)
    )
    assert "nguyen-van-hung-ha-noi, nguyen-van-hung-nghe-an" in str(failure.value)


def test_an_unknown_person_id_is_an_error(site):
    site.registry(NAMESAKES)
    site.article("sai-id", participants=[person("Nguyễn Văn Hùng", id="nguyen-van-hung-hue")])
    with pytest.raises(
        BuildFailed,
        match=r"participants\[0\]\.id: 'nguyen-van-hung-hue' is not a person in content/nguoi-va-to-chuc\.yaml",
    ):
        site.build()


def test_alias_pointing_nowhere_is_an_error(site):
    site.registry("""
        organizations:
          aliases:
            MTTQ: Mặt trận Tổ quốc Việt Nam
    """)
    site.article("khac", organizations=["Văn phòng Quốc hội"])
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert (
        "content/nguoi-va-to-chuc.yaml: organizations.aliases.MTTQ: stands for 'Mặt trận Tổ quốc Việt Nam', which no article names"
        in str(failure.value)
    )


def test_alias_claimed_by_two_names_is_an_error(site):
    site.registry("""
        organizations:
          aliases:
            VPQH: Văn phòng Quốc hội
            vpqh: Viện Pháp quyền
    """)
    site.article("mot", organizations=["Văn phòng Quốc hội", "Viện Pháp quyền"])
    with pytest.raises(
        BuildFailed,
        match=r"organizations\.aliases\.vpqh: is claimed by both 'Văn phòng Quốc hội' and 'Viện Pháp quyền'",
    ):
        site.build()


def test_registry_errors_are_reported_with_article_errors_at_once(site):
    site.registry("""
        people:
          aliases:
            A: Không Ai Cả
          namesakes:
            - id: Sai Id
              name: Ai Đó
        organisations: {}
    """)
    site.article("thieu-tieu-de", title=None)
    with pytest.raises(BuildFailed) as failure:
        site.build()
    message = str(failure.value)
    for expected in (
        "thieu-tieu-de.md: title: missing",
        "nguoi-va-to-chuc.yaml: organisations: unknown section",
        "nguoi-va-to-chuc.yaml: people.namesakes[0].id: found 'Sai Id'",
        "nguoi-va-to-chuc.yaml: people.aliases.A: stands for 'Không Ai Cả', which no article names",
    ):
        assert expected in message


def test_people_index_sorts_by_given_name_the_vietnamese_way(site):
    names = [
        "Trần Văn Ưng",
        "Lê Thị Uyên",
        "Hồ Văn Đức",
        "Ngô Thị Dung",
        "Vũ Ân",
        "Đặng An",
        "Bùi Ăn",
    ]
    site.article("dong", participants=[person(name) for name in names])
    site.build()
    assert listed_names(site.page("/nguoi/")) == [
        "Đặng An",
        "Bùi Ăn",
        "Vũ Ân",
        "Ngô Thị Dung",
        "Hồ Văn Đức",
        "Lê Thị Uyên",
        "Trần Văn Ưng",
    ]


def test_organisations_index_sorts_the_vietnamese_way(site):
    site.article(
        "dong",
        organizations=[
            "Ủy ban nhân dân tỉnh",
            "Đoàn Thanh niên",
            "Công đoàn",
            "Ban Dân vận",
            "Uỷ ban kiểm tra",
            "Dân tộc",
        ],
    )
    site.build()
    assert listed_names(site.page("/to-chuc/")) == [
        "Ban Dân vận",
        "Công đoàn",
        "Dân tộc",
        "Đoàn Thanh niên",
        "Uỷ ban kiểm tra",
        "Ủy ban nhân dân tỉnh",
    ]


def test_different_people_with_one_ascii_slug_get_distinct_pages(site, caplog):
    site.article("hung", title="Hùng", participants=[person("Nguyễn Văn Hùng")])
    site.article(
        "hung-2", title="Hưng", participants=[person("Nguyễn Văn Hưng")], date="2021-01-01"
    )
    site.build()
    assert "Nguyễn Văn Hùng" in site.page("/nguoi/nguyen-van-hung/")
    assert "Nguyễn Văn Hưng" in site.page("/nguoi/nguyen-van-hung-2/")
    assert any(
        "share the URL slug 'nguyen-van-hung'" in record.getMessage() for record in caplog.records
    )


def test_related_articles_share_the_most_people_then_the_newest(site):
    shared = [person("Lê Văn A"), person("Trần Thị B")]
    site.article("goc", title="Bài gốc", participants=shared, event="hội thảo", date="2020-01-01")
    site.article(
        "hai-nguoi",
        title="Chung hai người",
        participants=shared,
        event="tọa đàm",
        date="2019-01-01",
    )
    site.article(
        "mot-nguoi",
        title="Chung một người",
        participants=shared[:1],
        event="tọa đàm",
        date="2022-01-01",
    )
    site.article(
        "cung-loai", title="Cùng loại", event="hội thảo", date="2023-01-01", organizations=["Khác"]
    )
    site.article(
        "khong-chung",
        title="Không chung",
        event="đại hội",
        date="2024-01-01",
        organizations=["Khác"],
    )
    site.build()
    html = site.page("/2020/01/01/bai-goc/")
    related = html[html.index('class="bt-related"') :]
    titles = re.findall(r'<a href="/[^"]+">([^<]+)</a>', related[: related.index("</section>")])
    # Shared: two people and the organisation (3), one person and the organisation (2),
    # the kind of event only (1); an article sharing nothing is not related.
    assert titles == ["Chung hai người", "Chung một người", "Cùng loại"]
