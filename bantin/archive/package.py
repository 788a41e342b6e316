"""The archive as one ZIP that gives the same bytes for the same content, and its check.

Layout: ``README.txt`` (what this is, how to open and check it), ``MANIFEST.json``
(every other file with its size and SHA-256, and every article with its metadata),
then the offline site under ``site/``, in that order and the site's files sorted by
path. Every entry carries one fixed timestamp (when the newest article was published
or corrected), the same permissions and no extra fields, and is stored uncompressed:
the bytes then depend on no compressor's version, any unzip tool of any age reads them,
and every byte of the ZIP is either a header field that verify checks or a byte of a
file whose SHA-256 is in the manifest. (Photos, most of the size, are compressed
already.)

``verify`` reads a ZIP back against its MANIFEST.json: a file missing, extra or whose
bytes differ is reported by name. It also checks the container itself (each local
header against the central directory, the entries back to back, nothing after the
end record), so that a damaged byte anywhere in the ZIP is reported, not only one in
a file's data.
"""

import datetime as dt
import hashlib
import json
import shutil
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from bantin.archive.source import ArchiveError

MANIFEST = "MANIFEST.json"
README = "README.txt"
FORMAT = "ban-tin-archive/1"
FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--
UNIX = 3  # "made by" a Unix system
ZIP_EPOCH = dt.datetime(1980, 1, 1)

_LOCAL_HEADER = struct.Struct("<4sHHHHHLLLHH")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_LOCAL_SIGNATURE = b"PK\x03\x04"
_END_RECORD = struct.Struct("<4sHHHHLLH")
_END_SIGNATURE = b"PK\x05\x06"
_UTF8_NAMES = 0x800  # the general purpose flag for UTF-8 file names


def zip_timestamp(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A ZIP entry's date and time (local, to the even second, from 1980) for moment."""
    moment = max(moment.replace(tzinfo=None, microsecond=0), ZIP_EPOCH)
    return (*moment.timetuple()[:5], moment.second - moment.second % 2)


def file_entry(path: str, source: bytes | Path) -> dict:
    """A file's line in the manifest: its path in the archive, size and SHA-256."""
    if isinstance(source, bytes):
        return {"path": path, "size": len(source), "sha256": hashlib.sha256(source).hexdigest()}
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"path": path, "size": size, "sha256": digest.hexdigest()}


def write_zip(
    zip_path: Path,
    files: Iterable[tuple[str, bytes | Path]],
    manifest: dict,
    timestamp: dt.datetime,
) -> Path:
    """Write files (name in the archive, and its bytes or the file to copy) and
    MANIFEST.json (manifest with their "files" added) into zip_path, the same content
    always giving the same bytes."""
    files = list(files)
    names = [name for name, _ in files]
    if len(set(names)) != len(names) or MANIFEST in names:
        raise ValueError("archive files must have distinct names, other than MANIFEST.json")
    ordered = [
        *(item for item in files if item[0] == README),
        *sorted((item for item in files if item[0] != README), key=lambda item: item[0]),
    ]
    manifest = {**manifest, "files": [file_entry(name, source) for name, source in ordered]}
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    ordered.insert(1 if ordered and ordered[0][0] == README else 0, (MANIFEST, manifest_bytes))
    date_time = zip_timestamp(timestamp)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    scratch = zip_path.with_name(f".{zip_path.name}.partial")
    try:
        with zipfile.ZipFile(scratch, "w", allowZip64=False) as archive:
            for name, source in ordered:
                _add(archive, zipfile.ZipInfo(name, date_time), source)
    except zipfile.LargeZipFile:
        scratch.unlink(missing_ok=True)
        raise ArchiveError(
            "the archive would pass 4 GiB, the limit of a plain ZIP: export it a year at "
            "a time (--year) or in date ranges"
        ) from None
    scratch.replace(zip_path)
    return zip_path


def _add(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: bytes | Path) -> None:
    info.create_system = UNIX
    info.external_attr = FILE_MODE
    info.compress_type = zipfile.ZIP_STORED
    if isinstance(source, bytes):
        archive.writestr(info, source)
        return
    info.file_size = Path(source).stat().st_size
    with open(source, "rb") as stream, archive.open(info, "w") as member:
        shutil.copyfileobj(stream, member, 1 << 20)


@dataclass
class Verification:
    """What verify found: an archive is intact when every list is empty."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)  # "path: how"
    damaged: list[str] = field(default_factory=list)  # the container, or the manifest

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.altered or self.damaged)

    def report(self, name: str) -> str:
        if self.ok:
            return f"{name}: OK, {self.checked} files match {MANIFEST}"
        lines = [f"{name}: NOT INTACT"]
        lines += [f"  damaged: {problem}" for problem in self.damaged]
        lines += [f"  missing: {path}" for path in self.missing]
        lines += [f"  extra: {path}" for path in self.extra]
        lines += [f"  altered: {problem}" for problem in self.altered]
        return "\n".join(lines)


def verify(zip_path: Path) -> Verification:
    """Check a ZIP written by write_zip against its MANIFEST.json."""
    result = Verification()
    if not Path(zip_path).is_file():
        result.damaged.append(f"{zip_path} is not a file")
        return result
    with open(zip_path, "rb") as stream:
        try:
            archive = zipfile.ZipFile(stream)
        except Exception as error:  # a damaged file fails in many ways; each is a finding
            result.damaged.append(f"not a readable ZIP file ({error})")
            return result
        with archive:
            result.damaged += _container_problems(stream)
            _check_files(archive, result)
    return result


def _check_files(archive: zipfile.ZipFile, result: Verification) -> None:
    infos = archive.infolist()
    names = [info.filename for info in infos]
    for name in sorted({name for name in names if names.count(name) > 1}):
        result.damaged.append(f"{name} appears {names.count(name)} times")
    if MANIFEST not in names:
        result.damaged.append(f"{MANIFEST} is missing: nothing to check the files against")
        return
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
    except Exception as error:
        result.damaged.append(f"{MANIFEST} cannot be read ({error})")
        return
    present = set(names) - {MANIFEST}
    result.missing = sorted(set(listed) - present)
    result.extra = sorted(present - set(listed))
    for name in sorted(present & set(listed)):
        expected = listed[name]
        try:
            digest, size = _digest(archive, name)
        except Exception as error:
            result.altered.append(f"{name}: its bytes are damaged ({error})")
            continue
        result.checked += 1
        if size != expected.get("size") or digest != expected.get("sha256"):
            result.altered.append(
                f"{name}: {size} bytes, SHA-256 {digest}; "
                f"{MANIFEST} says {expected.get('size')} bytes, SHA-256 {expected.get('sha256')}"
            )


def _digest(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _container_problems(stream: BinaryIO) -> list[str]:
    """What zipfile lets pass: the ZIP must be laid out exactly as write_zip lays it
    out. Its end record, central directory and local headers are read byte by byte
    and every field is compared with what it must be, so that no byte goes unchecked
    (file data is checked against the manifest's SHA-256)."""
    stream.seek(0, 2)
    length = stream.tell()
    if length < _END_RECORD.size:
        return ["too short to be a ZIP file"]
    stream.seek(length - _END_RECORD.size)
    signature, disk, cd_disk, on_disk, total, cd_size, cd_offset, comment_length = (
        _END_RECORD.unpack(stream.read(_END_RECORD.size))
    )
    if (
        (signature, disk, cd_disk, comment_length) != (_END_SIGNATURE, 0, 0, 0)
        or on_disk != total
        or cd_offset + cd_size + _END_RECORD.size != length
    ):
        return ["the end record does not describe this file"]
    stream.seek(cd_offset)
    central = stream.read(cd_size)
    problems: list[str] = []
    entries = []
    position = 0
    for index in range(total):
        if position + _CENTRAL_HEADER.size > len(central):
            return [*problems, f"the central directory ends inside entry {index + 1}"]
        fields = _CENTRAL_HEADER.unpack_from(central, position)
        name_end = position + _CENTRAL_HEADER.size + fields[12]
        name = central[position + _CENTRAL_HEADER.size : name_end]
        entries.append((name, fields))
        expected = _canonical_central(name, fields)
        if fields != expected:
            where = name.decode("utf-8", "replace")
            problems.append(f"entry {where!r}: central directory record is not as written")
        position = name_end + fields[13] + fields[14]
    if position != len(central):
        problems.append("the central directory holds more or less than its entries")
    stamps = {fields[7:9] for _, fields in entries}
    if len(stamps) > 1:
        problems.append(f"entries carry {len(stamps)} different timestamps, not one")
    offset = 0
    for name, fields in entries:
        where = name.decode("utf-8", "replace")
        if fields[18] != offset:
            return [*problems, f"entry {where!r} is not where the previous one ends"]
        stream.seek(offset)
        header = stream.read(_LOCAL_HEADER.size + len(name))
        if len(header) < _LOCAL_HEADER.size + len(name):
            return [*problems, f"entry {where!r}: local header cut short"]
        local = _LOCAL_HEADER.unpack_from(header)
        expected = (_LOCAL_SIGNATURE, *fields[3:4], *fields[5:13], 0)
        if local != expected or header[_LOCAL_HEADER.size :] != name:
            problems.append(f"entry {where!r}: local header differs from the central directory")
        offset += _LOCAL_HEADER.size + len(name) + fields[10]
    if offset != cd_offset:
        problems.append("bytes lie between the last entry and the central directory")
    return problems


def _canonical_central(name: bytes, fields: tuple) -> tuple:
    """A central directory record as write_zip writes it, given its name and the fields
    that vary (timestamp, CRC, size, offset)."""
    ascii_name = name.isascii()
    time, date, crc, size = fields[7], fields[8], fields[9], fields[11]
    return (
        _CENTRAL_SIGNATURE,
        zipfile.DEFAULT_VERSION,
        UNIX,
        zipfile.DEFAULT_VERSION,
        0,
        0 if ascii_name else _UTF8_NAMES,
        zipfile.ZIP_STORED,
        time,
        date,
        crc,
        size,
        size,
        len(name),
        0,
        0,
        0,
        0,
        FILE_MODE,
        fields[18],
    )


def read_manifest(zip_path: Path) -> dict:
    with zipfile.ZipFile(zip_path) as archive:
        return json.loads(archive.read(MANIFEST).decode("utf-8"))
