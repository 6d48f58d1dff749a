"""A load cache: an unchanged pack is read back from the user's cache folder instead of parsed again.

One entry per pack (keyed by kg's version, the pack's resolved path, the
working folder, the limits and the parser), overwritten when the pack changes,
so edits never pile up stale entries. An entry holds:

* a magic line and format version;
* the *fingerprint* of the pack: every file's path, size and modification time
  (nanoseconds) and the file list itself; an entry whose fingerprint differs
  from the pack on disk is **stale** and rebuilt;
* a CRC-32 and the length of the payload, so a truncated or damaged entry is
  **corrupt** and rebuilt, never half-read;
* the pickled :class:`~kg.pack.Pack` (graph, study graph, problems, positions).

Safety: pickle runs code from what it reads, so entries are only read from a
folder that belongs to the current user and that nobody else can write (made
with mode 0700), and only when the entry itself belongs to the user. Anything
else falls back to a plain load. ``kg --no-cache`` and ``KG_NO_CACHE=1`` turn
the cache off; ``KG_CACHE_DIR`` moves it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat as stat_module
import struct
import zlib
from pathlib import Path

from . import __version__
from .fsutil import atomic_write
from .perf import gc_paused
from .pack import Limits, Pack, default_pack_path, find_pack_files, load_pack

#: Bumped whenever the pickled Pack changes shape (v3: expectations, contrast_where), so an entry written by
#: an older kg is rebuilt instead of read back without the new fields.
_MAGIC = b"kg-pack-cache-v4\n"  # v4: problems keep their code and fields, not sentences
_HEAD = struct.Struct("<32sIQ")  # fingerprint (sha256), crc32 of payload, payload length


def cache_dir() -> Path:
    """``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def entry_path(root: Path, limits: Limits = Limits(), use_c: bool = True) -> Path:
    """Where the cache entry of the pack at ``root`` lives."""
    name = hashlib.sha256(f"{__version__}|{root.resolve()}|{Path.cwd()}|{limits}|{use_c}".encode()).hexdigest()[:40]
    return cache_dir() / f"{name}.pack"


def fingerprint(root: Path, limits: Limits = Limits()) -> bytes | None:
    """A digest of the pack's file list and each file's size and mtime; None when the pack can't be listed cleanly."""
    files, problems = find_pack_files(root, limits)
    if problems:
        return None
    digest = hashlib.sha256(_MAGIC)
    for file in files:
        try:
            info = file.stat()
        except OSError:
            return None
        digest.update(f"{file}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\n".encode("utf-8", "surrogateescape"))
    return digest.digest()


def _private_folder(folder: Path, create: bool) -> bool:
    """Whether ``folder`` is a real folder owned by this user that no one else can write (created 0700 if asked)."""
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat_module.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return False
    return True


def read_entry(entry: Path, key: bytes) -> Pack | None:
    """The cached pack if ``entry`` is present, ours, current and intact; else None.

    Every field is checked before it is used: the payload length against the file's real size (a
    damaged length once asked Python for an exabyte and crashed every later run), then the CRC, then
    the unpickled type. A damaged entry is moved aside to ``*.bad`` (one kept for a look) and the pack
    is parsed again, so one bad byte costs one slow run, never a crash.
    """
    if not _private_folder(entry.parent, create=False):
        return None
    try:
        info = os.lstat(entry)
        if not stat_module.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            return None
        with open(entry, "rb") as stream:
            head = stream.read(len(_MAGIC) + _HEAD.size)
            if not head.startswith(_MAGIC):
                return None  # another version's entry: rebuilt and overwritten, not damaged
            if len(head) != len(_MAGIC) + _HEAD.size:
                return _quarantine(entry)
            stored_key, crc, length = _HEAD.unpack(head[len(_MAGIC):])
            if stored_key != key:
                return None  # stale: the pack changed since the entry was written
            if length != os.fstat(stream.fileno()).st_size - len(head):
                return _quarantine(entry)  # truncated, grown or a damaged length field
            payload = stream.read(length)
    except OSError:
        return None
    if len(payload) != length or zlib.crc32(payload) != crc:
        return _quarantine(entry)
    try:
        with gc_paused():  # millions of objects come back at once
            pack = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a damaged entry can raise nearly anything; it is rebuilt
        return _quarantine(entry)
    return pack if isinstance(pack, Pack) else _quarantine(entry)


def _quarantine(entry: Path) -> None:
    """Move a damaged entry aside (``name.bad``, replacing an older one) so that it is never read again."""
    try:
        os.replace(entry, entry.with_suffix(".bad"))
    except OSError:
        try:
            os.unlink(entry)
        except OSError:
            pass
    return None


def write_entry(entry: Path, key: bytes, pack: Pack) -> bool:
    """Store ``pack`` under ``entry``; False (and nothing written) when the folder is not private or not writable."""
    if not _private_folder(entry.parent, create=True):
        return False
    try:
        with gc_paused():
            payload = pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(entry, _MAGIC + _HEAD.pack(key, zlib.crc32(payload), len(payload)) + payload)
        return True
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False  # a read-only or full disk must not break the command


def load_pack_cached(path=None, *, limits: Limits = Limits(), use_c: bool = True) -> Pack:
    """Like :func:`kg.load_pack`, through the cache. Falls back to a plain load on any cache trouble.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.yaml").write_text("- id: a\\n  name: A\\n  kind: concept\\n  summary: S.\\n")
    >>> first = load_pack_cached(folder)          # parsed, then stored
    >>> load_pack_cached(folder).graph.nodes["a"]["name"]   # read back
    'A'
    >>> del os.environ["KG_CACHE_DIR"]
    """
    root = Path(path) if path is not None else default_pack_path()
    if os.environ.get("KG_NO_CACHE"):
        return load_pack(root, limits=limits, use_c=use_c)
    key = fingerprint(root, limits)
    if key is None:
        return load_pack(root, limits=limits, use_c=use_c)
    entry = entry_path(root, limits, use_c)
    pack = read_entry(entry, key)
    if pack is not None:
        return pack
    pack = load_pack(root, limits=limits, use_c=use_c)
    if fingerprint(root, limits) == key:  # not edited while we were reading it
        write_entry(entry, key, pack)
    return pack
