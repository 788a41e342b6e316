"""A page for every person and every organisation, whatever the spelling.

The directory (bantin.people) is built once, when all articles are read, and shared
through the context as `people_directory`: article pages link to it, and the search
and feed features read it. Reporters are people too: their Pelican author pages are
replaced by person pages, which list what they wrote and where they took part.

Settings: PEOPLE_REGISTRY (file in content/, default nguoi-va-to-chuc.yaml),
PERSON_URL / PERSON_SAVE_AS, PEOPLE_URL / PEOPLE_SAVE_AS, ORGANIZATION_URL /
ORGANIZATION_SAVE_AS, ORGANIZATIONS_URL / ORGANIZATIONS_SAVE_AS, RELATED_ARTICLES.
"""

from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import Author

from bantin.article_list import ArticleList
from bantin.people import build_directory, load_registry, related_articles
from bantin.vietnamese import person_sort_key

DEFAULTS = {
    "PEOPLE_REGISTRY": "nguoi-va-to-chuc.yaml",
    "PERSON_URL": "nguoi/{slug}/",
    "PERSON_SAVE_AS": "nguoi/{slug}/index.html",
    "PEOPLE_URL": "nguoi/",
    "PEOPLE_SAVE_AS": "nguoi/index.html",
    "ORGANIZATION_URL": "to-chuc/{slug}/",
    "ORGANIZATION_SAVE_AS": "to-chuc/{slug}/index.html",
    "ORGANIZATIONS_URL": "to-chuc/",
    "ORGANIZATIONS_SAVE_AS": "to-chuc/index.html",
    "RELATED_ARTICLES": 4,
}


def add_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def build_people(generator) -> None:
    settings = generator.settings
    project_root = Path(settings["PATH"]).parent
    registry_file = Path(settings["PATH"]) / settings["PEOPLE_REGISTRY"]
    registry, problems = load_registry(
        registry_file, registry_file.relative_to(project_root).as_posix()
    )
    everything = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    directory, more = build_directory(generator.articles, registry, project_root, everything)
    generator.context.setdefault("content_problems", []).extend(problems + more)

    related = related_articles(directory, generator.articles, settings["RELATED_ARTICLES"])
    for article in everything:
        article.participant_links = directory.participants_of.get(id(article)) or [
            (p, None) for p in article.participants
        ]
        article.author_credits = directory.authors_of.get(id(article)) or [
            (b, None) for b in article.bylines
        ]
        article.organization_links = directory.organizations_of.get(id(article)) or [
            (o, None) for o in article.organizations
        ]
        article.related = related.get(id(article), [])
        for author, (_, person) in zip(
            getattr(article, "authors", ()), article.author_credits, strict=True
        ):
            if person:
                author.slug = person.slug

    # Seeding Pelican's author index with each reporter's person gives the reporters'
    # index their display names.
    for person in directory.people:
        if any(appearance.as_author for appearance in person.appearances):
            author = Author(person.name, settings)
            author.slug = person.slug
            generator.authors[author] = []
    generator.context["people_directory"] = directory


def order_reporters(generator) -> None:
    reporters = [
        (author, ArticleList(articles)) for author, articles in generator.authors if articles
    ]
    generator.authors = sorted(reporters, key=lambda pair: person_sort_key(pair[0].name))
    generator.context["authors"] = generator.authors


def people_pages_generator(_pelican):
    return PeoplePagesGenerator


class PeoplePagesGenerator(Generator):
    """Writes the person and organisation pages and their indexes."""

    def generate_output(self, writer) -> None:
        directory = self.context.get("people_directory")
        if directory is None:
            return
        settings = self.settings
        for person in directory.people:
            writer.write_file(
                settings["PERSON_SAVE_AS"].format(slug=person.slug),
                self.get_template("person"),
                self.context,
                person=person,
                paginated={"appearances": person.appearances},
                template_name="person",
                url=settings["PERSON_URL"].format(slug=person.slug),
            )
        for organization in directory.organizations:
            writer.write_file(
                settings["ORGANIZATION_SAVE_AS"].format(slug=organization.slug),
                self.get_template("organization"),
                self.context,
                organization=organization,
                paginated={"articles": organization.articles},
                template_name="organization",
                url=settings["ORGANIZATION_URL"].format(slug=organization.slug),
            )
        writer.write_file(
            settings["PEOPLE_SAVE_AS"],
            self.get_template("people"),
            self.context,
            people=directory.people,
            url=settings["PEOPLE_URL"],
        )
        writer.write_file(
            settings["ORGANIZATIONS_SAVE_AS"],
            self.get_template("organizations"),
            self.context,
            organizations=directory.organizations,
            url=settings["ORGANIZATIONS_URL"],
        )


def register() -> None:
    signals.initialized.connect(add_defaults)
    signals.article_generator_pretaxonomy.connect(build_people)
    signals.article_generator_finalized.connect(order_reporters)
    signals.get_generators.connect(people_pages_generator)
