"""Benchmarks: figures measured side by side in one run, printed as a table and kept as
JSON (bench/results.json) so that a change can be compared with the last run.

Speed is measured here, not in tests: machines are noisy, ratios measured in one run
are not.
"""

import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageFilter

from bantin.photos import Job, PhotoCache, PhotoSettings, process_all

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


def run(photos: int, results_file: Path) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bantin-bench-"))
    try:
        results = {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "photos": photo_figures(photos, workdir),
        }
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
