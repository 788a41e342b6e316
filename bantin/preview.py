"""Serves a built site on the loopback interface, as a static web host would, and the
live preview around it.

The preview (`invoke serve`) and the test suite use this one server, so the tests see
what an editor sees. In the preview, the site is rebuilt whenever content, theme or
settings change; pages reload by themselves, and a failed build is reported in the
terminal and on every page while the last good build keeps being served. A change to
the project's code restarts the preview, so that new code is what builds.
"""

import contextlib
import functools
import gzip
import hashlib
import html
import io
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

PREVIEW_PATH = "/__preview__/"
ASSETS = Path(__file__).with_name("preview_assets")


# What is worth compressing; Pagefind's index files, images and fonts are compressed already.
COMPRESSED_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/manifest+json",
    "image/svg+xml",
)


def _accepts_gzip(accept_encoding: str) -> bool:
    for coding in accept_encoding.split(","):
        name, *parameters = (part.strip().lower() for part in coding.split(";"))
        if name in ("gzip", "*"):
            return "q=0" not in parameters and "q=0.0" not in parameters
    return False


@functools.lru_cache(maxsize=256)
def _gzipped(path: Path, modified_ns: int, size: int) -> bytes:
    """The file's bytes compressed (the modification time and size key the cache)."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


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

    def send_head(self):
        """Text files go gzip-compressed to a browser that accepts it, as web hosts and CDNs
        send them: what a reader downloads (and the benchmark counts) is the compressed size."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if not (
            _accepts_gzip(self.headers.get("Accept-Encoding", ""))
            and content_type.startswith(COMPRESSED_TYPES)
            and path.is_file()
        ):
            return super().send_head()
        stat = path.stat()
        body = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def list_directory(self, path):
        # A web host answers 404 for a folder without index.html; a listing would
        # hide a missing page.
        self.send_error(404)

    def send_error(self, code, message=None, explain=None):
        not_found_page = Path(self.directory) / "404.html"
        if code != 404 or not not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        self._send_html(404, not_found_page.read_bytes())

    def _send_html(
        self, status: int, body: bytes, extra_headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra_headers or {"Connection": "close"}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class PreviewState:
    """What the pages of the preview must know: which build they show, and whether the
    last attempt failed."""

    def __init__(self):
        self.generation = 0
        self.error: str | None = None
        # Pages rendered ahead of the rebuild (bantin.first_look), by output path.
        self.first_looks: dict[str, bytes] = {}
        self.changed = threading.Condition()

    def built(self, error: str | None) -> None:
        with self.changed:
            self.generation += 1
            self.error = error
            self.first_looks = {}
            self.changed.notify_all()

    def show_first(self, pages: dict[str, bytes]) -> None:
        with self.changed:
            self.generation += 1
            self.first_looks = {**self.first_looks, **pages}
            self.changed.notify_all()


class PreviewRequestHandler(SiteRequestHandler):
    """Adds to every page the script that reloads it when it changed, and the banner of
    a failed build; serves the first looks at changed articles (their pages, and the
    photos of those read alone) while the site is rebuilt."""

    preview: PreviewState

    def do_GET(self):
        self._serve(super().do_GET)

    def do_HEAD(self):
        self._serve(super().do_HEAD)

    def _serve(self, from_folder: Callable[[], None]) -> None:
        if self.path.startswith(PREVIEW_PATH):
            return self._preview_asset(self.path[len(PREVIEW_PATH) :].split("?")[0])
        address = self.path.split("?")[0]
        path = Path(self.translate_path(self.path))
        # A folder's address asks for its index.html, even before the folder is made
        # (the first look at an article at a new address).
        if path.is_dir() or address.endswith("/"):
            path = path / "index.html"
        elif not path.suffix and self._first_look(path / "index.html") is not None:
            self.send_response(301)
            self.send_header("Location", address + "/")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        body = self._first_look(path)
        if path.suffix == ".html":
            if body is None and path.is_file():
                body = path.read_bytes()
            if body is not None:
                return self._send_html(200, body)
        elif body is not None:  # a photo an article read alone shows
            return self._send_file(body, self.guess_type(str(path)))
        return from_folder()

    def _first_look(self, path: Path) -> bytes | None:
        # translate_path keeps every path inside the served folder.
        return self.preview.first_looks.get(path.relative_to(self.directory).as_posix())

    def _send_file(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_html(
        self, status: int, body: bytes, extra_headers: dict[str, str] | None = None
    ) -> None:
        text = body.decode("utf-8")
        if self.preview.error:
            banner = (
                '<div class="bt-preview-error" role="alert"><h2 class="bt-preview-error__title">'
                "Bản xem trước chưa cập nhật: lần dựng trang mới nhất bị lỗi (trang dưới đây là bản cũ)"
                f'</h2><pre class="bt-preview-error__details">{html.escape(self.preview.error)}</pre></div>'
            )
            text = text.replace('<a class="bt-skip-link"', banner + '<a class="bt-skip-link"', 1)
        # The page reloads itself only when what it shows has changed (reload.js).
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
        head = (
            f'<meta name="bt-preview-digest" content="{digest}">'
            f'<link rel="stylesheet" href="{PREVIEW_PATH}preview.css">'
            f'<script src="{PREVIEW_PATH}reload.js" defer></script></head>'
        )
        text = text.replace("</head>", head, 1)
        super()._send_html(
            status,
            text.encode("utf-8"),
            {"Cache-Control": "no-store", "X-Preview-Digest": digest},
        )

    def _preview_asset(self, name: str) -> None:
        if name == "events":
            return self._events()
        asset = ASSETS / name
        if name not in ("reload.js", "preview.css") or not asset.is_file():
            return super().send_error(404)
        return self._send_file(
            asset.read_bytes(), "text/javascript" if name.endswith(".js") else "text/css"
        )

    def _events(self) -> None:
        """Server-sent events: the build generation now, and again after each build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state, seen = self.preview, None
        try:
            while True:
                with state.changed:
                    if seen == state.generation:
                        state.changed.wait(timeout=15)
                    generation = state.generation
                message = f"data: {generation}\n\n" if generation != seen else ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = generation
        except (BrokenPipeError, ConnectionResetError):
            pass


def make_server(
    directory: Path,
    port: int = 0,
    *,
    extra_headers: Mapping[str, str] | None = None,
    preview: PreviewState | None = None,
) -> ThreadingHTTPServer:
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"cannot serve {directory}: not a directory")
    handler_class = SiteRequestHandler
    if preview is not None:
        handler_class = type("BoundPreviewHandler", (PreviewRequestHandler,), {"preview": preview})
    handler = functools.partial(
        handler_class, directory=str(directory), extra_headers=dict(extra_headers or {})
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


CODE_SUFFIXES = (".py",)


def live_preview(
    rebuild: Callable[..., str | None],
    output: Path,
    watched: list[Path],
    code: list[Path],
    port: int = 8000,
    stop: threading.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve output on 127.0.0.1:port and call rebuild (which returns an error message or
    None) after every change under watched; a changed article's page is shown before
    the rebuild (bantin.first_look), and its address printed when it is a new one. A
    change to a Python file under code restarts the whole process instead.

    The last build is served at once. rebuild is called with even_if_up_to_date=True:
    the first looks need the context of a build that went through Pelican."""
    from watchfiles import watch

    from bantin.first_look import FirstLook

    state, first_look = PreviewState(), FirstLook()

    def rebuild_and_show(changed: list[Path]) -> None:
        error = rebuild(even_if_up_to_date=True, first_look=first_look, changed=changed)
        first_look.built(succeeded=error is None)
        state.built(error)

    output.mkdir(parents=True, exist_ok=True)
    server = make_server(output, port, preview=state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{server.server_port}/"
    print(f"Previewing at {address} (Ctrl+C to stop); rebuilding on every change")
    first_look.connect()
    rebuild_and_show([])
    if on_ready:
        on_ready(address)
    try:
        for changes in watch(*watched, stop_event=stop, debounce=200, step=50):
            changed = [Path(path) for _, path in changes]
            if any(
                path.suffix in CODE_SUFFIXES and any(path.is_relative_to(c) for c in code)
                for path in changed
            ):
                print("Code changed: restarting the preview")
                server.shutdown()
                server.server_close()
                os.execv(sys.executable, [sys.executable, *sys.argv])
            pages = first_look.pages(changed)
            if pages:
                state.show_first(pages)
            for name in pages:
                if name.endswith("index.html") and not (output / name).exists():
                    print(f"New page, shown before the rebuild: {address}{name[:-10]}")
            rebuild_and_show(changed)
    except KeyboardInterrupt:
        pass
    finally:
        first_look.disconnect()
        server.shutdown()
        server.server_close()
