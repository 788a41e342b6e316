"""Two public builds of one site, a day's work apart: what the publishing tests deploy
over SSH and to an object store."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from bantin.build import build
from tests.support.sites import ROOT, Site

PUBLISH_SETTINGS = ROOT / "publishconf.py"
REMOVED_ARTICLE = "2021/05/01/toa-dam-cong-doan/index.html"


def quiet(_message: str) -> None:
    pass


def digests(site: Path) -> dict[str, str]:
    """Every file of a built site and its MD5, as a store should hold them."""
    return {
        path.relative_to(site).as_posix(): hashlib.md5(path.read_bytes()).hexdigest()
        for path in site.rglob("*")
        if path.is_file()
    }


def noisy_photo(path: Path) -> None:
    """A photo that does not compress, so that its files are most of an upload."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.frombytes("RGB", (640, 420), os.urandom(640 * 420 * 3)).save(path, quality=90)


@dataclass
class Builds:
    old: Path  # the site as first published
    new: Path  # a day later: one article edited, one removed, one added with a photo

    def changed(self) -> set[str]:
        old, new = digests(self.old), digests(self.new)
        return {path for path, digest in new.items() if old.get(path) != digest}

    def removed(self) -> set[str]:
        return set(digests(self.old)) - set(digests(self.new))


def day_of_work(root: Path) -> Builds:
    site = Site(root)
    photo = {"caption": "Quang cảnh", "alt": "Hội trường đông người"}
    site.photo("2021/hoi-thao/quang-canh.jpg")
    site.article("2020-12-25-hoi-nghi", title="Hội nghị tổng kết", slug="hoi-nghi-tong-ket")
    site.article(
        "2021-03-01-hoi-thao",
        title="Hội thảo khoa học",
        slug="hoi-thao-khoa-hoc",
        date="2021-03-01T09:00",
        photos=[{"file": "2021/hoi-thao/quang-canh.jpg", **photo}],
    )
    removed = site.article(
        "2021-05-01-toa-dam",
        title="Tọa đàm về công đoàn",
        slug="toa-dam-cong-doan",
        date="2021-05-01T09:00",
    )
    old = build(PUBLISH_SETTINGS, site.root / "old", site.overrides())
    site.article(
        "2020-12-25-hoi-nghi",
        "Nội dung đã sửa.",
        title="Hội nghị tổng kết",
        slug="hoi-nghi-tong-ket",
    )
    removed.unlink()
    noisy_photo(site.content / "anh" / "2021" / "ky-niem" / "dai-bieu.jpg")
    site.article(
        "2021-06-01-ky-niem",
        title="Lễ kỷ niệm ngày thành lập",
        slug="le-ky-niem",
        date="2021-06-01T09:00",
        photos=[{"file": "2021/ky-niem/dai-bieu.jpg", **photo}],
    )
    new = build(PUBLISH_SETTINGS, site.root / "new", site.overrides())
    return Builds(old, new)
