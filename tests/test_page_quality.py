"""Every built page passes the Nu Html Checker, and the main pages pass axe-core in
Chromium on a phone and on a desktop."""

import pytest

from tests.support import axe_violations, format_violations, static_server, vnu_errors
from tests.support.fixtures import DESKTOP_WIDTH, PHONE_WIDTH


def test_nu_html_checker_finds_no_error_on_any_page(sample_site):
    assert len(list(sample_site.rglob("*.html"))) > 20
    errors = vnu_errors([sample_site])
    assert errors == [], "\n".join(errors)


@pytest.fixture(scope="module")
def sample_url(sample_site):
    with static_server(sample_site) as url:
        yield url


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/",
        "/luu-tru/",
        "/2020/",
        "/su-kien/doi-thoai/",
        "/phong-vien/",
        "/nguoi/",
        "/nguoi/pham-thuy-chinh/",
        "/to-chuc/",
        "/to-chuc/van-phong-quoc-hoi/",
        "/tim-kiem/",
        "/khong-co-trang-nay/",
    ],
)
def test_axe_finds_no_violation(page_factory, sample_url, path, width):
    page = page_factory(width, bypass_csp=True)
    page.goto(sample_url + path)
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_pages_fit_a_320_pixel_screen_without_sideways_scrolling(page_factory, sample_url):
    page = page_factory(320)
    for path in ("/", "/2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/", "/luu-tru/"):
        page.goto(sample_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the screen"


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page_factory, sample_url):
    page = page_factory(PHONE_WIDTH)
    page.goto(sample_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Bỏ qua, đến nội dung chính"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"


def test_page_works_under_its_content_security_policy(page_factory, sample_url):
    page = page_factory(DESKTOP_WIDTH)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(sample_url + "/2019/06/26/nang-cao-chat-luong-hoat-dong-khoi-thi-dua-ii/")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.bt-header')).backgroundColor")
        == "rgb(138, 28, 28)"
    )
    assert blocked == []


def test_print_stylesheet_hides_navigation(page_factory, sample_url):
    page = page_factory(DESKTOP_WIDTH)
    page.goto(sample_url + "/2020/12/25/hoi-nghi-doi-thoai-van-phong-quoc-hoi/")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.bt-nav')).display") == "none"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.bt-article__body')).display")
        == "block"
    )
