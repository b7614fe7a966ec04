"""A batch of videos as one tiled video: what a person looks at first."""

import math

import numpy as np
import torch

from ganzoo.contracts import to_uint8
from ganzoo.video.errors import VideoError


def make_grid(videos, ncol=None, padding=2, pad_value=0):
    """``(B, 3, T, H, W)`` (float in [-1, 1] or uint8) -> ``uint8 (T, H', W', 3)`` numpy.

    Clips are laid out row by row, ``ncol`` per row (default: the smallest square that holds
    them), separated by ``padding`` pixels of ``pad_value``. Clips of different lengths are not
    allowed here: the grid has one time axis.
    """
    videos = torch.as_tensor(videos)
    if videos.ndim != 5 or videos.shape[1] != 3:
        raise VideoError(f"make_grid takes (B, 3, T, H, W), got {tuple(videos.shape)}")
    if videos.dtype != torch.uint8:
        videos = to_uint8(videos.float())
    batch, _, frames, height, width = videos.shape
    ncol = ncol or math.ceil(math.sqrt(batch))
    nrow = math.ceil(batch / ncol)
    step_h, step_w = height + padding, width + padding
    grid = np.full((frames, nrow * step_h + padding, ncol * step_w + padding, 3), pad_value, np.uint8)
    clips = videos.permute(0, 2, 3, 4, 1).cpu().numpy()  # (B, T, H, W, 3)
    for i, clip in enumerate(clips):
        row, col = divmod(i, ncol)
        top, left = padding + row * step_h, padding + col * step_w
        grid[:, top:top + height, left:left + width] = clip
    return grid
