"""A list of articles whose membership test takes constant time.

Pelican builds each tag, category and author page by keeping, of all articles, those
`in` the page's list: with plain lists that is quadratic (FACTS.md: 1.8 s at 5,000
articles, growing with the square).
"""


class ArticleList(list):
    """A list of articles, not to be changed once made, that knows its members by identity."""

    def __init__(self, articles=()):
        super().__init__(articles)
        self._members = {id(article) for article in self}

    def __contains__(self, article) -> bool:
        return id(article) in self._members
