"""The checkers every feature's tests rely on can fail, and can pass."""

import gzip
import urllib.request
from pathlib import Path

import pytest

from tests.support import axe_violations, fetch, format_violations, static_server, vnu_errors

VALID_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bản tin — Ủy ban nhân dân xã</title>
</head>
<body>
<header><p>Ủy ban nhân dân xã</p></header>
<main>
<h1>Thông báo lịch tiếp công dân</h1>
<p>Chủ tịch xã tiếp công dân vào sáng thứ Năm hằng tuần.</p>
<img src="logo.png" alt="Biểu trưng Ủy ban nhân dân xã" width="10" height="10">
</main>
<footer><p>Điện thoại: 0123 456 789</p></footer>
</body>
</html>
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_vnu_accepts_a_valid_vietnamese_page(tmp_path):
    assert vnu_errors([write(tmp_path / "index.html", VALID_PAGE)]) == []


def test_vnu_reports_a_div_inside_a_span_with_file_and_line(tmp_path):
    page = VALID_PAGE.replace(
        "<p>Chủ tịch xã", "<span><div>Chủ tịch xã</div></span>\n<p>Chủ tịch xã"
    )
    errors = vnu_errors([write(tmp_path / "bad.html", page)])

    assert len(errors) == 1, errors
    assert errors[0].startswith("bad.html:12: ")
    assert "“div” not allowed as child of element “span”" in errors[0]


def test_vnu_reports_a_missing_title(tmp_path):
    page = VALID_PAGE.replace("<title>Bản tin — Ủy ban nhân dân xã</title>\n", "")
    errors = vnu_errors([write(tmp_path / "no-title.html", page)])

    assert any("missing a required instance of child element “title”" in e for e in errors)


def test_vnu_checks_every_page_in_a_folder_whatever_its_name(tmp_path):
    site = tmp_path / "output"
    write(site / "index.html", VALID_PAGE)
    write(site / "tin-tức" / "bài viết.html", VALID_PAGE.replace("<title>", "<titel>", 1))

    errors = vnu_errors([site])

    assert errors, "the page with a Vietnamese file name was not checked"
    assert all(e.startswith("output/tin-tức/bài viết.html:") for e in errors), errors


def test_vnu_refuses_a_folder_without_html(tmp_path):
    write(tmp_path / "style.css", "body { color: black; }")
    with pytest.raises(FileNotFoundError, match=r"no \.html file"):
        vnu_errors([tmp_path])


def test_axe_reports_an_image_without_alt_text(tmp_path, page_factory):
    write(tmp_path / "index.html", VALID_PAGE.replace(' alt="Biểu trưng Ủy ban nhân dân xã"', ""))
    page = page_factory(bypass_csp=True)
    with static_server(tmp_path) as url:
        page.goto(f"{url}/")
        violations = axe_violations(page)

    assert [v["id"] for v in violations] == ["image-alt"], format_violations(violations)
    assert "img" in format_violations(violations)


def test_axe_reports_pale_text_on_white(tmp_path, page_factory):
    pale = VALID_PAGE.replace("<p>Chủ tịch", '<p style="color: #aaa">Chủ tịch')
    write(tmp_path / "index.html", pale)
    page = page_factory(375, bypass_csp=True)
    with static_server(tmp_path) as url:
        page.goto(f"{url}/")
        violations = axe_violations(page)

    assert "color-contrast" in {v["id"] for v in violations}, format_violations(violations)


def test_axe_finds_nothing_on_an_accessible_page(tmp_path, page_factory):
    write(tmp_path / "index.html", VALID_PAGE)
    page = page_factory(bypass_csp=True)
    with static_server(tmp_path) as url:
        page.goto(f"{url}/")
        violations = axe_violations(page)

    assert violations == [], format_violations(violations)


def test_pages_obey_the_sites_content_security_policy_unless_bypassed(tmp_path, page_factory):
    csp = """<meta http-equiv="Content-Security-Policy" content="script-src 'none'">"""
    script = "<script>document.title = 'script ran'</script>"
    write(tmp_path / "index.html", VALID_PAGE.replace("</head>", f"{csp}\n{script}\n</head>"))
    with static_server(tmp_path) as url:
        strict, bypassed = page_factory(), page_factory(bypass_csp=True)
        strict.goto(f"{url}/")
        bypassed.goto(f"{url}/")

        assert strict.title() == "Bản tin — Ủy ban nhân dân xã"
        assert bypassed.title() == "script ran"


def test_static_server_serves_index_html_for_a_folder_url(tmp_path):
    write(tmp_path / "tin-tuc" / "index.html", VALID_PAGE)
    with static_server(tmp_path) as url:
        response = fetch(f"{url}/tin-tuc/")

    assert response.status == 200
    assert "Thông báo lịch tiếp công dân" in response.text


def test_static_server_answers_404_with_the_sites_404_page(tmp_path):
    write(tmp_path / "404.html", "<p>Không tìm thấy trang</p>")
    with static_server(tmp_path) as url:
        response = fetch(f"{url}/khong-co/")

    assert response.status == 404
    assert response.text == "<p>Không tìm thấy trang</p>"


def test_static_server_compresses_text_for_a_client_that_accepts_gzip(tmp_path):
    script = "const tin = 'Thông báo lịch tiếp công dân';\n" * 200
    write(tmp_path / "tin-tuc" / "index.html", VALID_PAGE)
    write(tmp_path / "app.js", script)
    (tmp_path / "index.pf_index").write_bytes(gzip.compress(b"\x00" * 4000))

    def get(path: str, accept: str) -> tuple[dict, bytes]:
        request = urllib.request.Request(f"{url}{path}", headers={"Accept-Encoding": accept})
        with urllib.request.urlopen(request, timeout=30) as response:
            return dict(response.headers), response.read()

    with static_server(tmp_path) as url:
        js_headers, js_body = get("/app.js", "gzip, deflate, br")
        page_headers, page_body = get("/tin-tuc/", "gzip")
        plain_headers, plain_body = get("/app.js", "identity")
        refused_headers, _ = get("/app.js", "gzip;q=0")
        binary_headers, _ = get("/index.pf_index", "gzip")

    assert js_headers["Content-Encoding"] == "gzip"
    assert js_headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(js_body).decode() == script
    assert int(js_headers["Content-Length"]) == len(js_body) < len(script.encode()) / 10
    assert page_headers["Content-Encoding"] == "gzip"
    assert "Thông báo lịch tiếp công dân" in gzip.decompress(page_body).decode()
    assert "Content-Encoding" not in plain_headers and plain_body.decode() == script
    assert "Content-Encoding" not in refused_headers
    assert "Content-Encoding" not in binary_headers


def test_static_server_answers_404_for_a_folder_without_index(tmp_path):
    (tmp_path / "trong").mkdir()
    with static_server(tmp_path) as url:
        assert fetch(f"{url}/trong/").status == 404


def test_static_server_sends_the_headers_it_is_given(tmp_path):
    write(tmp_path / "index.html", VALID_PAGE)
    policy = "default-src 'self'"
    with static_server(tmp_path, extra_headers={"Content-Security-Policy": policy}) as url:
        response = fetch(f"{url}/")

    assert response.headers["Content-Security-Policy"] == policy
