"""ucf101: ``UCF-101/<Class>/v_<Class>_gXX_cYY.avi`` with the official split files.

The split files (``classInd.txt``, ``trainlist0N.txt``, ``testlist0N.txt``, N = 1..3) are looked
for in ``ucfTrainTestlist/`` beside or inside the root, or in the root itself. Labels are the
0-based ``classInd.txt`` indices. A file a split list names but the disk lacks is kept as a
source of size -1: prepare lists it as skipped ("missing on disk") and the split's file-list
SHA-256 changes, so an incomplete download is visible. Split ``all`` takes every video found.
"""


from ganzoo.data.files import FileVideoDataset
from ganzoo.video.files import walk_videos
from ganzoo.data.sources import Source
from ganzoo.errors import GanzooError

SPLITS = ("train1", "test1", "train2", "test2", "train3", "test3", "all")


class Ucf101(FileVideoDataset):
    """UCF101 clips ``uint8 (3, T, S, S)``; ``split`` in train1..3, test1..3, all (default train1)."""

    name = "ucf101"
    splits = SPLITS

    def __init__(self, root=None, frames=16, resolution=64, split="train1", **kwargs):
        super().__init__(root, frames, resolution, split=split, **kwargs)

    def _videos_root(self, root):
        return root / "UCF-101" if (root / "UCF-101").is_dir() else root

    def _lists_dir(self, root):
        for candidate in (root / "ucfTrainTestlist", root.parent / "ucfTrainTestlist", root):
            if (candidate / "classInd.txt").is_file():
                return candidate
        raise GanzooError(f"ucf101: no classInd.txt under {root} (looked in ucfTrainTestlist/ beside and inside it)")

    def list_sources(self, root, split):
        lists = self._lists_dir(root)
        classes = {}
        for number, line in enumerate((lists / "classInd.txt").read_text().splitlines(), 1):
            if line.strip():
                try:
                    index, name = line.split()
                    classes[name] = int(index) - 1
                except ValueError:
                    raise GanzooError(f"{lists / 'classInd.txt'} line {number}: expected 'INDEX CLASS', got {line!r}") from None
        self.classes = sorted(classes, key=classes.get)
        videos = self._videos_root(root)
        prefix = videos.relative_to(self.root)
        if split == "all":
            names = [p.as_posix() for p in walk_videos(videos)]
        else:
            kind, number = split[:-1], split[-1]
            list_file = lists / f"{kind}list0{number}.txt"
            if not list_file.is_file():
                raise GanzooError(f"ucf101: split file {list_file} is missing")
            names = [line.split()[0] for line in list_file.read_text().splitlines() if line.strip()]
        sources = []
        for name in names:
            label = classes.get(name.split("/")[0], -1)
            path = videos / name
            key = (prefix / name).as_posix()
            sources.append(self.source(key, split, label) if path.is_file() else Source(key, split, label, -1))
        return sources

    def split_lists(self):
        return {split: self.list_sources(self.root, split) for split in SPLITS if split == "all"
                or (self._lists_dir(self.root) / f"{split[:-1]}list0{split[-1]}.txt").is_file()}
