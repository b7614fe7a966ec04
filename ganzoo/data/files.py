"""Base of datasets made of video files (video-folder, ucf101, voxceleb2).

Raw access: clip ``i`` is the ``frames``-frame window of video ``i`` starting at frame 0 (at a
frame drawn from torch's RNG with ``offset="random"``; the training pipeline draws offsets
reproducibly through ``clip_at``, see :mod:`ganzoo.data.pipeline`), every ``stride``-th frame,
short-side centre-cropped (``crop="none"`` stretches) and resized to ``resolution``. Prepare:
every source is cut into non-overlapping windows (at most ``clips_per_video``, evenly spaced;
0 means all).

Where no paper decides: videos shorter than one window are skipped (``short="skip"``, the
default) or repeated from their first frame (``short="loop"``); windows do not overlap, so a
T-frame video gives ``T // window`` clips and its tail is not used.
"""

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import torch

from ganzoo.contracts import VideoDataset
from ganzoo.data.sources import Clip, Preparable, Source, list_sha256
from ganzoo.errors import GanzooError
from ganzoo.video import read_video, resize_video
from ganzoo.video.errors import ShortVideoError, VideoError
from ganzoo.video.read import count_frames, iter_frames, probe

SHORT_POLICIES = ("skip", "loop")
OFFSETS = ("start", "random")


def check_root(root, dataset):
    """The dataset folder as a Path, or a one-line error naming it."""
    if root is None:
        raise GanzooError(f"dataset {dataset!r} reads files: give its folder (root=... or `ganzoo data prepare SRC ...`)")
    root = Path(root).expanduser()
    if not root.exists():
        raise GanzooError(f"{dataset}: folder {root} does not exist")
    if not root.is_dir():
        raise GanzooError(f"{dataset}: {root} is not a folder")
    if not os.access(root, os.R_OK | os.X_OK):
        raise GanzooError(f"{dataset}: folder {root} is not readable (permission denied)")
    return root


class FileVideoDataset(VideoDataset, Preparable):
    """Clips ``uint8 (3, T, S, S)`` cut from video files under ``root``.

    Subclasses implement ``list_sources(root, split) -> list[Source]`` and set ``name``,
    ``splits`` and ``classes``.
    """

    name = "files"
    splits = ("all",)

    def __init__(self, root=None, frames=16, resolution=64, split=None, stride=1, short="skip",
                 clips_per_video=0, offset="start", crop="center"):
        self.root = self.check_root(root)
        self.frames, self.resolution, self.stride = int(frames), int(resolution), int(stride)
        self.split = split or self.splits[0]
        if self.split not in self.splits:
            raise GanzooError(f"{self.name}: unknown split {self.split!r} (known: {', '.join(self.splits)})")
        if short not in SHORT_POLICIES:
            raise GanzooError(f"{self.name}: short={short!r}; use one of {', '.join(SHORT_POLICIES)}")
        if offset not in OFFSETS:
            raise GanzooError(f"{self.name}: offset={offset!r}; use one of {', '.join(OFFSETS)}")
        if self.frames < 1 or self.stride < 1:
            raise GanzooError(f"{self.name}: frames and stride must be >= 1 (got {frames}, {stride})")
        self.short, self.clips_per_video, self.offset, self.crop = short, int(clips_per_video), offset, crop
        self.classes = []
        self._sources = self.list_sources(self.root, self.split)
        self._lengths = {}

    # -- listing ---------------------------------------------------------------------------
    def check_root(self, root):
        """The dataset's root as a Path (a folder; a subclass may take a file such as a .zip)."""
        return check_root(root, self.name)

    def list_sources(self, root, split):
        raise NotImplementedError

    def source(self, relpath, split="all", label=-1):
        """A :class:`Source` for a file under the root (its size goes into the list hash)."""
        return Source(str(relpath), split, label, (self.root / relpath).stat().st_size)

    def sources(self):
        return list(self._sources)

    def split_lists(self):
        return {split: self.list_sources(self.root, split) for split in self.splits}

    def options(self):
        return {"split": self.split, "frames": self.frames, "resolution": self.resolution, "stride": self.stride,
                "short": self.short, "clips_per_video": self.clips_per_video, "crop": self.crop,
                "classes": list(self.classes)}

    # -- raw access ------------------------------------------------------------------------
    def __len__(self):
        return len(self._sources)

    def _window(self):
        return (self.frames - 1) * self.stride + 1

    def spare(self, index):
        """How many frames later than 0 a window may start in video ``index`` (header frame
        count when the container has one, else a full decode; cached)."""
        source = self._sources[index]
        if source.key not in self._lengths:
            path = self.root / source.key
            self._lengths[source.key] = probe(path).frames or count_frames(path)
        return max(0, self._lengths[source.key] - self._window())

    def clip_at(self, index, first):
        """``uint8 (3, T, S, S)`` of video ``index`` from frame ``first``."""
        return self.read(self._sources[index], first)

    def _start(self, index):
        if self.offset == "start":
            return 0
        return int(torch.randint(0, self.spare(index) + 1, ()).item())

    def read(self, source, start):
        """``uint8 (3, T, S, S)`` from frame ``start`` of a source (loops short videos if allowed)."""
        video = read_video(self.root / source.key, start, self.frames, self.stride, loop=self.short == "loop")
        video = resize_video(video, self.resolution, self.crop)
        return torch.from_numpy(video).permute(3, 0, 1, 2).contiguous()

    def __getitem__(self, index):
        return self.read(self._sources[index], self._start(index))

    def info(self, index):
        source = self._sources[index]
        return {"source": source.key, "start": 0, "label": source.label, "factors": {}}

    @property
    def fingerprint(self):
        payload = {"dataset": self.name, "options": self.options(), "files": list_sha256(self._sources)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]

    # -- prepare ---------------------------------------------------------------------------
    def clips_of(self, source):
        """Non-overlapping windows of one video, decoded once, as :class:`Clip` s."""
        if source.size < 0:
            raise VideoError(f"{source.key}: listed by the dataset but missing on disk")
        return cut_clips(decode_resized(self.root / source.key, self.resolution, self.crop), self, source)


def decode_resized(path, size, crop, batch=64):
    """Every frame of a video, cropped and resized as it is decoded: ``uint8 (N, size, size, 3)``.
    Only ``batch`` full-resolution frames are held at once, so long HD videos fit in memory."""
    out, pending = [], []
    for frame in iter_frames(path):
        pending.append(frame)
        if len(pending) == batch:
            out.append(resize_video(np.stack(pending), size, crop))
            pending = []
    if pending:
        out.append(resize_video(np.stack(pending), size, crop))
    if not out:
        raise VideoError(f"{path}: no decodable frames")
    return np.concatenate(out)


def cut_clips(video, data, source):
    """``uint8 (N, H, W, 3)`` frames (any size: resized here unless already ``data.resolution``
    square) -> :class:`Clip` s of ``data.frames`` frames every
    ``data.stride``-th, non-overlapping, at most ``data.clips_per_video`` evenly spaced ones
    (0: all), resized to ``data.resolution``; shorter videos are skipped or looped (``data.short``)."""
    window = (data.frames - 1) * data.stride + 1
    looped = False
    if len(video) < window:
        if data.short != "loop":
            raise ShortVideoError(f"{source.key}: has {len(video)} frames, {window} needed "
                                  f"(frames={data.frames}, stride={data.stride})")
        video = video[np.arange(window) % len(video)]
        looped = True
    starts = list(range(0, len(video) - window + 1, window))
    if data.clips_per_video and len(starts) > data.clips_per_video:
        picks = np.linspace(0, len(starts) - 1, data.clips_per_video).round().astype(int)
        starts = [starts[i] for i in picks]
    video = video[:starts[-1] + window]
    if video.shape[1:3] != (data.resolution, data.resolution):
        video = resize_video(video, data.resolution, getattr(data, "crop", "center"))
    clips = []
    for start in starts:
        clip = np.ascontiguousarray(video[start:start + window:data.stride])
        clips.append(Clip(torch.from_numpy(clip).permute(3, 0, 1, 2).contiguous(), start, source.label, (), looped))
    return clips
