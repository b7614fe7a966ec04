"""video-folder: any folder tree of videos, optionally labelled by parent folder."""

from ganzoo.data.files import FileVideoDataset
from ganzoo.video.files import walk_videos
from ganzoo.errors import GanzooError


class VideoFolder(FileVideoDataset):
    """Every video file under ``root`` (mp4, avi, mpg, webm, mkv, mov, gif, ...), sorted by path.

    ``labels="parent"``: the class of a video is its parent folder's name (classes sorted by
    name, indices from 0); ``labels=None`` (default): unlabelled (-1).
    """

    name = "video-folder"

    def __init__(self, root=None, frames=16, resolution=64, labels=None, **kwargs):
        if labels not in (None, "parent"):
            raise GanzooError(f"video-folder: labels={labels!r}; use 'parent' or leave it unset")
        self.labels = labels
        super().__init__(root, frames, resolution, **kwargs)

    def list_sources(self, root, split):
        paths = walk_videos(root)
        if self.labels == "parent":
            self.classes = sorted({p.parent.name for p in paths})
            index = {name: i for i, name in enumerate(self.classes)}
            return [self.source(p, split, index[p.parent.name]) for p in paths]
        return [self.source(p, split) for p in paths]

    def options(self):
        return {**super().options(), "labels": self.labels}
