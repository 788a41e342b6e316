"""The first results of a search by one filter value alone ("everything with Phạm Thúy
Chinh", `/tim-kiem/?nguoi=…`, as a shared or bookmarked address opens it), written with
the site: for each value, the newest articles that hold it, as the search page shows
them. The page shows them as soon as it opens, while Pagefind starts (its script, its
worker, its WebAssembly and the index's list of pages, about 150 KB and five round trips
before its first search), then puts Pagefind's results in their place: the same articles
in the same order, with the count and the filters.

Each file is named by the word the value's documents hold (bantin.search.filter_word),
which the page computes alike, and is written again only when what it shows changed
(plugins/output_reuse).
"""

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from bantin.search import filter_word

from .sources import date_order, document_filters, document_source, searchable

FIRST_RESULTS = 10  # the search page's first page of results (search.js PAGE_SIZE)


class FirstResultsGenerator(Generator):
    def generate_output(self, writer) -> None:
        now = dt.datetime.now(ZoneInfo(self.settings["TIMEZONE"]))
        directory = self.context.get("people_directory")
        newest = sorted(
            searchable(self.context["articles"], now),
            key=lambda article: date_order(article.date, article.url),
            reverse=True,
        )
        shown: dict[tuple[str, str], list] = defaultdict(list)
        for article in newest:
            for value in document_filters(article, directory):
                if len(shown[value]) < FIRST_RESULTS:
                    shown[value].append(article)
        date_label = self.env.filters["published"]
        results: dict[int, tuple[tuple, dict]] = {}

        def result(article) -> dict:
            # An article is in the first results of several values: its result is made
            # once, and again only when its text is edited in a build kept in memory
            # (bantin.text_edits), which makes the files again with it.
            text = (article.title, article.summary)
            if results.get(id(article), (None,))[0] != text:
                source = document_source(article, directory)
                label = date_label(source.date, source.date_has_time)
                results[id(article)] = (text, {"url": f"/{source.url}", "card": source.card(label)})
            return results[id(article)][1]

        folder = self.settings["SEARCH_FIRST_RESULTS_URL"]
        for (name, value), articles in shown.items():
            file = f"{folder}{filter_word(name, value)}.json"

            def make(output: Path, file=file, articles=articles) -> None:
                (output / file).parent.mkdir(parents=True, exist_ok=True)
                (output / file).write_text(
                    json.dumps({"results": [result(a) for a in articles]}, ensure_ascii=False),
                    encoding="utf-8",
                )

            # Each article as a result card shows it (its short form).
            writer.produce([file], (name, value, articles), make)


def first_results_generator(_pelican):
    return FirstResultsGenerator
