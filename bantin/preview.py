"""Serves a built site on the loopback interface, as a static web host would.

The preview (`invoke serve`) and the test suite use this one server, so the tests see
what an editor sees.
"""

import contextlib
import functools
import threading
from collections.abc import Iterator, Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar


class SiteRequestHandler(SimpleHTTPRequestHandler):
    """Directory URLs serve their index.html; unknown paths get the site's 404 page."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".atom": "application/atom+xml",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".webmanifest": "application/manifest+json",
        ".xml": "application/xml",
    }

    def __init__(self, *args, extra_headers: Mapping[str, str], **kwargs):
        self._extra_headers = extra_headers
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in self._extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path):
        # A web host answers 404 for a folder without index.html; a listing would
        # hide a missing page.
        self.send_error(404)

    def send_error(self, code, message=None, explain=None):
        not_found_page = Path(self.directory) / "404.html"
        if code != 404 or not not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def make_server(
    directory: Path, port: int = 0, *, extra_headers: Mapping[str, str] | None = None
) -> ThreadingHTTPServer:
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"cannot serve {directory}: not a directory")
    handler = functools.partial(
        SiteRequestHandler, directory=str(directory), extra_headers=dict(extra_headers or {})
    )
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


@contextlib.contextmanager
def serving(directory: Path, *, extra_headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve directory on a free loopback port in a thread; yield its base URL
    (no trailing slash)."""
    server = make_server(directory, extra_headers=extra_headers)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve_forever(directory: Path, port: int = 8000) -> None:
    server = make_server(directory, port)
    print(f"Serving {directory} at http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
