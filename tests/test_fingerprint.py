"""What a page shows, fingerprinted: the basis on which rebuilds skip unchanged pages."""

from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from bantin.fingerprint import Fingerprints, template_variables


def article(title: str, body: str = "<p>Nội dung.</p>", **fields) -> Article:
    return Article(body, metadata={"title": title, **fields}, settings=DEFAULT_CONFIG)


def test_an_article_counts_in_full_and_a_listed_one_by_what_a_card_shows():
    listed, shown = article("Hội nghị"), article("Hội nghị")
    before = (Fingerprints().of(shown), Fingerprints().of([listed]))
    shown._content = listed._content = "<p>Nội dung đã sửa.</p>"
    assert Fingerprints().of(shown) != before[0]  # the article's own page shows its body
    assert Fingerprints().of([listed]) == before[1]  # a list shows its title and summary
    listed.title = "Hội nghị tổng kết"
    assert Fingerprints().of([listed]) != before[1]


def test_articles_that_point_at_each_other_are_fingerprinted_without_end():
    first, second = article("Một"), article("Hai")
    first.related, second.related = [second], [first]
    before = Fingerprints().of(first)
    second._content = "<p>Khác.</p>"
    assert Fingerprints().of(first) == before  # a related article shows as a card
    second.title = "Hai, sửa"
    assert Fingerprints().of(first) != before


def test_equal_values_have_equal_fingerprints_in_every_build():
    # Separate objects, as two builds make them: no address or identity may leak in.
    assert Fingerprints().of(article("Một"), {"a": [1, 2]}) == Fingerprints().of(
        article("Một"), {"a": [1, 2]}
    )


def test_a_templates_variables_include_those_of_the_templates_it_uses():
    environment = Environment(
        loader=DictLoader(
            {
                "base.html": "{{ SITENAME }}{% block body %}{% endblock %}",
                "card.html": "{{ article.title }}",
                "list.html": (
                    '{% extends "base.html" %}{% block body %}{% for article in articles_page %}'
                    '{% include "card.html" %}{% endfor %}{{ footer }}{% endblock %}'
                ),
                "chosen.html": "{% include which %}",
            }
        )
    )
    assert template_variables(environment, "list.html") == {
        "SITENAME",
        "articles_page",
        "footer",
        "article",
    }
    # A template chosen at render time could read anything: such a page is always rendered.
    assert template_variables(environment, "chosen.html") is None
