"""The benchmark runs end to end and records its figures beside the last run's."""

import json

from bantin.bench import run


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
