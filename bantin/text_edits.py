"""The whole site brought up to date after an edit of articles' text, from the build the
preview keeps in memory, without going through every article again.

An edit of an article's text (title, lead, body: bantin.first_look.TEXT_FIELDS) changes
what the outputs showing that article show, and nothing else: no address, list, link
or count. The kept build's writer knows which outputs reached each article, and in
which form (plugins/output_reuse): those that reached an edited article in full (its
page, the feeds it is in), or in short form when what a card shows of it changed
(lists, person pages, other articles' related articles), are made again, and so are
the outputs made from every article at once (generators that set
`made_again_after_text_edits`: the sitemaps, the search index). Plugins that set
something on articles from their text hear of the edit first (the signal
`text_edited`: plugins/revisions dates it); those that remember something per article
(feeds, search) check it against the article's text.

The new files are written into a staging folder and moved into the site one by one,
each by a rename, and only where their bytes changed; a folder a generator makes whole
(`folders_made_whole`, the search index) is replaced as a whole, by two renames.
"""

import os
import shutil
import uuid
from pathlib import Path

from blinker import signal
from pelican.contents import Content

from bantin.build import remove_in_background, same_bytes
from bantin.fingerprint import reach
from bantin.first_look import KeptBuild, take_text

# Sent with the edited articles (their new text in place) and the build's settings.
text_edited = signal("bantin.text_edited")


def apply_text_edits(kept: KeptBuild, edited: list, output: Path) -> list[str]:
    """Give the kept articles their new text (edited: pairs of a kept article and the
    same article read again) and bring output up to date; return the files that
    changed. An exception leaves the kept build unusable and output partly updated
    at most file by file: a full build must follow."""
    fingerprints = kept.writer.fingerprints
    short_before = {id(last): fingerprints.short_form(last) for last, _ in edited}
    for last, fresh in edited:
        take_text(last, fresh)
    # Pelican remembers each article's content with its links resolved.
    Content.get_content.cache.clear()
    Content.get_summary.cache.clear()
    articles = [last for last, _ in edited]
    text_edited.send(articles, settings=kept.articles_generator.settings)
    fingerprints.forget(articles)
    changed = {reach(article, short=False) for article in articles}
    changed |= {
        reach(article, short=True)
        for article in articles
        if fingerprints.short_form(article) != short_before[id(article)]
    }
    staging = output.with_name(f".{output.name}.edit-{uuid.uuid4().hex[:8]}")
    staging.mkdir()
    try:
        kept.writer.remake(kept.writer.showing(changed), staging)
        whole = []
        for generator in kept.generators:
            if getattr(generator, "made_again_after_text_edits", False):
                generator.output_path = str(staging)
                generator.generate_output(kept.writer)
                whole += getattr(generator, "folders_made_whole", ())
        return [*_replace_folders(staging, output, whole), *_move_changed_files(staging, output)]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace_folders(staging: Path, output: Path, folders: list[str]) -> list[str]:
    """Each folder by two renames, the published one out and the staged one in: made
    of links to a cache (the search index), it keeps the inodes of unchanged files."""
    retired = []
    for folder in folders:
        if (output / folder).exists():
            retired.append(output.with_name(f".{output.name}.{folder}-{uuid.uuid4().hex[:8]}"))
            (output / folder).rename(retired[-1])
        if (staging / folder).exists():  # else there is nothing left to publish there
            (staging / folder).rename(output / folder)
    remove_in_background(retired)
    return [f"{folder}/" for folder in folders]


def _move_changed_files(staging: Path, output: Path) -> list[str]:
    changed = []
    for directory, _, names in os.walk(staging):
        for name in names:
            relative = (Path(directory).relative_to(staging) / name).as_posix()
            new, published = staging / relative, output / relative
            if not same_bytes(new, published):
                published.parent.mkdir(parents=True, exist_ok=True)
                os.replace(new, published)
                changed.append(relative)
    return changed
