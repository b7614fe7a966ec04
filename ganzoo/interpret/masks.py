"""Region masks for phi: the pixels N and N_i of Eq. 6-7 count can be part of the frame.

The paper scores the mouth and the head of VoxCeleb2 faces separately (Tab. 5, Fig. 7), with a face
parser. Here a *mask provider* is any function ``provider(videos) -> {region name: mask}``
taking ``uint8 (B, 3, T, H, W)`` and returning bool ``(B, T, H, W)`` per region. Two ways in:

- a built-in name: ``foreground`` (bright objects on a dim field, as moving-shapes draws them);
- ``package.module:function``: a user's provider (e.g. a face parser they have weights for),
  imported on demand. Nothing is downloaded.
"""

import importlib

import numpy as np
import torch

from ganzoo.errors import GanzooError


def foreground(videos, contrast=48):
    """Bright objects in front of a darker field: ``{"foreground": bool (B, T, H, W)}``.

    Made for moving-shapes, whose shapes have one colour channel at full brightness over a
    dim textured background (and whose brightness factor scales both). Per frame, the level
    of a pixel is its largest channel; the background level is the frame's median, the object
    level its 99th percentile, and a pixel is foreground above the midpoint. A frame whose
    two levels differ by less than ``contrast`` (of 255) has no foreground.
    """
    videos = torch.as_tensor(videos)
    if videos.ndim != 5 or videos.shape[1] != 3 or videos.dtype != torch.uint8:
        raise GanzooError(f"a mask provider takes uint8 (B, 3, T, H, W), got {videos.dtype} {tuple(videos.shape)}")
    level = videos.amax(1).float()  # (B, T, H, W)
    flat = level.flatten(2)
    background = flat.median(2).values[..., None, None]
    objects = flat.quantile(0.99, dim=2)[..., None, None]
    mask = (level > (background + objects) / 2) & (objects - background >= contrast)
    return {"foreground": mask.numpy()}


BUILTIN = {"foreground": foreground}


def load_provider(spec):
    """A mask provider from a built-in name or ``module:function``; None stays None."""
    if spec is None or callable(spec):
        return spec
    if spec in BUILTIN:
        return BUILTIN[spec]
    if ":" not in spec:
        raise GanzooError(
            f"unknown mask provider {spec!r}: use a built-in ({', '.join(BUILTIN)}) or 'package.module:function'"
        )
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise GanzooError(f"mask provider {spec!r}: cannot import {module_name!r} ({exc})") from None
    provider = getattr(module, attr, None)
    if not callable(provider):
        raise GanzooError(f"mask provider {spec!r}: {module_name!r} has no function {attr!r}")
    return provider


def masks_for(provider, videos):
    """Run a provider on uint8 ``(B, 3, T, H, W)`` and check what it returns."""
    if provider is None:
        return {}
    result = provider(videos)
    if not isinstance(result, dict):
        raise GanzooError(f"mask provider {getattr(provider, '__name__', provider)!r} must return {{region: mask}}, got {type(result).__name__}")
    batch, _, frames, height, width = videos.shape
    checked = {}
    for name, mask in result.items():
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (batch, frames, height, width):
            raise GanzooError(f"mask provider region {name!r} has shape {mask.shape}, expected {(batch, frames, height, width)}")
        checked[str(name)] = mask
    return checked
