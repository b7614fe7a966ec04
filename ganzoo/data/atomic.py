"""Writes that readers see whole or not at all, and a clear error when the disk is full.

The one helper for every file a command writes (checkpoints, clip stores, configs, JSON
results): a temp name beside the target, fsync, ``os.replace``, fsync of the folder.
"""

import errno
import os
from contextlib import contextmanager
from pathlib import Path

from ganzoo.errors import GanzooError

NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class NoSpaceError(GanzooError):
    """The disk (or a quota, or a file-size limit) ran out mid-write; nothing half-written is left."""


@contextmanager
def atomic_file(path):
    """Yield a binary handle on a temp file beside ``path``; on success it is fsynced and
    renamed over ``path``, on any failure removed (a full disk becomes :class:`NoSpaceError`).

    A target that exists and is not a regular file (``/dev/stdout``, ``/dev/full``, a FIFO) is
    written straight: renaming over it would replace the device or pipe with a file.
    """
    path = Path(path)
    if _special(path):
        with _no_space_is_one_line(path), open(path, "wb") as handle:
            yield handle
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with _no_space_is_one_line(path), _named(tmp, path):
            with open(tmp, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)  # gone already after a successful replace


def atomic_write_text(path, text):
    with atomic_file(path) as handle:
        handle.write(text.encode())


@contextmanager
def _no_space_is_one_line(path):
    try:
        yield
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise NoSpaceError(f"{path}: no space left while writing ({os.strerror(exc.errno)}); nothing "
                               f"half-written was kept: free space and run again") from None
        raise


@contextmanager
def _named(tmp, path):
    """An error about the temp file names the file the user asked for."""
    try:
        yield
    except OSError as exc:
        if exc.filename == str(tmp):
            exc.filename = str(path)
        raise


def _special(path):
    """True for an existing target that is neither a regular file nor a folder."""
    return path.exists() and not (path.is_file() or path.is_dir())


def _fsync_dir(folder):
    fd = os.open(folder or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
