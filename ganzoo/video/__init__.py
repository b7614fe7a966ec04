"""Video I/O on PyAV (torchvision's video I/O is gone in 0.29), frame grids and resizing.

Arrays here are ``uint8 (T, H, W, 3)`` (what a file holds); tensors that go to a model are
``(B, 3, T, H, W)`` and are converted with :func:`ganzoo.video.grid.make_grid` or the data
pipeline.
"""

from ganzoo.video.errors import ShortVideoError, VideoError
from ganzoo.video.grid import make_grid
from ganzoo.video.read import VideoInfo, probe, read_video
from ganzoo.video.resize import resize_clip, resize_video
from ganzoo.video.write import write_video

__all__ = ["ShortVideoError", "VideoError", "VideoInfo", "make_grid", "probe", "read_video", "resize_clip", "resize_video", "write_video"]
