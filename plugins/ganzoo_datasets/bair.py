"""bair: BAIR robot pushing (softmotion30_44k) TFRecords, read without TensorFlow.

Layout: ``ROOT[/softmotion30_44k]/{train,test}/*.tfrecords``; each record is a
``tf.train.Example`` of one 30-step trajectory where ``{i}/image_aux1/encoded`` is the raw
``uint8 64x64x3`` frame of step i (Ebert et al. 2017; the layout the SAVP and video-GAN
papers read). Framing and CRCs are checked (:mod:`ganzoo_datasets.tfrecord`).

Where no paper decides: a TFRecord file with wrong framing or a CRC mismatch is skipped as a
whole (listed in the manifest with the byte offset), because a file whose framing is broken
cannot say where its later records start; trajectories are cut like videos (non-overlapping
``frames``-frame windows, ``clips_per_video`` to cap them), so 16 frames gives one clip per
trajectory starting at step 0.
"""

import hashlib
import json

import numpy as np
import torch

from ganzoo.contracts import VideoDataset
from ganzoo.data.files import OFFSETS, SHORT_POLICIES, check_root, cut_clips
from ganzoo.data.sources import Preparable, Source, list_sha256
from ganzoo_datasets.tfrecord import TFRecordError, parse_example, read_record_at, read_records, record_offsets
from ganzoo.errors import GanzooError
from ganzoo.video.errors import VideoError

STEPS = 30
SIDE = 64


def frame_key(step, camera):
    return f"{step}/image_{camera}/encoded"


def trajectory(data, camera="aux1", steps=STEPS, where="record"):
    """One serialized Example -> ``uint8 (steps, 64, 64, 3)``."""
    keys = {frame_key(i, camera) for i in range(steps)}
    features = parse_example(data, keys)
    frames = []
    for i in range(steps):
        values = features.get(frame_key(i, camera))
        if not values or len(values[0]) != SIDE * SIDE * 3:
            size = len(values[0]) if values else 0
            raise TFRecordError(f"{where}: {frame_key(i, camera)} holds {size} bytes, {SIDE * SIDE * 3} expected")
        frames.append(np.frombuffer(values[0], np.uint8).reshape(SIDE, SIDE, 3))
    return np.stack(frames)


class Bair(VideoDataset, Preparable):
    """BAIR trajectories as clips ``uint8 (3, T, S, S)``; ``split`` is ``train`` or ``test``.

    Raw access: item i is trajectory i (files sorted by name, records in file order), from step
    0 (or a random step with ``offset="random"``).
    """

    name = "bair"
    splits = ("train", "test")

    def __init__(self, root=None, frames=16, resolution=64, split="train", stride=1, short="skip",
                 clips_per_video=0, offset="start", camera="aux1"):
        self.root = check_root(root, self.name)
        if (self.root / "softmotion30_44k").is_dir():
            self.root = self.root / "softmotion30_44k"
        if split not in self.splits:
            raise GanzooError(f"bair: unknown split {split!r} (known: train, test)")
        if short not in SHORT_POLICIES or offset not in OFFSETS:
            raise GanzooError(f"bair: short={short!r}, offset={offset!r}; use short in {SHORT_POLICIES}, offset in {OFFSETS}")
        self.frames, self.resolution, self.stride, self.split = int(frames), int(resolution), int(stride), split
        self.short, self.clips_per_video, self.offset, self.camera = short, int(clips_per_video), offset, camera
        self.crop = "none"
        self._sources = self._list(split)
        self._items = None

    def _list(self, split):
        folder = self.root / split
        if not folder.is_dir():
            raise GanzooError(f"bair: no {split}/ folder of .tfrecords under {self.root}")
        return [Source(str(p.relative_to(self.root)), split, -1, p.stat().st_size)
                for p in sorted(folder.glob("*.tfrecords"))]

    def sources(self):
        return list(self._sources)

    def split_lists(self):
        return {split: self._list(split) for split in self.splits if (self.root / split).is_dir()}

    def options(self):
        return {"split": self.split, "frames": self.frames, "resolution": self.resolution, "stride": self.stride,
                "short": self.short, "clips_per_video": self.clips_per_video, "camera": self.camera}

    def clips_of(self, source):
        path = self.root / source.key
        clips = []
        try:
            for number, (offset, data) in enumerate(read_records(path)):
                video = trajectory(data, self.camera, where=f"{source.key} record {number}")
                for clip in cut_clips(video, self, source):
                    clips.append(type(clip)(clip.clip, number * STEPS + clip.start, clip.label, (), clip.looped))
        except TFRecordError as exc:
            raise VideoError(str(exc).replace(str(self.root) + "/", "")) from None
        return clips

    # -- raw access ------------------------------------------------------------------------
    def _index(self):
        if self._items is None:
            self._items = [(s, offset) for s in self._sources for offset in record_offsets(self.root / s.key)]
        return self._items

    def __len__(self):
        return len(self._index())

    def spare(self, index):
        return max(0, STEPS - ((self.frames - 1) * self.stride + 1))

    def clip_at(self, index, first):
        """``uint8 (3, T, S, S)`` of trajectory ``index`` from step ``first``."""
        source, offset = self._index()[index]
        video = trajectory(read_record_at(self.root / source.key, offset), self.camera, where=f"{source.key}@{offset}")
        return cut_clips(video[first:], _OneClip(self), source)[0].clip

    def __getitem__(self, index):
        first = int(torch.randint(0, self.spare(index) + 1, ()).item()) if self.offset == "random" else 0
        return self.clip_at(index, first)

    def info(self, index):
        source, offset = self._index()[index]
        return {"source": source.key, "record_offset": offset, "start": 0, "label": -1, "factors": {}}

    @property
    def fingerprint(self):
        payload = {"dataset": self.name, "options": self.options(), "files": list_sha256(self._sources)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


class _OneClip:
    """The dataset's cutting options with one clip per trajectory (raw access)."""

    def __init__(self, data):
        self.frames, self.stride, self.resolution, self.short = data.frames, data.stride, data.resolution, data.short
        self.clips_per_video, self.crop = 1, "none"
