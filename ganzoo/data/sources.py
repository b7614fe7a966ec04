"""What ``ganzoo data prepare`` needs from a dataset: its sources and how to cut them into clips.

A *source* is one unit of decoding work (a video file, a TFRecord file, a synthetic clip). A
dataset that can be prepared implements :class:`Preparable`; prepare hands sources to worker
processes and stores whatever clips they yield.
"""

import hashlib

import attrs


@attrs.frozen
class Source:
    """One unit of decoding: ``key`` is unique in the dataset (a path relative to the root, or
    an index), ``size`` the file's bytes (part of the file-list hash: a changed or truncated
    download changes it), ``label`` a class index or -1."""

    key: str
    split: str = "all"
    label: int = -1
    size: int = 0


@attrs.frozen
class Clip:
    """One prepared clip: ``uint8 (3, T, S, S)`` plus where it came from."""

    clip: object
    start: int
    label: int = -1
    factors: tuple = ()
    looped: bool = False  # the source was shorter than the clip and was repeated


class Preparable:
    """Mixin for datasets ``ganzoo data prepare`` can store.

    ``sources()``: list of :class:`Source` of the chosen split. ``clips_of(source)``: list of
    :class:`Clip` (raises :class:`ganzoo.video.VideoError` for a bad source, which prepare
    skips and records). ``split_lists()``: split name -> the sources that split holds, hashed
    into the manifest. ``options()``: plain data that fixes the clips (recorded, and compared
    on resume). ``factor_names``: names of the per-clip factors (empty for real video).
    """

    factor_names = ()

    def sources(self):
        raise NotImplementedError

    def clips_of(self, source):
        raise NotImplementedError

    def split_lists(self):
        return {}

    def options(self):
        raise NotImplementedError


def list_sha256(sources):
    """SHA-256 of a file list (``key<TAB>size`` lines, sorted): which files, byte for byte count."""
    lines = sorted(f"{s.key}\t{s.size}" for s in sources)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
