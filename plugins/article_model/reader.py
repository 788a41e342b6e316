from pathlib import Path
from typing import ClassVar

from markdown import Markdown
from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category, Tag

from bantin.articles import ModelSettings, read_article_source


class BulletinReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self.model = ModelSettings.from_pelican(settings)
        self.project_root = Path(settings["PATH"]).parent

    def read(self, source_path):
        source = Path(source_path)
        front_matter, body = read_article_source(
            source.read_bytes(),
            path=source.relative_to(self.project_root).as_posix()
            if source.is_relative_to(self.project_root)
            else str(source),
            settings=self.model,
        )
        markdown = Markdown(**self.settings["MARKDOWN"])
        content = markdown.convert(body)
        category = Category(front_matter.event.label, self.settings)
        category.slug = front_matter.event.slug
        metadata = {
            "title": front_matter.title,
            "slug": front_matter.slug,
            "date": front_matter.date,
            "date_has_time": front_matter.date_has_time,
            "category": category,
            "event": front_matter.event,
            "organizations": front_matter.organizations,
            "location": front_matter.location,
            "participants": front_matter.participants,
            "photos": front_matter.photos,
            "bylines": front_matter.authors,
            "source": front_matter.source,
            "status": front_matter.status,
            "problems": tuple(front_matter.problems),
        }
        # Pelican expects these lists to be absent rather than empty.
        if front_matter.authors:
            metadata["authors"] = [
                Author(byline.name, self.settings) for byline in front_matter.authors
            ]
        if front_matter.tags:
            metadata["tags"] = [Tag(tag, self.settings) for tag in front_matter.tags]
        if front_matter.modified:
            metadata["modified"] = front_matter.modified
        if front_matter.summary:
            metadata["summary"] = markdown.reset().convert(front_matter.summary)
        return content, metadata
