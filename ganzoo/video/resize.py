"""Resize videos with antialiasing after a centre crop of the short side.

Crop first, then resize: the crop is free (a view), and the resize then only touches pixels
that survive. Resizing is torch's bilinear interpolation with ``antialias=True`` (a proper
low-pass filter when shrinking, as PIL does), on all frames at once.
"""

import numpy as np
import torch
import torch.nn.functional as F

from ganzoo.video.errors import VideoError

CROPS = ("center", "none")


def center_crop_box(height, width):
    """``(top, left, side)`` of the largest centred square."""
    side = min(height, width)
    return (height - side) // 2, (width - side) // 2, side


def resize_video(video, size, crop="center"):
    """``uint8 (T, H, W, 3)`` -> ``uint8 (T, size, size, 3)``.

    ``crop="center"``: the centred square of side ``min(H, W)`` (short-side crop), then resize;
    ``crop="none"``: stretch the whole frame to ``size x size``.
    """
    video = np.asarray(video)
    if video.ndim != 4 or video.shape[-1] != 3:
        raise VideoError(f"resize_video takes (T, H, W, 3), got {tuple(video.shape)}")
    if crop not in CROPS:
        raise VideoError(f"unknown crop {crop!r} (known: {', '.join(CROPS)})")
    if crop == "center":
        top, left, side = center_crop_box(video.shape[1], video.shape[2])
        video = video[:, top:top + side, left:left + side]
    if video.shape[1] == size and video.shape[2] == size:
        return np.ascontiguousarray(video)
    return resize_clip(torch.from_numpy(np.ascontiguousarray(video)).permute(3, 0, 1, 2), size).permute(1, 2, 3, 0).numpy()


def resize_clip(clip, size):
    """``uint8 (3, T, H, W)`` tensor -> ``uint8 (3, T, size, size)`` (antialiased bilinear)."""
    channels, frames = clip.shape[:2]
    x = clip.permute(1, 0, 2, 3).float()
    x = F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
    return x.round_().clamp_(0, 255).to(torch.uint8).permute(1, 0, 2, 3).contiguous()
