"""Stopping cleanly: Ctrl-C (SIGINT) and a cluster's preemption (SIGTERM) never lose work.

Every command: SIGTERM becomes :class:`Terminated` (exit 143) as SIGINT is already
``KeyboardInterrupt`` (exit 130), so both unwind through ``finally`` blocks and atomic writes
remove their temp files instead of the process vanishing mid-write.

A training loop (:class:`StopRequest`): the first SIGINT or SIGTERM only asks it to stop; it
finishes the current step, writes a checkpoint, closes its logs and raises :class:`Interrupted`
(exit 130 or 143). A second signal aborts at once (a cluster sends SIGKILL after its grace
period anyway; the last checkpoint is then what survives).
"""

import os
import signal
import threading
from contextlib import contextmanager

from ganzoo.errors import GanzooError

NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


class Terminated(BaseException):
    """SIGTERM outside a training loop: unwinds like KeyboardInterrupt (not an Exception, so
    ``except Exception`` blocks do not swallow it)."""


class Interrupted(GanzooError):
    """A training loop stopped on a signal after saving its state; exit code 128 + the signal."""

    prefix = ""

    def __init__(self, message, signum):
        super().__init__(message)
        self.signum = signum
        self.exit_code = 128 + int(signum)


def _main_thread():
    return threading.current_thread() is threading.main_thread()


def _raise_terminated(signum, frame):
    raise Terminated()


@contextmanager
def stop_on_sigterm():
    """SIGTERM raises :class:`Terminated` inside the block (main thread only; elsewhere a no-op)."""
    if not _main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


class StopRequest:
    """While entered, the first SIGINT/SIGTERM sets :attr:`signum` (the loop polls it between
    steps); a second one raises at once. Outside the main thread it never fires."""

    def __init__(self):
        self.signum = 0
        self._old = {}

    def __enter__(self):
        if _main_thread():
            for signum in NAMES:
                self._old[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc):
        for signum, old in self._old.items():
            signal.signal(signum, old)
        self._old.clear()
        return False

    def _handle(self, signum, frame):
        if self.signum:
            raise KeyboardInterrupt() if signum == signal.SIGINT else Terminated()
        self.signum = signum
        # os.write, not print: the handler may run while the progress bar is writing to stderr
        os.write(2, f"\nganzoo: {NAMES[signum]}: stopping after the current step and saving a checkpoint "
                    f"(send it again to abort at once)\n".encode())
