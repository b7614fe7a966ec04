"""Writes that readers see whole or not at all, and a clear error when the disk is full."""

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
    renamed over ``path``, on any failure removed (a full disk becomes :class:`NoSpaceError`)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in NO_SPACE:
            raise NoSpaceError(f"{path}: no space left while writing ({os.strerror(exc.errno)}); free space and run again to resume") from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path, text):
    with atomic_file(path) as handle:
        handle.write(text.encode())
