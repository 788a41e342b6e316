"""What search engines and social sites read: sitemaps, robots.txt, structured data,
Open Graph and canonical URLs; and asset names that can be cached for a year."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import extruct

from tests.support.sites import ROOT, Site

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "http://127.0.0.1:8000"
DIALOGUE = "2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/"


def sitemap_urls(path: Path) -> dict[str, str]:
    root = ET.parse(path).getroot()
    return {
        url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.findall(f"{SM}url")
    }


def json_ld(html: str, url: str) -> list[dict]:
    return extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]


def test_sitemap_lists_every_public_page_with_its_last_change(sample_site):
    urls = sitemap_urls(sample_site / "sitemap.xml")
    assert urls[f"{BASE}/{DIALOGUE}"] == "2020-12-25T11:52:00+07:00"
    assert urls[f"{BASE}/"] == "2021-04-01T16:44:00+07:00"
    for page in (
        "su-kien/doi-thoai/",
        "nguoi/pham-thuy-chinh/",
        "to-chuc/van-phong-quoc-hoi/",
        "2020/12/",
        "chu-de/cong-doan/",
    ):
        assert f"{BASE}/{page}" in urls, page
    for url in urls:
        page = sample_site / url.removeprefix(f"{BASE}/") / "index.html"
        assert page.is_file(), url
    assert (
        urls[f"{BASE}/nguoi/pham-thuy-chinh/"] == "2020-12-25T11:52:00+07:00"
    )  # her newest article


def test_robots_txt_points_at_the_sitemaps(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert (
        f"Sitemap: {BASE}/sitemap.xml" in robots and f"Sitemap: {BASE}/sitemap-news.xml" in robots
    )


def test_a_large_site_gets_a_sitemap_index(tmp_path):
    site = Site(tmp_path)
    for day in range(1, 6):
        site.article(f"bai-{day}", title=f"Bài {day}", date=f"2021-03-0{day}T08:00")
    site.build(SITEMAP_MAX_URLS=4)
    index = ET.parse(site.output / "sitemap.xml").getroot()
    assert index.tag == f"{SM}sitemapindex"
    parts = [entry.findtext(f"{SM}loc") for entry in index.findall(f"{SM}sitemap")]
    listed = set()
    for part in parts:
        urls = sitemap_urls(site.output / part.removeprefix(f"{BASE}/"))
        assert 0 < len(urls) <= 4
        listed |= set(urls)
    assert f"{BASE}/2021/03/05/bai-5/" in listed and f"{BASE}/" in listed


def test_news_sitemap_holds_the_articles_of_the_last_two_days(tmp_path):
    site = Site(tmp_path)
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    site.article(
        "hom-qua", title="Tin hôm qua", date=(now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    site.article(
        "tuan-truoc",
        title="Tin tuần trước",
        date=(now - dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    )
    site.build()
    root = ET.parse(site.output / "sitemap-news.xml").getroot()
    entries = root.findall(f"{SM}url")
    assert [entry.findtext(f"{NEWS}news/{NEWS}title") for entry in entries] == ["Tin hôm qua"]
    news = entries[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Bản tin"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "vi"
    assert dt.datetime.fromisoformat(
        news.findtext(f"{NEWS}publication_date")
    ).utcoffset() == dt.timedelta(hours=7)


def test_article_carries_news_article_structured_data(sample_site):
    html = (sample_site / DIALOGUE / "index.html").read_text(encoding="utf-8")
    [data] = json_ld(html, f"{BASE}/{DIALOGUE}")
    assert data["@type"] == "NewsArticle"
    for required in (
        "headline",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "image",
        "inLanguage",
    ):
        assert data.get(required), required
    assert data["datePublished"] == "2020-12-25T11:52:00+07:00"
    assert data["inLanguage"] == "vi"
    assert len(data["headline"]) <= 110
    assert [author["name"] for author in data["author"]] == ["Bảo Yến", "Minh Thành"]
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["logo"][
        "url"
    ].endswith("logo.png")
    assert (sample_site / data["publisher"]["logo"]["url"].removeprefix(f"{BASE}/")).is_file()
    ratios = []
    for url in data["image"]:
        from PIL import Image

        with Image.open(sample_site / url.removeprefix(f"{BASE}/")) as image:
            ratios.append(round(image.width / image.height, 2))
    assert ratios == [1.78, 1.33, 1.0]  # 16:9, 4:3, 1:1


def test_article_has_open_graph_twitter_and_canonical(sample_site):
    html = (sample_site / DIALOGUE / "index.html").read_text(encoding="utf-8")
    meta = dict(
        re.findall(
            r'<meta (?:property|name)="((?:og|twitter|article):[^"]+)" content="([^"]*)"', html
        )
    )
    assert meta["og:type"] == "article" and meta["og:url"] == f"{BASE}/{DIALOGUE}"
    assert meta["og:title"].startswith("HỘI NGHỊ ĐỐI THOẠI")
    assert (
        meta["og:image"].startswith(f"{BASE}/anh/")
        and meta["twitter:card"] == "summary_large_image"
    )
    assert meta["article:published_time"] == "2020-12-25T11:52:00+07:00"
    assert f'<link rel="canonical" href="{BASE}/{DIALOGUE}">' in html


def test_person_and_organisation_pages_carry_their_structured_data(sample_site):
    [person] = json_ld(
        (sample_site / "nguoi/pham-thuy-chinh/index.html").read_text(encoding="utf-8"), BASE
    )
    assert person["@type"] == "Person" and person["name"] == "Phạm Thúy Chinh"
    assert person["jobTitle"] == "Phó Chủ nhiệm Văn phòng Quốc hội"
    [body] = json_ld(
        (sample_site / "to-chuc/van-phong-quoc-hoi/index.html").read_text(encoding="utf-8"), BASE
    )
    assert body["@type"] == "Organization" and body["url"] == f"{BASE}/to-chuc/van-phong-quoc-hoi/"


def test_structured_data_cannot_be_broken_out_of(tmp_path):
    site = Site(tmp_path)
    site.article("tan-cong", title="</script><script>alert(1)</script>", summary="& < >")
    site.build()
    html = next((site.output / "2020/12/25").glob("*/index.html")).read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(script)["headline"] == "</script><script>alert(1)</script>"


def test_theme_assets_have_content_hashed_names(sample_site):
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    stylesheet = re.search(
        r'<link rel="stylesheet" href="/(theme/css/site\.[0-9a-f]{10}\.css)">', html
    ).group(1)
    assert (sample_site / stylesheet).read_bytes() == (
        ROOT / "theme/static/css/site.css"
    ).read_bytes()
    search = (sample_site / "tim-kiem/index.html").read_text(encoding="utf-8")
    assert re.search(r'src="/theme/js/search\.[0-9a-f]{10}\.js"', search)
