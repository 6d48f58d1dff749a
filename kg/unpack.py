"""Unpacking an uploaded ``.zip`` of a pack without letting it write outside its folder or fill the disk.

The whole archive is refused (:class:`UnsafeArchive`) when any member would escape the extraction
folder (``../``, an absolute path, a drive letter, a backslash path), is a link or a special file,
is encrypted, or when the archive has too many members or too many bytes — counted as they are
really decompressed, so a zip bomb with lying headers is stopped too. Only ``.yaml``/``.yml`` files
are written; other members (a README, images) are skipped.

>>> import io, zipfile, tempfile, pathlib
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     archive.writestr("pack/a.yaml", "- id: a\\n")
...     archive.writestr("../evil.yaml", "x")
>>> extract_zip(buffer.getvalue(), pathlib.Path(tempfile.mkdtemp()))
Traceback (most recent call last):
...
kg.unpack.UnsafeArchive: '../evil.yaml' would be written outside the pack folder
"""
from __future__ import annotations

import io
import os
import re
import stat
import zlib
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import PackError

YAML_SUFFIXES = (".yaml", ".yml")


class UnsafeArchive(PackError):
    """The archive cannot be unpacked safely; nothing of it is kept."""


@dataclass(frozen=True)
class ZipLimits:
    max_archive_bytes: int = 20 * 1024 * 1024
    max_members: int = 2_000
    max_total_bytes: int = 64 * 1024 * 1024
    max_member_bytes: int = 5 * 1024 * 1024
    max_ratio: int = 200  # decompressed / compressed, per member above 1 MB


def _member_path(name: str) -> PurePosixPath:
    if "\x00" in name or "\\" in name:
        raise UnsafeArchive(f"{name!r} has a backslash or NUL in its name")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(f"{name!r} is an absolute path")
    if any(part == ".." for part in path.parts):
        raise UnsafeArchive(f"{name!r} would be written outside the pack folder")
    return path


def extract_zip(data: bytes, dest: Path, limits: ZipLimits = ZipLimits()) -> list[Path]:
    """Write the archive's YAML files under ``dest`` (which must exist); return their paths.

    Raises :class:`UnsafeArchive` (a :class:`kg.PackError`) and removes what it wrote when the
    archive is unsafe or over a limit.
    """
    if len(data) > limits.max_archive_bytes:
        raise UnsafeArchive(f"the archive is {len(data):,} bytes; the limit is {limits.max_archive_bytes:,}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise UnsafeArchive(f"not a readable zip archive: {err}") from None
    if len(members) > limits.max_members:
        raise UnsafeArchive(f"the archive has {len(members):,} members; the limit is {limits.max_members:,}")
    declared = 0
    chosen: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    for info in members:
        path = _member_path(info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnsafeArchive(f"{info.filename!r} is a symbolic link")
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):  # 0: no type recorded (zipfile.writestr)
            raise UnsafeArchive(f"{info.filename!r} is not a regular file")
        if info.flag_bits & 0x1:
            raise UnsafeArchive(f"{info.filename!r} is encrypted")
        if info.is_dir():
            continue
        declared += info.file_size
        if info.file_size > limits.max_member_bytes or declared > limits.max_total_bytes:
            raise UnsafeArchive(f"{info.filename!r} takes the archive over the size limits "
                                f"({limits.max_member_bytes:,} bytes a file, {limits.max_total_bytes:,} in all)")
        if path.name.startswith(".") or any(part.startswith(".") for part in path.parts[:-1]):
            continue  # hidden files and folders (__MACOSX/._x, .git) are not part of a pack
        if path.suffix.lower() in YAML_SUFFIXES and not path.parts[0] == "__MACOSX":
            chosen.append((info, path))
    root = dest.resolve()
    written: list[Path] = []
    total = 0
    try:
        for info, path in chosen:
            target = (root / Path(*path.parts)).resolve()
            if root not in target.parents:
                raise UnsafeArchive(f"{info.filename!r} would be written outside the pack folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            size = 0
            with archive.open(info) as source, open(target, "xb") as sink:
                written.append(target)
                while chunk := source.read(65536):
                    size += len(chunk)
                    total += len(chunk)
                    if size > limits.max_member_bytes or total > limits.max_total_bytes:
                        raise UnsafeArchive(f"{info.filename!r} decompresses past the size limits")
                    if size > 1024 * 1024 and size > limits.max_ratio * max(1, info.compress_size):
                        raise UnsafeArchive(f"{info.filename!r} decompresses {limits.max_ratio}x past its compressed size")
                    sink.write(chunk)
    except UnsafeArchive:
        _remove(written)
        raise
    except OSError as err:  # its message would name our temporary folder: say which member, not where
        _remove(written)
        raise UnsafeArchive(f"{info.filename!r} cannot be unpacked: {err.strerror or type(err).__name__}") from None
    except (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError, zlib.error) as err:
        _remove(written)
        raise UnsafeArchive(f"the archive cannot be read: {err}") from None
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


@dataclass(frozen=True)
class UploadLimits:
    """What the app loads from one upload, checked on the unpacked files before any parsing.

    A 3.4 MB zip unpacking to 64 MB held 1.25 million concepts and kept 3.2 GB in the app's cache;
    at most 16 MB and 20,000 concepts keep one loaded upload near 100 MB. Edges are counted while
    loading (:attr:`kg.pack.Limits.max_edges`, see :meth:`load_limits`): 15 MB of short edge lists
    are 2 million edges, which took the app's server past 2.5 GB.
    """

    max_bytes: int = 16 * 1024 * 1024
    max_concepts: int = 20_000
    max_edges: int = 100_000

    def load_limits(self):
        """The :class:`kg.pack.Limits` to load an upload with.

        >>> UploadLimits().load_limits().max_edges
        100000
        """
        from .pack import Limits

        return Limits(max_edges=self.max_edges)


#: An ``id`` key as YAML or JSON writes it: block (``- id:``/``id:``), flow (``{id:``, ``, id:``) or quoted.
_ID_KEY = re.compile(rb"""(?:^|[\s{,\-?])["']?id["']?[ \t]*:""", re.MULTILINE)


def upload_problem(root: Path, limits: UploadLimits = UploadLimits()) -> str | None:
    """Why the pack under ``root`` is too large to load in the app, or None.

    Counts bytes and ``id`` keys (an upper bound of the concepts) without parsing.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.yaml").write_text("- {id: a}\\n" * 30)
    >>> upload_problem(folder, UploadLimits(max_concepts=20))
    'the pack has about 30 concepts; the app loads at most 20 (use the kg command for larger packs)'
    """
    total = concepts = 0
    for file in sorted(root.rglob("*")):
        if not file.is_file() or file.is_symlink():
            continue
        size = file.stat().st_size
        total += size
        if total > limits.max_bytes:
            return f"the pack unpacks to more than {limits.max_bytes // (1024 * 1024)} MB; the app loads at most that"
        data = file.read_bytes()
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
            for encoding in ("utf-32", "utf-16"):
                try:
                    data = data.decode(encoding).encode("utf-8", "replace")
                    break
                except UnicodeDecodeError:
                    continue
        concepts += len(_ID_KEY.findall(data))
        if concepts > limits.max_concepts:
            return (f"the pack has about {concepts:,} concepts; the app loads at most {limits.max_concepts:,} "
                    "(use the kg command for larger packs)")
    return None
