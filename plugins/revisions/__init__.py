"""When each article last changed, for feeds and sitemaps: its `modified` date, or, when
its text was edited without one, the time of the first build that saw the new text.

The record (cache/revisions.json beside content/ by default, REVISIONS_FILE) keeps a
hash of each article's text and when that text was first built, so an unchanged article
keeps its date and rebuilding gives the same output.
"""

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals

from bantin.text_edits import text_edited


def _text_hash(article) -> str:
    parts = (article.title, article.content, article.metadata.get("lead") or "")
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def record_revisions(generator) -> None:
    everything = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    revise(everything, generator.settings, every_article=True)


def revise(articles: list, settings: dict, *, every_article: bool = False) -> None:
    """Set when each of articles last changed, and keep it in the record; with
    every_article, articles are all the site's and the record forgets any other."""
    project_root = Path(settings["PATH"]).parent
    record_file = Path(settings.get("REVISIONS_FILE") or project_root / "cache" / "revisions.json")
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    now = dt.datetime.now(ZoneInfo(settings["TIMEZONE"])).replace(microsecond=0)
    updated = {} if every_article else dict(record)
    for article in articles:
        key = Path(article.source_path).relative_to(project_root).as_posix()
        declared = article.metadata.get("modified") or article.date
        digest = _text_hash(article)
        known = record.get(key)
        if known is None:
            seen = declared
        elif known[0] != digest:
            seen = now
        else:
            seen = dt.datetime.fromisoformat(known[1])
        updated[key] = [digest, seen.isoformat()]
        article.updated = max(declared, seen)
    if updated != record:
        record_file.parent.mkdir(parents=True, exist_ok=True)
        scratch = record_file.with_name(f".{record_file.name}.{uuid.uuid4().hex[:8]}")
        scratch.write_text(
            json.dumps(updated, sort_keys=True, ensure_ascii=False), encoding="utf-8"
        )
        scratch.replace(record_file)


def register() -> None:
    signals.article_generator_finalized.connect(record_revisions)
    text_edited.connect(revise)  # with the edited articles, and settings=
