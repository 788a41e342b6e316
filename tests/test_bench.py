"""The benchmark runs end to end and records its figures beside the last run's."""

import gzip
import json

from bantin.bench import run, searched_figures
from bantin.preview import serving


def test_bench_records_photo_figures_and_compares_with_the_last_run(tmp_path, capsys):
    results_file = tmp_path / "results.json"
    run(photos=1, results_file=results_file)
    first = json.loads(results_file.read_text())
    assert first["photos"]["cold_one_core_images_per_second"] > 0
    assert first["photos"]["warm_images_processed"] == 0
    capsys.readouterr()
    run(photos=1, results_file=results_file)
    table = capsys.readouterr().out
    assert "photos.cold_all_cores_images_per_second" in table
    assert "last run" in table.splitlines()[0]


def test_search_figures_count_every_byte_sent_and_the_results_found(browser, sample_site):
    with serving(sample_site) as address:
        figures = searched_figures(
            browser, address, {"word": "công đoàn", "nothing": "qqqq", "year": "?nam=2019"}
        )
    assert (figures["word_results"], figures["nothing_results"], figures["year_results"]) == (
        5,
        0,
        1,
    )
    index = sample_site / "pagefind"
    # What every search needs: the scripts (sent compressed), the WebAssembly and the
    # list of pages (compressed by Pagefind already).
    needed = sum(
        len(gzip.compress((index / name).read_bytes()))
        for name in ("pagefind.js", "pagefind-worker.js")
    )
    needed += sum(
        path.stat().st_size for path in [index / "wasm.unknown.pagefind", *index.glob("*.pf_meta")]
    )
    for label in ("word", "nothing", "year"):
        assert figures[f"{label}_kb"] * 1024 >= needed * 0.95, (label, figures)
        assert figures[f"{label}_ms"] <= figures[f"{label}_all_ms"]
