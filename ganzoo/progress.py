"""The one progress display of every long command: a tqdm bar on a terminal, plain lines in a log.

A tqdm bar redraws itself with carriage returns; written to a file or a pipe (a Slurm log,
``tee``, ``nohup``) every redraw stays, and a log fills with one ``\\r`` line per update. Off a
terminal the same calls print a whole line every tenth of the work (and at least once a
minute, for slow steps) and one at the end. A transient bar (``leave=False``, an inner loop
that a terminal erases when it is done) prints nothing off a terminal.
"""

import sys
import time

from tqdm import tqdm

LINE_FRACTION = 0.1
LINE_SECONDS = 60.0


def progress(iterable=None, *, total=None, desc=None, unit="it", initial=0, enabled=True, leave=True, stream=None):
    """A tqdm bar if ``stream`` (default stderr) is a terminal, else :class:`Lines`; both
    take ``update``, ``set_postfix``, ``set_postfix_str``, ``write``, ``close`` and ``with``."""
    stream = stream or sys.stderr
    if total is None and iterable is not None and hasattr(iterable, "__len__"):
        total = len(iterable)
    tty = getattr(stream, "isatty", lambda: False)()
    if not enabled or (not tty and not leave):
        return tqdm(iterable, total=total, disable=True)
    if tty:
        return tqdm(iterable, total=total, desc=desc, unit=unit, initial=initial, leave=leave,
                    dynamic_ncols=True, file=stream)
    return Lines(iterable, total, desc, unit, initial, stream)


class Lines:
    """Progress as whole lines: ``desc: 250/1000 it (25%), 3.1 it/s, loss/D=1.3``."""

    def __init__(self, iterable, total, desc, unit, initial, stream):
        self.iterable, self.total, self.desc, self.unit, self.stream = iterable, total, desc, unit, stream
        self.n = self.start_n = self.shown_n = initial
        self.start = self.shown_at = time.monotonic()
        self.postfix = ""
        self.closed = False

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.update(1)
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def update(self, n=1):
        self.n += n
        now = time.monotonic()
        step = max(1, int(self.total * LINE_FRACTION)) if self.total else None
        if (step and self.n // step > self.shown_n // step) or now - self.shown_at >= LINE_SECONDS:
            self._line(now)

    def set_postfix(self, values=None, **more):
        values = {**(values or {}), **more}
        self.postfix = ", ".join(f"{k}={v}" for k, v in values.items())

    def set_postfix_str(self, text):
        self.postfix = str(text)

    def write(self, text, file=None):
        print(text, file=file or self.stream, flush=True)

    def close(self):
        if not self.closed:
            self.closed = True
            if self.n != self.shown_n:
                self._line(time.monotonic())

    def _line(self, now):
        done = f"{self.n}/{self.total}" if self.total else str(self.n)
        percent = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
        rate = (self.n - self.start_n) / max(now - self.start, 1e-9)
        parts = [f"{done} {self.unit}{percent}", f"{rate:.3g} {self.unit}/s"] + ([self.postfix] if self.postfix else [])
        print(f"{self.desc + ': ' if self.desc else ''}{', '.join(parts)}", file=self.stream, flush=True)
        self.shown_n, self.shown_at = self.n, now
