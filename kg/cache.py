"""A load cache: an unchanged pack is read back from the user's cache folder instead of parsed again.

The key covers kg's version, the limits, and every file's path, size and
modification time; a stale, unreadable or corrupt entry is ignored and rebuilt.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from . import __version__
from .fsutil import atomic_write
from .pack import Limits, Pack, default_pack_path, find_pack_files, load_pack

_MAGIC = b"kg-pack-cache-v1\n"


def cache_dir() -> Path:
    """``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def _fingerprint(root: Path, limits: Limits, use_c: bool) -> str | None:
    files, problems = find_pack_files(root, limits)
    if problems:
        return None
    digest = hashlib.sha256(f"{__version__}|{limits}|{use_c}|{root.resolve()}|{Path.cwd()}".encode())
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            return None
        digest.update(f"{file}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_pack_cached(path=None, *, limits: Limits = Limits(), use_c: bool = True) -> Pack:
    """Like :func:`kg.load_pack`, through the cache. Falls back to a plain load on any cache trouble."""
    root = Path(path) if path is not None else default_pack_path()
    key = _fingerprint(root, limits, use_c)
    if key is None:
        return load_pack(root, limits=limits, use_c=use_c)
    entry = cache_dir() / f"{key}.pickle"
    try:
        blob = entry.read_bytes()
        if blob.startswith(_MAGIC):
            pack = pickle.loads(blob[len(_MAGIC):])
            if isinstance(pack, Pack):
                return pack
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        pass
    pack = load_pack(root, limits=limits, use_c=use_c)
    try:
        pack.__dict__.pop("_search_index", None)
        atomic_write(entry, _MAGIC + pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only home folder must not break the command
    return pack
