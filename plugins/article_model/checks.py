import logging
from collections import defaultdict
from pathlib import Path

from bantin.articles import ERROR, ContentError, Problem

logger = logging.getLogger(__name__)

WARNINGS_SHOWN = 20  # by a build; the rest are counted


def all_articles(generator) -> list:
    return [
        *generator.articles,
        *generator.translations,
        *generator.drafts,
        *generator.drafts_translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
    ]


def duplicate_urls(articles, project_root: Path) -> list[Problem]:
    by_target = defaultdict(list)
    for article in articles:
        if article.save_as:  # an article that is not written (a draft, publicly) has no URL
            by_target[article.save_as].append(article)
    problems = []
    for target, clashing in sorted(by_target.items()):
        if len(clashing) > 1:
            paths = sorted(
                Path(article.source_path).relative_to(project_root).as_posix()
                for article in clashing
            )
            for path in paths:
                others = ", ".join(other for other in paths if other != path)
                problems.append(
                    Problem(
                        path,
                        "slug",
                        f"gives the same URL /{target.removesuffix('index.html')} as {others}; "
                        "expected a different slug or date",
                    )
                )
    return problems


def check_articles(generator) -> None:
    """Log warnings, and raise ContentError listing every error of every article.

    Other plugins that find problems once all articles are read (the people registry,
    for one) add them to generator.context["content_problems"] before this runs, at
    article_generator_pretaxonomy, so that one report lists them all."""
    articles = all_articles(generator)
    problems = [problem for article in articles for problem in getattr(article, "problems", ())]
    problems += duplicate_urls(articles, Path(generator.settings["PATH"]).parent)
    problems += generator.context.get("content_problems", [])
    problems.sort(key=lambda problem: (problem.path, problem.field))
    warnings = [problem for problem in problems if problem.severity != ERROR]
    # Thousands of lines bury what matters and cost seconds of console output;
    # `./dev check` shows them all (WARNINGS_SHOWN = None).
    shown = generator.settings.get("WARNINGS_SHOWN", WARNINGS_SHOWN)
    for problem in warnings[:shown]:
        logger.warning("%s", problem)
    if shown is not None and len(warnings) > shown:
        logger.warning(
            "… and %d more warnings; './dev check' lists them all", len(warnings) - shown
        )
    errors = [problem for problem in problems if problem.severity == ERROR]
    if errors:
        raise ContentError(errors)
