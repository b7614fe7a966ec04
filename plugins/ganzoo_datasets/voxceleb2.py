"""voxceleb2: ``<id>/<youtube_id>/<clip>.mp4`` (the layout of VoxCeleb2's ``dev/mp4`` and
``test/mp4`` folders), labelled by identity; ``voxceleb2-mini``: the subset InMoDeGAN trains on.

``mini=N``: for each identity, N clips chosen uniformly at random with ``mini_seed``; identities
with fewer clips keep all of them. ``voxceleb2`` is the whole dataset (``mini=None``), the name a
VoxCeleb2 download answers to; ``voxceleb2-mini`` is the same reader with ``mini=20``, Sec. 4.1's
"20 diverse videos per each of the 6000 subjects", since the paper's numbers are VoxCeleb2-mini's.
Where the paper is unclear: it counts VoxCeleb2's clips as "videos" ("over 1 million videos"), so
a "video" here is one clip, and "diverse" adds no rule beyond the random choice; its total,
"12000 videos", is not 20 x 6000 = 120,000, and the per-subject rule is what is followed (the
total follows from the identities under ``root``). The choice is made per identity from its
sorted clip list with ``numpy.random.default_rng([mini_seed, identity_index])``, so adding or
removing one identity does not change the clips chosen for the others. If the root holds
``dev/`` and ``test/`` the split picks one (``train`` = dev); otherwise the root is the mp4
folder itself (split ``all``).
"""

from collections import defaultdict

import numpy as np

from ganzoo.data.files import FileVideoDataset
from ganzoo.video.files import walk_videos
from ganzoo.errors import GanzooError

MINI_PER_IDENTITY = 20  # InMoDeGAN Sec. 4.1: 20 videos per subject


class VoxCeleb2(FileVideoDataset):
    """VoxCeleb2 clips ``uint8 (3, T, S, S)``; labels are identity indices (sorted ids)."""

    name = "voxceleb2"
    splits = ("all", "train", "test")

    def __init__(self, root=None, frames=16, resolution=64, split="all", mini=None, mini_seed=0, **kwargs):
        if mini is not None and int(mini) < 1:
            raise GanzooError(f"voxceleb2: mini={mini}; give a number of clips per identity >= 1")
        self.mini, self.mini_seed = (None if mini is None else int(mini)), int(mini_seed)
        super().__init__(root, frames, resolution, split=split, **kwargs)

    def _split_root(self, root, split):
        if split == "all":
            return root
        folder = root / ("dev" if split == "train" else "test")
        if not folder.is_dir():
            raise GanzooError(f"voxceleb2: split {split!r} needs {folder}; without dev/ and test/ use split 'all'")
        return folder / "mp4" if (folder / "mp4").is_dir() else folder

    def list_sources(self, root, split):
        base = self._split_root(root, split)
        by_identity = defaultdict(list)
        for path in walk_videos(base):
            if len(path.parts) != 3:
                continue  # not <id>/<youtube_id>/<clip>.mp4
            by_identity[path.parts[0]].append(path)
        self.classes = sorted(by_identity)
        sources = []
        for label, identity in enumerate(self.classes):
            clips = sorted(by_identity[identity])
            if self.mini is not None and len(clips) > self.mini:
                rng = np.random.default_rng([self.mini_seed, label])
                clips = [clips[i] for i in sorted(rng.choice(len(clips), self.mini, replace=False))]
            sources += [self.source((base / p).relative_to(root), split, label) for p in clips]
        return sources

    def split_lists(self):
        return {self.split: self.sources()}

    def options(self):
        return {**super().options(), "mini": self.mini, "mini_seed": self.mini_seed}


class VoxCeleb2Mini(VoxCeleb2):
    """VoxCeleb2-mini (InMoDeGAN Sec. 4.1): ``mini`` clips per identity, 20 unless told."""

    name = "voxceleb2-mini"

    def __init__(self, root=None, frames=16, resolution=64, split="all", mini=MINI_PER_IDENTITY, mini_seed=0, **kwargs):
        super().__init__(root, frames, resolution, split=split, mini=mini, mini_seed=mini_seed, **kwargs)
