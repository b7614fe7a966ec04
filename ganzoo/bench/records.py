"""The results store: one JSON object per line, one line per (cell, seed) run.

Records already in the store are reused, so an interrupted bench resumes where it stopped
and a second call only renders. Lines are appended with a flush + fsync, so a kill leaves at
most one partial last line, which is reported and ignored (it is rerun).
"""

import fcntl
import json
import os
from pathlib import Path

import attrs

from ganzoo.errors import GanzooError

FORMAT_VERSION = 1
KEY_FIELDS = ("model", "disc", "overrides", "data", "preset", "config_hash", "seed", "metric", "budget", "samples")


@attrs.frozen
class Record:
    """What one bench run produced; ``protocol`` is the metric's full protocol."""

    model: str
    disc: str
    overrides: tuple = attrs.field(converter=tuple)
    data: str
    data_fingerprint: str
    preset: str
    config_hash: str
    seed: int
    budget: str
    iterations: int
    wall_time_s: float
    device: str
    metric: str
    value: float
    samples: int
    protocol: dict
    checkpoint: str
    curve: tuple = attrs.field(converter=lambda pairs: tuple(tuple(p) for p in pairs))  # (iteration, value)
    ganzoo_version: str
    format: int = FORMAT_VERSION
    # role -> {"mean", "se", "lines"} of P(D(real) > D(fake)) over the last quarter of training
    # (ganzoo.train.diagnostics.role_accuracy); empty in records written before it was measured
    d_accuracy: dict = attrs.field(factory=dict)

    def key(self):
        return tuple(_hashable(getattr(self, name)) for name in KEY_FIELDS)


def _hashable(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def key_of(**fields):
    """The key a record with these fields would have (to look one up before running it)."""
    return tuple(_hashable(fields[name]) for name in KEY_FIELDS)


class ResultsStore:
    """``DIR/results.jsonl``; records of another format version are a clear error."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.path = self.directory / "results.jsonl"

    def records(self):
        if not self.path.exists():
            return []
        records = []
        lines = self.path.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                if number == len(lines):  # the partial last line of an interrupted append
                    continue
                raise GanzooError(f"{self.path}:{number}: not a JSON record; the results store is damaged") from None
            version = data.get("format")
            if version != FORMAT_VERSION:
                raise GanzooError(
                    f"{self.path}:{number}: record format {version!r}, this ganzoo reads format {FORMAT_VERSION}; "
                    f"use a new --results directory (or the ganzoo version that wrote it)"
                )
            try:
                records.append(Record(**data))
            except TypeError as exc:
                raise GanzooError(f"{self.path}:{number}: malformed record ({exc})") from None
        return records

    def find(self, key):
        for record in self.records():
            if record.key() == key:
                return record
        return None

    def _drop_partial_last_line(self):
        """An append killed midway leaves a line without its newline: cut it off before appending."""
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(self.path, "r+b") as handle:
                handle.truncate(data.rfind(b"\n") + 1)

    def append(self, record):
        """Append one record under an exclusive lock: the jobs of a Slurm array (``--cell K``)
        share one store, and one job's repair of a partial line must not cut another's."""
        self.directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps(attrs.asdict(record), sort_keys=True) + "\n"
        with open(self.directory / "results.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._drop_partial_last_line()
            with open(self.path, "a") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
