"""`invoke archive`: build the site, then write its offline ZIP and its WARC."""

import datetime as dt
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bantin.archive.offline import OfflineReport, make_offline_copy
from bantin.archive.package import FORMAT, MANIFEST, README, write_zip
from bantin.archive.source import SITE_FOLDER, ArchiveBuild, Period, build_for_archive
from bantin.archive.warc import capture


@dataclass(frozen=True)
class Export:
    zip_path: Path
    warc_path: Path
    articles: int
    files: int  # in the ZIP, MANIFEST.json included
    urls: int  # response records in the WARC
    offline: OfflineReport


def archive_name(period: Period | None, today: dt.date) -> str:
    """ban-tin-2020 for a year, ban-tin-20200301-20201231 for a range, and
    ban-tin-YYYYMMDD (the day of the export) for the whole site."""
    return f"ban-tin-{period.slug if period else f'{today:%Y%m%d}'}"


def export_archive(
    settings_file: Path,
    out_dir: Path,
    *,
    period: Period | None = None,
    today: dt.date | None = None,
    captured: dt.datetime | None = None,
    overrides: dict | None = None,
) -> Export:
    """Build the site described by settings_file (cut to period) and write
    out_dir/NAME.zip (the offline copy) and out_dir/NAME.warc.gz (the site as served)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    captured = captured or dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix=".archive-", dir=out_dir) as scratch:
        scratch = Path(scratch)
        built = build_for_archive(settings_file, scratch / "build", period, overrides)
        timezone = ZoneInfo(built.settings["TIMEZONE"])
        name = archive_name(period, today or captured.astimezone(timezone).date())
        offline = make_offline_copy(built.output, scratch / "offline", site_url=built.site_url)
        site_files = sorted(path for path in (scratch / "offline").rglob("*") if path.is_file())
        files: list[tuple[str, bytes | Path]] = [(README, readme(built).encode("utf-8"))]
        files += [
            (f"{SITE_FOLDER}/{path.relative_to(scratch / 'offline').as_posix()}", path)
            for path in site_files
        ]
        zip_path = write_zip(out_dir / f"{name}.zip", files, manifest(built), built.as_of)
        captures = capture(
            built.output,
            out_dir / f"{name}.warc.gz",
            site_url=built.site_url,
            captured=captured,
            description=f"{built.settings['SITENAME']}: {describe_period(period)}",
        )
        shutil.rmtree(scratch / "build", ignore_errors=True)
    return Export(
        zip_path=zip_path,
        warc_path=out_dir / f"{name}.warc.gz",
        articles=len(built.articles),
        files=len(files) + 1,
        urls=len(captures),
        offline=offline,
    )


def describe_period(period: Period | None, language: str = "vi") -> str:
    """The period in words: "năm 2020", "từ 01/03/2020 đến 31/12/2020" (or in English)."""
    vi = language == "vi"
    if period is None:
        return "toàn bộ bản tin" if vi else "the whole bulletin"
    if period.whole_year:
        return f"năm {period.whole_year}" if vi else f"the year {period.whole_year}"
    since = f"{period.since:%d/%m/%Y}" if period.since else "…"
    until = f"{period.until:%d/%m/%Y}" if period.until else "…"
    return f"từ {since} đến {until}" if vi else f"from {since} to {until}"


def manifest(built: ArchiveBuild) -> dict:
    """MANIFEST.json without its list of files (write_zip adds it)."""
    settings = built.settings
    return {
        "format": FORMAT,
        "site": {
            "name": settings["SITENAME"],
            "url": built.site_url,
            "language": settings["DEFAULT_LANG"],
            "timezone": settings["TIMEZONE"],
        },
        "period": built.period.as_dict() if built.period else None,
        "as_of": built.as_of.isoformat(),
        "start_page": f"{SITE_FOLDER}/index.html",
        "articles": list(built.articles),
    }


def readme(built: ArchiveBuild) -> str:
    """README.txt: what the archive is, how to open it and how to check it, for a reader
    who finds it years from now, in Vietnamese and English."""
    site, url, count = built.settings["SITENAME"], built.site_url, len(built.articles)
    start = f"{SITE_FOLDER}/index.html"
    vi = [
        f"Đây là bản sao ngoại tuyến của trang {url}: {count} bài viết, "
        f"{describe_period(built.period)}, cập nhật đến {built.as_of:%d/%m/%Y}. Mọi trang, "
        f"ảnh và nguồn tin (RSS, Atom) đều nằm trong thư mục {SITE_FOLDER}/.",
        f"Cách xem: giải nén, rồi mở {start} bằng một trình duyệt web bất kỳ; không cần "
        "mạng Internet. Chức năng tìm kiếm không hoạt động khi mở từ đĩa: hãy duyệt theo "
        "Lưu trữ (năm, tháng), Chủ đề, Nhân vật hoặc Tổ chức.",
        f"{MANIFEST} liệt kê mọi tệp (trừ chính nó) với kích thước và mã băm SHA-256, và "
        "mọi bài viết với tiêu đề, ngày, địa chỉ gốc, loại sự kiện, tổ chức, người tham "
        "dự, tác giả, chủ đề và ảnh. Để kiểm tra bản lưu còn nguyên vẹn, tính SHA-256 của "
        f"từng tệp (ví dụ bằng sha256sum) và so với {MANIFEST}, hoặc chạy "
        "`invoke archive --verify TỆP.zip` trong mã nguồn Bản tin.",
        "Trang web như đã được phục vụ trên mạng được lưu kèm dưới dạng tệp WARC "
        "(ISO 28500, cùng tên, đuôi .warc.gz); mở bằng công cụ xem lưu trữ web như pywb.",
    ]
    en = [
        f"An offline copy of the website {url}: {count} article{'s' if count != 1 else ''}, "
        f"{describe_period(built.period, 'en')}, up to {built.as_of:%Y-%m-%d}. Every page, "
        f"photo and feed (RSS, Atom) is in the folder {SITE_FOLDER}/.",
        f"To read it: unzip it, then open {start} in any web browser; no network is "
        "needed. Search does not work from disk: browse by archive (year, month), topic, "
        "person or organisation instead.",
        f"{MANIFEST} lists every file (except itself) with its size and SHA-256, and every "
        "article with its title, date, original address, kind of event, organisations, "
        "participants, authors, topics and photos. To check that the copy is intact, "
        f"compute each file's SHA-256 (e.g. with sha256sum) and compare with {MANIFEST}, "
        "or run `invoke archive --verify FILE.zip` in Bản tin's source.",
        "The site as it was served on the web is kept beside this file as a WARC file "
        "(ISO 28500, same name, ending .warc.gz); replay it with a web archive tool such "
        "as pywb. Pages are UTF-8 HTML; photos are AVIF, WebP and JPEG.",
    ]
    title = f"{site} — bản lưu trữ / archive ({describe_period(built.period)})"
    blocks = [f"{title}\n{'=' * len(title)}"]
    for heading, paragraphs in (("Tiếng Việt", vi), ("English", en)):
        blocks.append(f"{heading}\n{'-' * len(heading)}")
        blocks += [textwrap.fill(paragraph, 78, break_on_hyphens=False) for paragraph in paragraphs]
    return "\n\n".join(blocks) + "\n"
