"""The resizes and crops of the metric protocols, on uint8 videos ``(B, 3, T, H, W)``.

Each step returns uint8 again (rounded, clamped), as the reference pipelines do: they resize
decoded frames as 8-bit images (PIL, OpenCV) before converting to float.
"""

import torch
import torch.nn.functional as F

from ganzoo.errors import GanzooError


def centre_clip(video, frames, where="video"):
    """The ``frames`` middle frames of ``(B, 3, T, H, W)``: start = T // 2 - frames // 2, the
    temporal centre crop of the G3AN evaluation (``evaluation/dataset.py``)."""
    total = video.shape[2]
    if total < frames:
        raise GanzooError(f"{where} has {total} frames, the metric needs at least {frames}")
    start = total // 2 - frames // 2
    return video[:, :, start:start + frames]


def resize(video, size, mode="bilinear"):
    """Resize every frame of uint8 ``(B, 3, T, H, W)`` to ``size = (h, w)``, antialiased when
    shrinking (as PIL's resampling filters are), rounded back to uint8."""
    batch, channels, frames, height, width = video.shape
    if (height, width) == tuple(size):
        return video
    flat = video.transpose(1, 2).reshape(batch * frames, channels, height, width).float()
    flat = F.interpolate(flat, size=tuple(size), mode=mode, align_corners=False, antialias=True)
    flat = flat.round_().clamp_(0, 255).to(torch.uint8)
    return flat.view(batch, frames, channels, *size).transpose(1, 2)


def centre_crop(video, size):
    """Central ``size = (h, w)`` window of ``(B, 3, T, H, W)``; offsets (H - h) // 2, (W - w) // 2."""
    height, width = video.shape[-2:]
    top, left = (height - size[0]) // 2, (width - size[1]) // 2
    if top < 0 or left < 0:
        raise GanzooError(f"cannot crop {size[0]}x{size[1]} from {height}x{width} frames")
    return video[..., top:top + size[0], left:left + size[1]]
