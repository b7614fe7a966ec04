"""Region masks for phi: the analysed area P of Eq. 6 can be part of the frame.

The paper scores the mouth and the head of VoxCeleb2 faces separately (Tab. 4), with a face
parser. Here a *mask provider* is any function ``provider(videos) -> {region name: mask}``
taking ``uint8 (B, 3, T, H, W)`` and returning bool ``(B, T, H, W)`` per region. Two ways in:

- a built-in name: ``foreground`` (objects in front of a plain background, as moving-shapes
  draws them);
- ``package.module:function``: a user's provider (e.g. a face parser they have weights for),
  imported on demand. Nothing is downloaded.
"""

import importlib

import numpy as np
import torch

from ganzoo.errors import GanzooError


def foreground(videos, threshold=24):
    """Pixels that differ from the plain background: ``{"foreground": bool (B, T, H, W)}``.

    The background colour of each video is the median colour of its border pixels over all
    frames (moving-shapes draws shapes on a plain field); a pixel is foreground when any
    channel differs from it by more than ``threshold`` levels of 255.
    """
    videos = torch.as_tensor(videos)
    if videos.ndim != 5 or videos.shape[1] != 3 or videos.dtype != torch.uint8:
        raise GanzooError(f"a mask provider takes uint8 (B, 3, T, H, W), got {videos.dtype} {tuple(videos.shape)}")
    v = videos.cpu().numpy().astype(np.int16)
    border = np.concatenate([v[..., 0, :], v[..., -1, :], v[..., :, 0], v[..., :, -1]], axis=-1)  # (B, 3, T, 4W)
    background = np.median(border.reshape(v.shape[0], 3, -1), axis=2)[:, :, None, None, None]
    return {"foreground": (np.abs(v - background) > threshold).any(axis=1)}


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
