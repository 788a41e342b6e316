"""Starting an article: a file in the right folder with its front matter filled in."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from bantin.articles import SLUG_MAX_LENGTH
from bantin.vietnamese import nfc, slugify

NEW_ARTICLE = """\
---
title: {title}
slug: {slug}
date: {date}
# Loại sự kiện, một trong: {kinds}
event: {kind}
organizations:
  - {organization}
location:
participants: []
# participants:
#   - name: Nguyễn Văn A
#     role: Phó Chủ tịch HĐND tỉnh
#     chair: true        # người chủ trì
photos: []
# photos:
#   - file: {year}/{slug}/quang-canh.jpg   # trong content/anh/
#     caption: Quang cảnh hội nghị
#     credit: Tên người chụp
#     alt: Mô tả ảnh cho người không xem được ảnh
authors: []
summary:
tags: []
status: draft   # xoá dòng này (hoặc ghi published) khi bài đã sẵn sàng đăng
---

Nội dung bài viết.
"""


def _yaml_text(value: str) -> str:
    """A title as a YAML scalar: quoted when YAML would read it as something else."""
    needs_quotes = value[:1] in "!&*-?:,[]{}#|>@`'\"%" or ": " in value or " #" in value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if needs_quotes else value


def new_article(content: Path, title: str, settings: dict, now: dt.datetime | None = None) -> Path:
    """Write a draft article for title into content/<ARTICLE_PATHS[0]>/ and return its
    path; never overwrites: a taken name gets a number."""
    title = nfc(" ".join(title.split()))
    if not title:
        raise ValueError(
            'the title is empty; expected the article\'s headline, e.g. invoke new "Hội nghị …"'
        )
    if title.startswith("-"):
        raise ValueError(
            f'{title!r} looks like an option, not a headline; expected e.g. invoke new "Hội nghị …"'
        )
    now = (now or dt.datetime.now(ZoneInfo(settings["TIMEZONE"]))).replace(second=0, microsecond=0)
    folder = content / settings["ARTICLE_PATHS"][0]
    folder.mkdir(parents=True, exist_ok=True)
    base = slugify(title, SLUG_MAX_LENGTH) or "bai-viet"
    slug, number = base, 1
    while (path := folder / f"{now:%Y-%m-%d}-{slug}.md").exists():
        number += 1
        slug = f"{base}-{number}"
    kinds = list(settings["EVENT_KINDS"].values())
    path.write_text(
        NEW_ARTICLE.format(
            title=_yaml_text(title),
            slug=slug,
            date=f"{now:%Y-%m-%dT%H:%M}",
            kinds=", ".join(kind.lower() for kind in kinds),
            kind=kinds[0].lower(),
            organization=settings["PUBLISHER"],
            year=f"{now:%Y}",
        ),
        encoding="utf-8",
    )
    return path
