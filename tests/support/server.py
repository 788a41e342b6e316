"""Serving built sites in tests, and fetching from them."""

import urllib.error
import urllib.request
from email.message import Message
from typing import NamedTuple

from bantin.preview import serving

# The tests serve sites with the preview's own server: what they check is what editors see.
static_server = serving


class Response(NamedTuple):
    status: int
    headers: Message
    text: str


def fetch(url: str) -> Response:
    """GET ``url`` and return its status, headers and body, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return Response(response.status, response.headers, response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers, error.read().decode("utf-8"))
