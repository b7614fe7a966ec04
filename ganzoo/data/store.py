"""The prepared clip store: a memory map of ``uint8 (N, 3, T, S, S)`` clips plus index and manifest.

Layout of a store folder (written by :mod:`ganzoo.data.prepare`)::

    manifest.json   dataset, options, counts, fingerprint, skipped files and why, file-list SHA-256s
    clips.u8        raw uint8, C order, shape (N, 3, T, S, S): clip i is one contiguous block
    index.npz       per clip: source (index into manifest "sources"), start, label, factors (N, F)

``manifest.json`` is written last, so a store without one (an interrupted or failed prepare)
never loads as complete. Reading clip i is a slice of the memory map: no decode and no copy
(the map is opened copy-on-write, so tensors are writable without touching the file).

Resident memory stays bounded: pages of a memory map that have been read count in the
process's RSS until the kernel reclaims them, so after every ``release_mb`` of clips read the
store tells the kernel it no longer needs its mapped pages (``madvise(MADV_DONTNEED)``); they
stay in the page cache, so reading them again costs a minor fault, not a disk read. Where this
matters: a clip changed in place (a copy-on-write page) reverts to the stored pixels at the next
release; copy a clip before changing it (the DataLoader's collate copies anyway).
"""

import json
import mmap
from pathlib import Path

import numpy as np
import torch

from ganzoo.contracts import VideoDataset
from ganzoo.errors import GanzooError

MANIFEST = "manifest.json"
CLIPS = "clips.u8"
INDEX = "index.npz"
FORMAT = 1
OFFSETS = ("start", "center", "random")


class StoreError(GanzooError):
    """A clip store that is missing, incomplete or does not fit what was asked for."""


def read_manifest(path):
    """The manifest of a complete store at ``path``, or a one-line error saying what is wrong."""
    path = Path(path)
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        if (path / "prepare.json").is_file():
            raise StoreError(f"{path}: prepare did not finish (no {MANIFEST}); run the same `ganzoo data prepare` again to resume")
        raise StoreError(f"{path}: not a clip store (no {MANIFEST}); make one with `ganzoo data prepare`")
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        raise StoreError(f"{manifest_path}: unreadable manifest ({exc})") from None
    if manifest.get("format") != FORMAT or not manifest.get("complete"):
        raise StoreError(f"{manifest_path}: not a complete format-{FORMAT} clip store")
    return manifest


def _map(path, shape):
    if not shape[0]:
        return np.zeros(shape, np.uint8)
    return np.memmap(path, dtype=np.uint8, mode="c", shape=shape)


class ClipStore(VideoDataset):
    """Clips ``uint8 (3, frames, S, S)`` read from a store as views of a memory map.

    ``frames`` may be smaller than the stored clip length: the clip is then a window starting
    at frame 0 (``offset="start"``), at the centre (``"center"``) or at a random frame drawn
    per access (``"random"``: the training pipeline's random temporal offset).
    """

    def __init__(self, path, frames=None, resolution=None, offset="start", release_mb=256):
        self.path = Path(path)
        self.release_bytes, self._read_bytes = int(float(release_mb) * 2**20), 0
        self.manifest = read_manifest(self.path)
        shape = tuple(self.manifest["shape"])  # (N, 3, T, S, S)
        self.stored_frames, self.resolution = shape[2], shape[3]
        self.frames = self.stored_frames if frames is None else int(frames)
        if resolution is not None and int(resolution) != self.resolution:
            raise StoreError(f"{self.path}: clips are {self.resolution}px, {resolution}px asked for; "
                             f"prepare again with --size {resolution}")
        if not 1 <= self.frames <= self.stored_frames:
            raise StoreError(f"{self.path}: clips have {self.stored_frames} frames, {self.frames} asked for")
        if offset not in OFFSETS:
            raise StoreError(f"offset={offset!r}; use one of {', '.join(OFFSETS)}")
        self.offset = offset
        clips_path = self.path / CLIPS
        expected = int(np.prod(shape))
        actual = clips_path.stat().st_size if clips_path.is_file() else -1
        if actual != expected:
            raise StoreError(f"{clips_path}: holds {actual} bytes, the manifest says {expected}; the store is damaged, prepare it again")
        self.clips = _map(clips_path, shape)
        with np.load(self.path / INDEX, allow_pickle=False) as index:
            self.index = {key: index[key] for key in index.files}
        self.sources = self.manifest["sources"]
        self.factor_names = tuple(self.manifest.get("factor_names", ()))

    def __len__(self):
        return self.clips.shape[0]

    def __getstate__(self):  # worker processes map the file themselves instead of copying it
        return {**self.__dict__, "clips": None}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.clips = _map(self.path / CLIPS, tuple(self.manifest["shape"]))

    def _first_frame(self):
        spare = self.stored_frames - self.frames
        if self.offset == "random":
            return int(torch.randint(0, spare + 1, ()).item())
        return spare // 2 if self.offset == "center" else 0

    def __getitem__(self, index):
        return self.clip_at(index, self._first_frame())

    def _account(self):
        self._read_bytes += self.clips[0].nbytes
        mapping = getattr(self.clips, "_mmap", None)
        if self._read_bytes >= self.release_bytes > 0 and mapping is not None and hasattr(mapping, "madvise"):
            mapping.madvise(mmap.MADV_DONTNEED)
            self._read_bytes = 0

    def spare(self, index):
        """How many frames later than 0 a window of ``frames`` may start."""
        return self.stored_frames - self.frames

    def clip_at(self, index, first):
        """``uint8 (3, frames, S, S)``: the window of clip ``index`` starting at stored frame ``first``."""
        self._account()
        return torch.from_numpy(self.clips[index, :, first:first + self.frames])

    def info(self, index):
        factors = self.index["factors"][index]
        return {"source": self.sources[int(self.index["source"][index])], "start": int(self.index["start"][index]),
                "label": int(self.index["label"][index]),
                "factors": {name: float(v) for name, v in zip(self.factor_names, factors)}}

    @property
    def fingerprint(self):
        base = self.manifest["fingerprint"]
        if self.frames == self.stored_frames:
            return base
        return f"{base[:10]}-{self.frames}{self.offset[0]}"

    @property
    def labels(self):
        """``int64 (N,)`` class indices (-1: none)."""
        return torch.from_numpy(self.index["label"].astype(np.int64))


def open_store(path, frames=None, resolution=None, offset="start", split=None, release_mb=256):
    """A :class:`ClipStore`; ``split``, when given, must be the split the store was prepared from."""
    store = ClipStore(path, frames, resolution, offset, release_mb)
    stored_split = store.manifest["options"].get("split")
    if split is not None and stored_split is not None and split != stored_split:
        raise StoreError(f"{path}: holds split {stored_split!r}, {split!r} asked for; prepare that split into its own store")
    return store
