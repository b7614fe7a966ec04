"""voxceleb2: ``<id>/<youtube_id>/<clip>.mp4`` (the layout of VoxCeleb2's ``dev/mp4`` and
``test/mp4`` folders), labelled by identity.

``mini=N``: the "mini" subset rule behind VoxCeleb2-mini (InMoDeGAN Sec. 4 trains on a subset
of VoxCeleb2): for each identity, N clips chosen uniformly at random with ``mini_seed``;
identities with fewer clips keep all of them. Where the paper is silent: N is the user's to set
(no default is claimed as the paper's), and the choice is made per identity from its sorted clip list with
``numpy.random.default_rng([mini_seed, identity_index])``, so adding or removing one identity
does not change the clips chosen for the others. If the root holds ``dev/`` and ``test/`` the
split picks one (``train`` = dev); otherwise the root is the mp4 folder itself (split ``all``).
"""

from collections import defaultdict

import numpy as np

from ganzoo.data.files import FileVideoDataset, walk_videos
from ganzoo.errors import GanzooError


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
