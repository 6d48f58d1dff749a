"""Unpacking an uploaded ``.zip`` of a pack without letting it write outside its folder or fill the disk.

The whole archive is refused (:class:`UnsafeArchive`) when any member would escape the extraction
folder (``../``, an absolute path, a drive letter, a backslash path), is a link or a special file,
is encrypted or written twice, or when the archive has too many members or too many bytes — counted as they are
really decompressed, so a zip bomb with lying headers is stopped too. Only ``.yaml``/``.yml`` files
are written; other members (a README, images, an archive inside the archive) are skipped.

A refusal is a problem record of :data:`kg.problems.CODES` (``unsafe-archive``, ``archive-too-large``,
``bad-archive``) located at the archive, as ``kg check --graph pack.zip`` lists it; the exception
carries it (:attr:`UnsafeArchive.problem`) and says it in either language (:meth:`UnsafeArchive.message_in`).

>>> import io, zipfile, tempfile, pathlib
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     archive.writestr("pack/a.yaml", "- id: a\\n")
...     archive.writestr("../evil.yaml", "x")
>>> extract_zip(buffer.getvalue(), pathlib.Path(tempfile.mkdtemp()))
Traceback (most recent call last):
...
kg.unpack.UnsafeArchive: archive.zip: '../evil.yaml' would be written outside the pack folder
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
from .problems import Phrase, Problem, os_reason, problem

YAML_SUFFIXES = (".yaml", ".yml")


class UnsafeArchive(PackError):
    """The archive cannot be unpacked safely; nothing of it is kept. ``problem`` is the refusal as a record.

    >>> refusal = UnsafeArchive(problem("unsafe-archive", ("pack.zip", 1, 1), member="/etc/a.yaml", flaw=Phrase("absolute-path")))
    >>> print(refusal.message_in("zh"))
    pack.zip: 压缩包成员 '/etc/a.yaml' 是绝对路径
    """

    def __init__(self, record: Problem):
        self.problem = record
        super().__init__(self.message_in("en"))

    def message_in(self, lang: str = "en") -> str:
        return f"{self.problem.path}: {self.problem.message_in(lang)}"


@dataclass(frozen=True)
class ZipLimits:
    max_archive_bytes: int = 20 * 1024 * 1024
    max_members: int = 2_000
    max_total_bytes: int = 64 * 1024 * 1024
    max_member_bytes: int = 5 * 1024 * 1024
    max_ratio: int = 200  # decompressed / compressed, per member above 1 MB


def _flaw_of_name(name: str) -> str | None:
    """What makes a member's name unsafe to write (a phrase of :data:`kg.problems.PHRASES`), or None."""
    if "\x00" in name or "\\" in name:
        return "backslash-or-nul"
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute-path"
    if any(part == ".." for part in path.parts):
        return "outside-folder"
    return None


def extract_zip(data: bytes, dest: Path, limits: ZipLimits = ZipLimits(), *, name: str = "archive.zip") -> list[Path]:
    """Write the archive's YAML files under ``dest`` (which must exist); return their paths.

    Raises :class:`UnsafeArchive` (a :class:`kg.PackError`) and removes what it wrote when the
    archive is unsafe or over a limit; its problem is located at ``name`` (how the archive is shown).
    """
    where = (name, 1, 1)
    if len(data) > limits.max_archive_bytes:
        raise UnsafeArchive(problem("archive-too-large", where, excess=Phrase("archive-bytes"), size=len(data), limit=limits.max_archive_bytes))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise UnsafeArchive(problem("bad-archive", where, detail=_zip_trouble(err))) from None
    if len(members) > limits.max_members:
        raise UnsafeArchive(problem("archive-too-large", where, excess=Phrase("archive-members"), count=len(members), limit=limits.max_members))
    declared = 0
    seen: set[str] = set()
    chosen: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    for info in members:
        mode = info.external_attr >> 16
        flaw = _flaw_of_name(info.filename)
        if flaw is None and stat.S_ISLNK(mode):
            flaw = "symbolic-link"
        elif flaw is None and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):  # 0: no type recorded (zipfile.writestr)
            flaw = "special-file"
        elif flaw is None and info.flag_bits & 0x1:
            flaw = "encrypted"
        elif flaw is None and not info.is_dir() and info.filename in seen:  # which copy is the pack's is anyone's guess
            flaw = "duplicate-member"
        seen.add(info.filename)
        if flaw is not None:
            raise UnsafeArchive(problem("unsafe-archive", where, member=info.filename, flaw=Phrase(flaw)))
        path = PurePosixPath(info.filename)
        if info.is_dir():
            continue
        declared += info.file_size
        if info.file_size > limits.max_member_bytes or declared > limits.max_total_bytes:
            raise UnsafeArchive(problem("archive-too-large", where, excess=Phrase("member-over-limits"), member=info.filename,
                                 per_file=limits.max_member_bytes, total=limits.max_total_bytes))
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
                raise UnsafeArchive(problem("unsafe-archive", where, member=info.filename, flaw=Phrase("outside-folder")))
            target.parent.mkdir(parents=True, exist_ok=True)
            size = 0
            with archive.open(info) as source, open(target, "xb") as sink:
                written.append(target)
                while chunk := source.read(65536):
                    size += len(chunk)
                    total += len(chunk)
                    if size > limits.max_member_bytes or total > limits.max_total_bytes:
                        raise UnsafeArchive(problem("archive-too-large", where, excess=Phrase("member-decompresses-past"), member=info.filename,
                                             per_file=limits.max_member_bytes, total=limits.max_total_bytes))
                    if size > 1024 * 1024 and size > limits.max_ratio * max(1, info.compress_size):
                        raise UnsafeArchive(problem("archive-too-large", where, excess=Phrase("member-ratio"), member=info.filename,
                                             ratio=limits.max_ratio))
                    sink.write(chunk)
    except UnsafeArchive:
        _remove(written)
        raise
    except OSError as err:  # its message would name our temporary folder: say which member, not where
        _remove(written)
        raise UnsafeArchive(problem("io-error", (f"{name}/{info.filename}", 1, 1), reason=os_reason(err))) from None
    except (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError, zlib.error) as err:
        _remove(written)
        raise UnsafeArchive(problem("bad-archive", where, detail=_zip_trouble(err))) from None
    return written


def _zip_trouble(err: Exception) -> str:
    """What the zip reader found, in kg's words where it is a common case (a phrase), else as the reader says it."""
    text = str(err)
    if isinstance(err, zipfile.BadZipFile) and text == "File is not a zip file":
        return Phrase("not-a-zip")
    if isinstance(err, EOFError) or "truncated" in text.lower():
        return Phrase("zip-cut-short")
    if isinstance(err, zlib.error) or text.startswith(("Bad CRC-32", "Bad magic number")):
        return Phrase("zip-damaged")
    return text


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


def upload_problem(root: Path, limits: UploadLimits = UploadLimits()) -> PackError | None:
    """Why the pack under ``root`` is too large to load in the app (an error that says it in either
    language, :meth:`kg.KgError.message_in`), or None.

    Counts bytes and ``id`` keys (an upper bound of the concepts) without parsing.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.yaml").write_text("- {id: a}\\n" * 30)
    >>> too_large = upload_problem(folder, UploadLimits(max_concepts=20))
    >>> print(too_large)
    the pack has about 30 concepts; the app loads at most 20 (use the kg command for larger packs)
    >>> print(too_large.message_in("zh"))
    概念包约有 30 个概念;应用最多载入 20 个(更大的概念包请用 kg 命令)
    """
    total = concepts = 0
    for file in sorted(root.rglob("*")):
        if not file.is_file() or file.is_symlink():
            continue
        size = file.stat().st_size
        total += size
        if total > limits.max_bytes:
            return PackError(key="error_upload_bytes", mb=limits.max_bytes // (1024 * 1024))
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
            return PackError(key="error_upload_concepts", concepts=concepts, limit=limits.max_concepts)
    return None
