"""Linear Motion Decomposition (InMoDeGAN Sec. 3.1, Eq. 4): w_t = w_0 + motion offset built from
the magnitudes alpha and the bank's orthonormal directions d_i.

``decomposition="cumulative"`` (default): w_t = w_0 + sum_{j<t} sum_i alpha_{j,i} d_i, frames
t = 0..T-1, with alpha_j (j = 0..T-2 in the (B, T-1, N) tensor) the GRU step that leads from
frame j to frame j+1 -- the path reading of Eq. 4, in which each step moves the code along
the bank. ``decomposition="per-frame"``: w_t = w_0 + sum_i alpha_{t-1,i} d_i (w_0 for frame 0), the
reading of Fig. 2 where every frame's code is the appearance code plus that frame's motion.
Either way frame 0 is exactly w_0, so deactivating every direction gives a still video.
"""

import torch

from ganzoo.errors import GanzooError

DECOMPOSITIONS = ("cumulative", "per-frame")


def motion_offsets(alphas, directions, decomposition="cumulative"):
    """``alphas (B, T-1, N), directions (N, D) -> offsets (B, T, D)`` with offsets[:, 0] = 0."""
    if decomposition not in DECOMPOSITIONS:
        raise GanzooError(f"inmodegan: decomposition must be one of {DECOMPOSITIONS}, not {decomposition!r}")
    steps = alphas @ directions  # (B, T-1, D): sum_i alpha_{j,i} d_i
    if decomposition == "cumulative":
        steps = steps.cumsum(dim=1)
    return torch.cat([steps.new_zeros(steps.shape[0], 1, steps.shape[2]), steps], dim=1)
