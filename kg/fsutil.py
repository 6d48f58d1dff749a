"""Writing files so that an interrupted write never leaves half a file, and special files stay what they are."""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import KgError, UsageError

#: Names that mean "standard output": written directly, never replaced.
STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


class OutputError(KgError, OSError):
    """An output file cannot be written where it was asked (a folder, a device, no permission)."""


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write ``data`` to a temporary file in the same folder, then rename it over ``path``.

    An existing file keeps its permission bits (a 0600 file stays 0600); a new one gets the usual
    ones (0666 less the umask). Errors name ``path``, never the hidden temporary file.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_write(target, "hello").read_text()
    'hello'
    >>> target.chmod(0o600); _ = atomic_write(target, "again"); oct(target.stat().st_mode & 0o777)
    '0o600'
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    try:
        os.chmod(temporary, mode)  # mkstemp makes 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as err:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
        raise
    return target


def write_output(path: str | os.PathLike, data: bytes | str) -> str:
    """Write an export where the user asked; returns what it was: ``"stdout"``, ``"pipe"`` or ``"file"``.

    ``-`` and ``/dev/stdout`` go to standard output, and an existing FIFO is opened and written, never
    replaced; a regular file is written through :func:`atomic_write` (keeping its mode); a folder,
    a device or a socket is refused with :class:`OutputError`, so ``-o /dev/sda`` cannot harm a disk and,
    as root, ``-o /dev/null`` cannot replace the system's ``/dev/null`` by a regular file.

    >>> import tempfile, pathlib
    >>> write_output(pathlib.Path(tempfile.mkdtemp()) / "a.txt", "x")
    'file'
    >>> write_output("/dev/null", "x")
    Traceback (most recent call last):
    ...
    kg.fsutil.OutputError: /dev/null is a device, not a file; give a file name (or - for standard output)
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    name = os.fspath(path)
    if name in STDOUT_NAMES:
        stream = getattr(sys.stdout, "unfiltered", sys.stdout)
        stream.flush()
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            binary.write(payload)
            binary.flush()
        else:
            stream.write(payload.decode("utf-8", "replace"))
        return "stdout"
    target = Path(name).resolve() if os.path.islink(name) else Path(name)  # write through a link, keep the link
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise OutputError(f"cannot write {name}: {err.strerror or err}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{name} is a folder; give a file name")
        if stat.S_ISFIFO(info.st_mode):
            try:
                with open(target, "wb") as stream:
                    stream.write(payload)
            except OSError as err:
                raise OutputError(f"cannot write to the pipe {name}: {err.strerror or err}") from None
            return "pipe"
        if not stat.S_ISREG(info.st_mode):
            kind = "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file"
            raise OutputError(f"{name} is {kind}, not a file; give a file name (or - for standard output)")
    atomic_write(target, payload)
    return "file"
def new_or_empty_folder(path: str | os.PathLike) -> Path:
    """``path`` as a :class:`~pathlib.Path` if nothing is there yet or it is an empty folder; otherwise
    :class:`~kg.errors.UsageError`, so that a generated pack is never mixed into another one."""
    folder = Path(path)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not empty; give a new folder")
    return folder
