"""Build real sites from articles written in a test, with the project's settings."""

import textwrap
from pathlib import Path

import yaml

from bantin.build import build, check

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "pelicanconf.py"

VALID_ARTICLE = {
    "title": "Hội nghị đối thoại năm 2020",
    "date": "2020-12-25T11:52",
    "event": "hội nghị",
    "organizations": ["Văn phòng Quốc hội"],
}


class Site:
    """A project folder in tmp: content/ (articles, photos) and output/."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        (self.content / "bai-viet").mkdir(parents=True, exist_ok=True)
        (self.content / "anh").mkdir(parents=True, exist_ok=True)

    def article(self, name: str, body: str = "Nội dung bài viết.", **fields) -> Path:
        """Write content/bai-viet/NAME.md from VALID_ARTICLE updated with fields
        (a field set to None is left out)."""
        data = {
            key: value for key, value in {**VALID_ARTICLE, **fields}.items() if value is not None
        }
        front_matter = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        return self.raw_article(name, f"---\n{front_matter}---\n\n{textwrap.dedent(body)}\n")

    def raw_article(self, name: str, text: str | bytes) -> Path:
        path = self.content / "bai-viet" / f"{name}.md"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def registry(self, text: str) -> Path:
        path = self.content / "nguoi-va-to-chuc.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def photo(self, relative: str, size=(1200, 800)) -> Path:
        from PIL import Image

        path = self.content / "anh" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (200, 200, 190)).save(path, "JPEG")
        return path

    def overrides(self, extra: dict | None = None) -> dict:
        return {"PATH": str(self.content), "OUTPUT_PATH": str(self.output), **(extra or {})}

    def build(self, settings: Path = SETTINGS, force: bool = False, **extra) -> Path:
        return build(settings, self.output, self.overrides(extra), force=force)

    def check(self, **extra) -> None:
        check(SETTINGS, self.overrides(extra))

    def page(self, url_path: str) -> str:
        """The HTML a visitor gets at url_path ('/2020/12/25/slug/')."""
        target = self.output / url_path.strip("/")
        if url_path.endswith("/") or not target.suffix:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")
