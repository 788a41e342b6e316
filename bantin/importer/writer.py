"""The imported article as a Markdown file of the article model, and the import report."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bantin.articles import FIELDS
from bantin.importer.extract import Bulletin

_LIST_ITEM = re.compile(r"^([-+*])\s+")


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as in the README; dates written as plain text
    (the model reads them as text, so "2014-02-21" needs no quotes)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def front_matter(bulletin: Bulletin, *, slug: str, status: str) -> dict:
    data: dict = {
        "title": bulletin.title,
        "slug": slug,
        "date": bulletin.date.iso(),
        "event": bulletin.event.label.lower(),
        "organizations": list(bulletin.organizations),
    }
    if bulletin.location:
        data["location"] = bulletin.location
    if bulletin.participants:
        data["participants"] = [
            {"name": person.name, "role": person.role, **({"chair": True} if person.chair else {})}
            for person in bulletin.participants
        ]
    if bulletin.captions:
        data["photos"] = [
            {
                "caption": caption.caption,
                **({"credit": caption.credit} if caption.credit else {}),
                "alt": caption.caption,
            }
            for caption in bulletin.captions
        ]
    if bulletin.authors:
        data["authors"] = [
            {"name": author.name, "role": author.role} if author.role else author.name
            for author in bulletin.authors
        ]
    if bulletin.source:
        data["source"] = bulletin.source
    if bulletin.summary:
        data["summary"] = bulletin.summary
    if bulletin.tags:
        data["tags"] = list(bulletin.tags)
    data["status"] = status
    return {key: data[key] for key in FIELDS if key in data}  # the model's order


def escape_markdown(text: str) -> str:
    """A paragraph of plain text as Markdown that renders to the same text.

    Python-Markdown lets a backslash escape only some characters; the others that could
    start markup are written as HTML entities."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*_\[\]{}])", r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = text.replace("<", "&lt;")
    text = re.sub(r"^([#>+\-])", r"\\\1", text)
    text = re.sub(r"^([:~])", lambda match: f"&#{ord(match.group(1))};", text)
    return re.sub(r"^(\d+)\.", r"\1\\.", text)


def markdown_body(paragraphs: list[str]) -> str:
    """Each paragraph as published, separated by blank lines. Runs of lines that start
    with "- " or "+ " are lists; a second marker in a run nests under the first."""
    blocks: list[str] = []
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        if _LIST_ITEM.match(paragraph) and paragraph[:1] in "-+":
            items = []
            top = paragraph[0]
            while (
                index < len(paragraphs)
                and _LIST_ITEM.match(paragraphs[index])
                and paragraphs[index][:1] in "-+"
            ):
                item = paragraphs[index]
                marker = _LIST_ITEM.match(item)
                content = escape_markdown(item[marker.end() :])
                indent = "" if item[0] == top or not items else "    "
                items.append(f"{indent}{item[0]} {content}")
                index += 1
            blocks.append("\n".join(items))
            continue
        blocks.append(escape_markdown(paragraph))
        index += 1
    return "\n\n".join(blocks) + "\n"


def render_article(bulletin: Bulletin, *, slug: str, status: str) -> str:
    data = front_matter(bulletin, slug=slug, status=status)
    block = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
        default_flow_style=False,
    )
    return f"---\n{block}---\n\n{markdown_body(bulletin.body)}"


@dataclass
class FileReport:
    """What happened to one source file."""

    source: Path
    status: str = "failed"  # "written", "exists" or "failed"
    target: Path | None = None
    draft: bool = False
    encoding: str = ""
    found: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    message: str = ""

    def lines(self) -> list[str]:
        if self.status == "written":
            state = "draft" if self.draft else "published"
            head = f"{self.source} → {self.target} ({state})"
        elif self.status == "exists":
            head = f"{self.source}: not imported: {self.message}"
        else:
            head = f"{self.source}: NOT IMPORTED: {self.message}"
        lines = [head]
        if self.encoding:
            lines.append(f"  read as: {self.encoding}")
        lines += [f"  found: {item}" for item in self.found]
        lines += [f"  removed: {item}" for item in self.removed]
        if self.uncertain:
            lines.append("  to check:")
            lines += [f"    - {item}" for item in self.uncertain]
        return lines


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(report.status == status for report in self.files)

    @property
    def written(self) -> list[FileReport]:
        return [report for report in self.files if report.status == "written"]

    @property
    def failed(self) -> list[FileReport]:
        return [report for report in self.files if report.status == "failed"]

    def __str__(self) -> str:
        drafts = sum(report.draft for report in self.written)
        summary = (
            f"Imported {self._count('written')} of {len(self.files)} file(s) "
            f"({drafts} as draft); {self._count('exists')} already there, "
            f"{self._count('failed')} not importable."
        )
        body = "\n\n".join("\n".join(report.lines()) for report in self.files)
        return f"{body}\n\n{summary}" if body else summary
