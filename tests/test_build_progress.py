"""A long build shows what it has done so far, then one closing line."""

import io
import sys

from tests.support.sites import Site


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_lines_count_articles_read_and_pages_written(tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    site = Site(tmp_path)
    for day in range(1, 4):
        site.article(f"bai-{day}", title=f"Bài {day}", date=f"2021-03-0{day}T08:00")
    site.build(PROGRESS_INTERVAL=0)
    lines = log.getvalue().splitlines()
    assert "… 3 articles read, 0 pages written" in lines
    assert any(
        line.startswith("… 3 articles read, ")
        and line.endswith(" pages written")
        and " 0 pages" not in line
        for line in lines
    )
    assert lines[-1].startswith("Built 3 articles, ")


def test_progress_on_a_terminal_redraws_one_line(tmp_path, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    site = Site(tmp_path)
    site.article("mot")
    site.build(PROGRESS_INTERVAL=0)
    output = terminal.getvalue()
    assert "\r… 1 articles read" in output
    assert output.endswith("\n") and output.count("\n") == 1  # only the summary ends a line
