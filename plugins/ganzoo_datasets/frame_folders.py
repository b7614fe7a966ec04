"""frame-folders: one folder of numbered PNG/JPG frames per video, in a folder or a ``.zip``.

The layout of StyleGAN-V's datasets (``VideoFramesFolderDataset``: ``ROOT/<video>/<frame>.png``,
a folder or a zip read in place), DIGAN's and MoCoGAN-HD's, and of most video models' generated
outputs (``ganzoo sample --format frames`` writes it). Frames are ordered by the numbers in
their names (``2.png`` before ``10.png``); videos by folder name. Reading is
:class:`ganzoo.video.frames.FrameFolders`, the reader ``ganzoo eval`` and ``interpret`` use.

Where no paper decides: a video with a frame that does not decode (corrupt, empty, another size
than its first frame) is skipped whole by ``ganzoo data prepare`` and listed in the manifest's
``skipped`` with the frame's name, as a corrupt video file is; dropping only that frame would
make a jump in the video's motion. Clips are cut as from video files
(:class:`ganzoo.data.files.FileVideoDataset`: windows of ``frames`` every ``stride``-th frame,
short-side centre crop, resized to ``resolution``).
"""

from pathlib import Path

import numpy as np
import torch

from ganzoo.data.files import FileVideoDataset, check_root, cut_clips
from ganzoo.data.sources import Source
from ganzoo.errors import GanzooError
from ganzoo.video import resize_video
from ganzoo.video.errors import ShortVideoError, VideoError
from ganzoo.video.files import IMAGE_SUFFIXES
from ganzoo.video.frames import ZIP_SUFFIX, FrameFolders


class FrameFolderDataset(FileVideoDataset):
    """Every frame folder under ``root`` (a folder, or a ``.zip`` of the same), sorted by name."""

    name = "frame-folders"

    def check_root(self, root):
        if root is not None and Path(root).expanduser().suffix.lower() == ZIP_SUFFIX:
            path = Path(root).expanduser()
            if not path.is_file():
                raise GanzooError(f"{self.name}: zip {path} does not exist")
            return path
        return check_root(root, self.name)

    def list_sources(self, root, split):
        self.folders = FrameFolders(root)
        if not self.folders.names:
            raise GanzooError(f"{self.name}: {root} holds no frame folders (sub-folders of {', '.join(IMAGE_SUFFIXES)} images)")
        return [Source(name, split, -1, self.folders.size(name)) for name in self.folders.names]

    def spare(self, index):
        return max(0, self.folders.count(self._sources[index].key) - self._window())

    def read(self, source, start):
        """``uint8 (3, T, S, S)`` from frame ``start`` of a frame folder (short ones looped if allowed)."""
        total = self.folders.count(source.key)
        if start + self._window() <= total:
            video = self.folders.read(source.key, start, self.frames, self.stride)
        elif self.short == "loop":
            video = self.folders.read(source.key)[(start + np.arange(self._window())[::self.stride]) % total]
        else:
            raise ShortVideoError(f"frame folder {self.folders.label(source.key)} holds {total} frames, "
                                  f"{start + self._window()} needed (frames={self.frames}, stride={self.stride})")
        video = resize_video(video, self.resolution, self.crop)
        return torch.from_numpy(np.ascontiguousarray(video)).permute(3, 0, 1, 2).contiguous()

    def clips_of(self, source):
        """Every frame decoded once, then cut into windows; a bad frame raises VideoError naming it."""
        if source.key not in self.folders.names:
            raise VideoError(f"{source.key}: listed by the dataset but missing")
        video = resize_video(self.folders.read(source.key), self.resolution, self.crop)
        return cut_clips(video, self, source)
