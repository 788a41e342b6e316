"""Helpers for the test suite: a static server and the real checkers (vnu, axe).

Fixtures live in tests.support.fixtures, loaded by pytest_plugins.
"""

from tests.support.checkers import AXE_TAGS, axe_violations, format_violations, vnu_errors
from tests.support.server import Response, fetch, static_server

__all__ = [
    "AXE_TAGS",
    "Response",
    "axe_violations",
    "fetch",
    "format_violations",
    "static_server",
    "vnu_errors",
]
