"""`./dev import` as an editor types it: several paths, relative to where they are."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def test_dev_import_takes_several_relative_paths_and_a_target_folder(tmp_path):
    assert SEEDS.is_dir(), f"the sample bulletins are expected in {SEEDS}"
    for seed in ("000_a7897892c0ac3781.txt", "004_985c2c4c26b440dc.txt"):
        shutil.copy(SEEDS / seed, tmp_path / seed)
    run = subprocess.run(
        [
            str(ROOT / "dev"),
            "import",
            "000_a7897892c0ac3781.txt",
            "004_985c2c4c26b440dc.txt",
            "--into",
            "ra",
        ],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    written = sorted(path.name for path in (tmp_path / "ra" / "bai-viet").glob("*.md"))
    assert [name[:10] for name in written] == ["2020-12-25", "2021-04-01"]
    assert "Imported 2 of 2 file(s)" in run.stdout
