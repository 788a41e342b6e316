"""A WARC 1.1 file (ISO 28500) of the site as it is served, for web archives.

The built site is served on a loopback port by the preview's server (bantin.preview,
a static host: folders answer with their index.html), and every URL is fetched over
HTTP, one request per file of the site: folders by their URL ending in "/", other
files by their path. Each exchange is written with warcio as a response record, with
the status line and headers the server really sent, and the request record that asked
for it, after one warcinfo record, each record gzipped on its own.

The records name the URLs at the site's public address (``site_url``): the request is
sent with that address's ``Host`` header, so a replay tool such as pywb shows the pages
at the address readers knew. Record dates are the ``captured`` time given, and record
ids are derived from the URL and that time, so that the same site captured "at" the
same time gives the same records; only the headers the server adds itself (Date,
Last-Modified) vary from one capture to the next.
"""

import datetime as dt
import http.client
import uuid
from dataclasses import dataclass
from importlib.metadata import version as package_version
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from bantin.archive.source import ArchiveError
from bantin.preview import serving

WARC_VERSION = "1.1"
USER_AGENT = "BanTinArchive/1 (warcio)"
WARC_1_1_SPEC = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"


@dataclass(frozen=True)
class Capture:
    uri: str
    status: int
    content_type: str


def site_paths(site: Path) -> list[str]:
    """The URL path of every file of a built site: folders for their index.html."""
    paths = []
    for file in sorted(path for path in Path(site).rglob("*") if path.is_file()):
        relative = file.relative_to(site).as_posix()
        if relative == "index.html" or relative.endswith("/index.html"):
            relative = relative.removesuffix("index.html")
        paths.append("/" + quote(relative))
    return sorted(paths)


def _record_id(kind: str, uri: str, date: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{kind} {date} {uri}')}>"


def capture(
    site: Path,
    warc_path: Path,
    *,
    site_url: str,
    captured: dt.datetime,
    description: str = "",
) -> list[Capture]:
    """Serve site on 127.0.0.1, fetch every URL and write warc_path; return what was
    captured, in order."""
    site_url = site_url.rstrip("/")
    host = urlsplit(site_url).netloc
    if not host:
        raise ArchiveError(f"site_url {site_url!r} must be an absolute http(s) address")
    date = datetime_to_iso_date(
        captured.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0), use_micros=True
    )
    warc_path.parent.mkdir(parents=True, exist_ok=True)
    scratch = warc_path.with_name(f".{warc_path.name}.partial")
    captures = []
    with open(scratch, "wb") as stream, serving(site) as base:
        writer = WARCWriter(stream, gzip=True, warc_version=WARC_VERSION)
        warcinfo_id = _record_id("warcinfo", warc_path.name, date)
        writer.write_record(
            _warcinfo(writer, warc_path.name, warcinfo_id, date, site_url, description)
        )
        port = urlsplit(base).port
        for path in site_paths(site):
            uri = site_url + path
            request_headers = [
                ("Host", host),
                ("User-Agent", USER_AGENT),
                ("Accept", "*/*"),
                ("Accept-Encoding", "identity"),
                ("Connection", "close"),
            ]
            status, reason, version, headers, body = _fetch(port, path, request_headers)
            if status != 200:
                raise ArchiveError(f"{path} answered {status} {reason} while capturing")
            common = {"WARC-Date": date, "WARC-Warcinfo-ID": warcinfo_id}
            response = writer.create_warc_record(
                uri,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders(f"{status} {reason}", headers, protocol=version),
                warc_headers_dict={**common, "WARC-Record-ID": _record_id("response", uri, date)},
            )
            request = writer.create_warc_record(
                uri,
                "request",
                http_headers=StatusAndHeaders(
                    f"GET {path} HTTP/1.1", request_headers, is_http_request=True
                ),
                warc_headers_dict={**common, "WARC-Record-ID": _record_id("request", uri, date)},
            )
            writer.write_request_response_pair(request, response)
            content_type = next(
                (value for name, value in headers if name.lower() == "content-type"), ""
            )
            captures.append(Capture(uri, status, content_type))
    scratch.replace(warc_path)
    return captures


def _fetch(port: int, path: str, headers: list[tuple[str, str]]):
    """GET path from the loopback server with exactly these request headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        version = "HTTP/1.1" if response.version == 11 else "HTTP/1.0"
        return response.status, response.reason, version, response.getheaders(), body
    finally:
        connection.close()


def _warcinfo(writer, filename: str, record_id: str, date: str, site_url: str, description: str):
    fields = {
        "software": f"Bản tin archive export (warcio {package_version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": WARC_1_1_SPEC,
        "isPartOf": site_url,
        "description": description
        or f"The site {site_url} as served: its build, served on a loopback address.",
        "http-header-user-agent": USER_AGENT,
    }
    body = "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode("utf-8")
    return writer.create_warc_record(
        "",
        "warcinfo",
        payload=BytesIO(body),
        length=len(body),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": record_id,
            "WARC-Date": date,
            "WARC-Filename": filename,
        },
    )
