"""Serving built sites in tests, and fetching from them."""

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import NamedTuple, TypeVar

import pytest

from bantin.preview import serving

# The tests serve sites with the preview's own server: what they check is what editors see.
static_server = serving


Ready = TypeVar("Ready")


def wait_until_ready(
    server: subprocess.Popen, log: Path, name: str, ready: Callable[[], Ready | None]
) -> Ready:
    """What ready() returns once it returns something, within 10 s; the test fails, with
    the server's log, if the server stops or is not ready by then."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        result = ready()
        if result is not None:
            return result
        try:
            server.wait(timeout=0.05)  # waits a moment, and notices the server stopping
            pytest.fail(f"{name} stopped: {log.read_text()}", pytrace=False)
        except subprocess.TimeoutExpired:
            pass
    pytest.fail(f"{name} did not start: {log.read_text()}", pytrace=False)


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
