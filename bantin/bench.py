"""Benchmarks: figures measured side by side in one run, printed as a table and kept as
JSON (bench/results.json) so that a change can be compared with the last run.

Speed is measured here, not in tests: machines are noisy, ratios measured in one run
are not.
"""

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from PIL import Image, ImageFilter

from bantin.archive_generator import generate
from bantin.photos import Job, PhotoCache, PhotoSettings, process_all

ROOT = Path(__file__).resolve().parents[1]
BUILD = """
import sys
from pathlib import Path
from bantin.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]), {"PATH": sys.argv[3], "OUTPUT_PATH": sys.argv[2], "PROGRESS_INTERVAL": 3600})
"""
# The search index made again from the documents the last builds cached, with nothing else
# running beside it: what indexing costs without the rendering of the pages (the default
# part size and pair share, as the benchmark's site has).
INDEX_ALONE = """
import json, logging, sys
from pathlib import Path
from bantin.toolchain import pagefind
from plugins.search.index import PAIR_SHARE, PART_WORDS, DeltaLimit, SearchIndex
logging.basicConfig(level=logging.INFO, format="%(message)s")
cache, set_aside, target = map(Path, sys.argv[1:4])
recorded = json.loads((set_aside / "documents.json").read_text(encoding="utf-8"))
index = SearchIndex(cache, recorded["format"], DeltaLimit(), logging.getLogger("alone"), PART_WORDS, PAIR_SHARE, pagefind(Path.cwd())[0])
# The base's documents still cached: those edited since are cached as they are now.
documents = {f: d for f, d in recorded["documents"].items() if index.documents.path(d["key"]).exists()}
def made_from(file):
    raise LookupError(f"the document of {file} is not cached")
index.publish({f: d["key"] for f, d in documents.items()}, {f: d["date"] for f, d in documents.items()}, made_from, target)
"""
# The preview builds in a process that stays up: its rebuild after an edit starts warm.
# Measured as the editor sees it: from saving the file until the server has the new
# text on the article's page, then until the whole site is rebuilt; the same for an
# article added while the preview runs.
PREVIEW = """
import resource, sys, threading, time, urllib.error, urllib.request
from pathlib import Path
from bantin.build import build_or_report
from bantin.preview import live_preview
settings, output, content, edited, added = map(Path, sys.argv[1:6])
edited_path, added_path = sys.argv[6:8]
overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "PROGRESS_INTERVAL": 3600}
ready, rebuilt, address = threading.Event(), threading.Event(), []
def rebuild(**options):
    error = build_or_report(settings, output, overrides, **options)
    rebuilt.set()
    return error
def started(url):
    address.append(url)
    ready.set()
def shown(path, sentence):
    try:
        return sentence in urllib.request.urlopen(address[0] + path).read().decode("utf-8")
    except urllib.error.HTTPError:
        return False
def measure(file, text, path):
    rebuilt.clear()
    sentence = f"Một câu nữa, thêm vào lúc {time.time_ns()}."
    file.write_text(text + "\\n" + sentence + "\\n", encoding="utf-8")
    saved = time.perf_counter()
    while not shown(path, sentence):
        if time.perf_counter() - saved > 600:
            sys.exit(f"The preview never showed /{path} (a failed build?)")
        time.sleep(0.005)
    page_shown = time.perf_counter() - saved
    if not rebuilt.wait(timeout=600):
        sys.exit(f"The preview did not finish its rebuild after /{path} changed")
    return page_shown, time.perf_counter() - saved
threading.Thread(target=live_preview, daemon=True, kwargs=dict(
    rebuild=rebuild, output=output, watched=[content], code=[], port=0, on_ready=started)).start()
ready.wait()  # after the first build
time.sleep(1)  # the file watcher starts just after the preview announces itself
text = edited.read_text(encoding="utf-8")
figures = [*measure(edited, text, edited_path)]
figures += measure(added, text.replace("slug: ", "slug: xem-truoc-", 1), added_path)
print(*figures, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
STOCK_SETTINGS = """
SITENAME = "Stock Pelican"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
PLUGINS = []
"""

CAMERA_SIZE = (4032, 3024)  # a 12-megapixel phone photo


def camera_photos(folder: Path, count: int, size=CAMERA_SIZE) -> list[Path]:
    """JPEGs that compress like photographs (noise over gradients), not flat colour."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        base = Image.linear_gradient("L").resize(size).convert("RGB")
        noise = (
            Image.effect_noise(size, 40 + number).convert("RGB").filter(ImageFilter.GaussianBlur(1))
        )
        photo = Image.blend(base, noise, 0.5)
        path = folder / f"photo-{number:04d}.jpg"
        photo.save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def _timed(action: Callable) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def photo_figures(count: int, workdir: Path) -> dict:
    sources = camera_photos(workdir / "sources", count)
    settings = PhotoSettings.from_pelican({})
    figures = {
        "photos": count,
        "source_size": f"{CAMERA_SIZE[0]}x{CAMERA_SIZE[1]}",
        "formats": list(settings.formats),
    }
    for label, workers in (("one_core", 1), ("all_cores", os.cpu_count() or 1)):
        cache = PhotoCache(workdir / f"cache-{label}", settings)
        jobs = [Job(path, cache.key(path, None), None) for path in sources]
        seconds, (_, processed) = _timed(lambda c=cache, j=jobs, w=workers: process_all(j, c, w))
        figures[f"cold_{label}_seconds"] = round(seconds, 2)
        figures[f"cold_{label}_images_per_second"] = round(processed / seconds, 2)
    cache = PhotoCache(workdir / "cache-all_cores", settings)
    jobs = [Job(path, cache.key(path, None), None) for path in sources]
    seconds, (_, processed) = _timed(lambda: process_all(jobs, cache))
    figures["warm_seconds"] = round(seconds, 3)
    figures["warm_images_processed"] = processed
    figures["parallel_speedup"] = round(
        figures["cold_all_cores_images_per_second"] / figures["cold_one_core_images_per_second"], 2
    )
    return figures


def measured(command: list[str], cwd: Path, log: list[str] | None = None) -> tuple[float, float]:
    """(seconds, peak memory in MB) of a command run in a process of its own; what it
    printed on stderr is added to log."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        errors.seek(0)
        printed = errors.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{command} failed: {printed[-2000:]}")
    if log is not None:
        log.append(printed)
    return seconds, usage.ru_maxrss / 1024


SEARCH_LINE = re.compile(
    r"Search index: (\d+) documents in (\d+) parts?, ([\d.]+) s "
    r"\(Pagefind ([\d.]+) s, merging ([\d.]+) s\), peak memory (\d+) MB"
)
# The build's console wraps its lines and writes the source of each in the margin.
CONSOLE_MARGIN = re.compile(r"\S+\.py:\d+")


def search_figures(printed: str, prefix: str) -> dict:
    """The figures of the base index's line in what a build printed."""
    indexed = SEARCH_LINE.search(" ".join(CONSOLE_MARGIN.sub(" ", printed).split()))
    if not indexed:
        return {}
    return {
        f"{prefix}_parts": int(indexed.group(2)),
        f"{prefix}_seconds": float(indexed.group(3)),
        f"{prefix}_pagefind_seconds": float(indexed.group(4)),
        f"{prefix}_merge_seconds": float(indexed.group(5)),
        f"{prefix}_peak_mb": int(indexed.group(6)),
    }


# What a search downloads: Pagefind's files, and the first results of a filter value
# (pelicanconf.py SEARCH_FIRST_RESULTS_URL).
SEARCH_FOLDERS = ("/pagefind/", "/tim-kiem/loc/")
FOUND = re.compile(r"Tìm thấy ([\d.]+)")  # the count written the Vietnamese way: 7.326
FIRST_SHOWN = """() => document.querySelector(".bt-result")
  || document.querySelector(".bt-search__status").textContent.startsWith("Không có")"""


def query_figures(output: Path, queries: dict[str, str]) -> dict:
    """The figures of searched_figures, for the site in output, in a Chromium of its own."""
    from playwright.sync_api import sync_playwright

    from bantin.preview import serving
    from bantin.toolchain import CHROMIUM, CHROMIUM_ARGS

    with serving(output) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            return searched_figures(browser, address, queries)
        finally:
            browser.close()


def searched_figures(browser, address: str, queries: dict[str, str]) -> dict:
    """For each search (a query typed in the search page, or a search page address),
    the bytes the browser downloads from the index with an empty cache, the time from
    the last keystroke (or the address) to the first results on screen (or the answer
    that there are none), and to all of them (the count and filters: a query with
    diacritics shows the results of its own spelling before those of other spellings),
    and how many results it found."""
    from playwright.sync_api import expect

    done = re.compile(f"{FOUND.pattern}|Không có")
    figures = {}
    for label, query in queries.items():
        context = browser.new_context()  # an empty cache
        page = context.new_page()
        sizes: list[int] = []
        # As sent (compressed where it is): Chromium gives no body size for the script
        # of Pagefind's worker, and the site server sends every length.
        page.on(
            "response",
            lambda response, s=sizes: (
                s.append(int(response.headers["content-length"]))
                if any(folder in response.url for folder in SEARCH_FOLDERS)
                else None
            ),
        )
        if query.startswith("?"):
            started = time.perf_counter()
            page.goto(f"{address}/tim-kiem/{query}")
        else:
            page.goto(f"{address}/tim-kiem/")
            page.wait_for_load_state("networkidle")
            page.fill("#truy-van", query)
            started = time.perf_counter()
            page.press("#truy-van", "Enter")
        page.wait_for_function(FIRST_SHOWN, timeout=120_000, polling="raf")
        figures[f"{label}_ms"] = round((time.perf_counter() - started) * 1000)
        expect(page.locator(".bt-search__status")).to_have_text(done, timeout=120_000)
        figures[f"{label}_all_ms"] = round((time.perf_counter() - started) * 1000)
        found = FOUND.match(page.locator(".bt-search__status").inner_text())
        figures[f"{label}_results"] = int(found.group(1).replace(".", "")) if found else 0
        page.wait_for_load_state("networkidle")
        figures[f"{label}_kb"] = round(sum(sizes) / 1024)
        context.close()
    return figures


def build_figures(count: int, workdir: Path) -> dict:
    ours, stock = generate(workdir / "archive", count, ROOT / "content")
    project = ours.parent
    settings = ROOT / "pelicanconf.py"
    output = project / "output"

    def ours_build() -> tuple[float, float]:
        return measured(
            [sys.executable, "-c", BUILD, str(settings), str(output), str(ours)], cwd=project
        )

    figures: dict = {"articles": count}
    log: list[str] = []
    figures["cold_seconds"], figures["cold_peak_mb"] = measured(
        [sys.executable, "-c", BUILD, str(settings), str(output), str(ours)], cwd=project, log=log
    )
    figures.update(search_figures(log[-1], "search_index"))
    figures["search_index_mb"] = (
        sum(f.stat().st_size for f in (output / "pagefind").rglob("*") if f.is_file()) / 2**20
    )
    figures.update(
        query_figures(
            output,
            {
                "query_rare_name": "Xuyến",
                "query_common_word": "công đoàn",
                "query_phrase": '"công đoàn cơ quan"',
                "query_filter_only": "?nam=2020",
            },
        )
    )
    figures["no_change_seconds"], figures["no_change_peak_mb"] = ours_build()
    edited = sorted((ours / "bai-viet").glob("*.md"))[count // 2]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("\n\n", "\n\nMột câu mới được thêm vào. ", 1),
        encoding="utf-8",
    )
    figures["one_edit_seconds"], figures["one_edit_peak_mb"] = ours_build()
    added = edited.with_name("2026-10-31-bai-moi-them.md")
    added.write_text(
        edited.read_text(encoding="utf-8").replace("slug: ", "slug: moi-them-", 1), encoding="utf-8"
    )
    figures["one_added_seconds"], figures["one_added_peak_mb"] = ours_build()
    slug = yaml.safe_load(edited.read_text(encoding="utf-8").split("---")[1])["slug"]
    article_path = f"{edited.stem[:10].replace('-', '/')}/{slug}/"
    preview = subprocess.run(
        [
            sys.executable,
            "-c",
            PREVIEW,
            str(settings),
            str(output),
            str(ours),
            str(edited),
            str(edited.with_name("2026-11-01-bai-them-khi-xem-truoc.md")),
            article_path,
            article_path.replace(f"/{slug}/", f"/xem-truoc-{slug}/"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    (
        figures["preview_edit_shown_seconds"],
        figures["preview_one_edit_seconds"],
        figures["preview_added_shown_seconds"],
        figures["preview_one_added_seconds"],
        figures["preview_peak_mb"],
    ) = map(float, preview.stdout.split()[-5:])
    # Set aside, not deleted: on ext4 without a journal (as on the machine the figures
    # come from), files made soon after thousands were deleted take longer to make.
    search_cache = project / "cache" / "search"
    (base,) = search_cache.glob("base-*")
    set_aside = base.rename(project / "search-base-set-aside")
    log.clear()
    measured(
        [
            sys.executable,
            "-c",
            INDEX_ALONE,
            str(search_cache),
            str(set_aside),
            str(workdir / "alone"),
        ],
        cwd=ROOT,
        log=log,
    )
    alone = search_figures(log[-1], "search_alone")
    figures |= {name: value for name, value in alone.items() if not name.endswith("_parts")}

    stock_settings = stock.parent / "stockconf.py"
    stock_settings.write_text(STOCK_SETTINGS, encoding="utf-8")
    stock_command = [
        sys.executable,
        "-m",
        "pelican",
        str(stock),
        "-s",
        str(stock_settings),
        "-o",
        str(stock.parent / "output"),
        "-q",
    ]
    figures["stock_cold_seconds"], figures["stock_cold_peak_mb"] = measured(
        stock_command, cwd=stock.parent
    )
    figures["stock_no_change_seconds"], _ = measured(stock_command, cwd=stock.parent)
    figures["ratio_cold_vs_stock"] = round(
        figures["cold_seconds"] / figures["stock_cold_seconds"], 2
    )
    figures["ratio_no_change_vs_stock"] = round(
        figures["no_change_seconds"] / figures["stock_no_change_seconds"], 2
    )

    home = output / "index.html"
    article = output / article_path / "index.html"
    css = sum(path.stat().st_size for path in (output / "theme" / "css").glob("site.*.css"))
    figures["home_page_bytes"] = home.stat().st_size + css
    figures["article_page_bytes"] = article.stat().st_size + css
    figures["output_files"] = sum(1 for path in output.rglob("*") if path.is_file())
    return {
        name: round(value, 2) if isinstance(value, float) else value
        for name, value in figures.items()
    }


def run(photos: int, results_file: Path, articles: int = 0) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bantin-bench-"))
    try:
        results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
        if articles:
            results["build"] = build_figures(articles, workdir)
        results["photos"] = photo_figures(photos, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results_file.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(results_file.read_text()) if results_file.exists() else None
    results_file.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(table(results, previous))
    return results


def table(results: dict, previous: dict | None) -> str:
    lines = [f"{'figure':<48} {'this run':>12} {'last run':>12}"]
    for section, figures in results.items():
        if section == "machine":
            continue
        for name, value in figures.items():
            before = (previous or {}).get(section, {}).get(name, "")
            lines.append(f"{section + '.' + name:<48} {value!s:>12} {before!s:>12}")
    return "\n".join(lines)
