"""Archives of the site, for keeping: `invoke archive`.

One build of the site (bantin.archive.source: the project's settings, optionally cut
to a year or a date range, and the data of every article) gives two products:

- an offline copy in one ZIP (offline: every link relative, opened from disk;
  package: README.txt, MANIFEST.json with every file's size and SHA-256 and every
  article's metadata, fixed timestamps and order so the same content gives the same
  bytes; verify checks a ZIP against its manifest);
- a WARC 1.1 file of the site as served (warc), for web archives and replay tools.
"""

from bantin.archive.export import Export, archive_name, export_archive
from bantin.archive.package import Verification, verify
from bantin.archive.source import ArchiveError, Period

__all__ = [
    "ArchiveError",
    "Export",
    "Period",
    "Verification",
    "archive_name",
    "export_archive",
    "verify",
]
