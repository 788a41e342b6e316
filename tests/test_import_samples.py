"""The five real bulletins in shared/corpus/seeds, imported, give the metadata and the
body of the hand-made sample articles in content/bai-viet/ (docs/samples.md).

Compared: title, date, event, organizations, location, participants (name, role,
chair), photo captions and credits, authors (name, role), source, summary, and the body.
Not compared, because the editor decided them by hand: slug (shortened by choosing
words), tags (topics), photo file/alt/illustration (placeholder images), status (the
samples have their photos).
"""

from pathlib import Path

import pytest

from bantin.articles import load_yaml, split_front_matter
from bantin.build import load_settings
from bantin.importer import import_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).parents[1].parent / "shared/corpus/seeds"
SAMPLES = ROOT / "content" / "bai-viet"
# Seed file → sample article.
PAIRS = {
    "000": "2020-12-25-hoi-nghi-doi-thoai-van-phong-quoc-hoi.md",
    "001": "2015-07-30-cong-doan-vpqh-cho-dua-tin-cay-cua-dang-bo.md",
    "002": "2014-02-21-hoi-nghi-can-bo-cong-chuc-lao-dong-nam-2014.md",
    "003": "2019-06-26-nang-cao-chat-luong-hoat-dong-khoi-thi-dua-ii.md",
    "004": "2021-04-01-sinh-hoat-chuyen-de-tang-cuong-van-hoa-cong-so.md",
}


def _read(path: Path) -> tuple[dict, str]:
    block, body = split_front_matter(path.read_text(encoding="utf-8"))
    data, _ = load_yaml(block)
    return data, body.strip()


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> dict[str, Path]:
    assert SEEDS.is_dir(), (
        f"the sample bulletins are missing: expected {SEEDS} (shared/ beside the clone)"
    )
    into = tmp_path_factory.mktemp("imported")
    report = import_paths([SEEDS], into, settings=load_settings(ROOT / "pelicanconf.py"))
    assert not report.failed, str(report)
    return {report.source.name[:3]: report.target for report in report.written}


def _comparable(data: dict) -> dict:
    photos = [
        {key: photo[key] for key in ("caption", "credit") if key in photo}
        for photo in data.get("photos", [])
    ]
    return {
        "title": data["title"],
        "date": str(data["date"]),
        "event": data["event"],
        "organizations": data["organizations"],
        "location": data.get("location"),
        "participants": data.get("participants", []),
        "photos": photos,
        "authors": data.get("authors", []),
        "source": data.get("source"),
        "summary": data.get("summary"),
    }


@pytest.mark.parametrize("seed", sorted(PAIRS))
@pytest.mark.parametrize(
    "field",
    [
        "title",
        "date",
        "event",
        "organizations",
        "location",
        "participants",
        "photos",
        "authors",
        "source",
        "summary",
    ],
)
def test_imported_sample_has_the_hand_made_metadata(imported, seed, field):
    expected = _comparable(_read(SAMPLES / PAIRS[seed])[0])
    actual = _comparable(_read(imported[seed])[0])
    assert actual[field] == expected[field]


@pytest.mark.parametrize("seed", sorted(PAIRS))
def test_imported_sample_keeps_the_body_as_published(imported, seed):
    sample = PAIRS[seed]
    assert _read(imported[seed])[1] == _read(SAMPLES / sample)[1]


@pytest.mark.parametrize("seed", sorted(PAIRS))
def test_imported_sample_is_a_draft_until_its_photos_and_doubts_are_settled(imported, seed):
    data, _ = _read(imported[seed])
    assert data["status"] == "draft"
    assert all("file" not in photo for photo in data.get("photos", []))
