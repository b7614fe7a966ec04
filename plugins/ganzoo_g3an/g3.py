"""The G3 module (G3AN, Wang et al. 2020, Sec. 3.1, Fig. 3): three streams per level.

- appearance stream G_A: a spatial transposed conv on ``h_s (B, C, H, W)`` (no time axis);
- motion stream G_M: a temporal transposed conv on ``h_t (B, C, T)`` (no space axes);
- video stream G_V: a factorized transposed spatio-temporal conv on ``h_v (B, C, T, H, W)``,
  temporal first then spatial (the official default mode ``1p2d``), each followed by
  BatchNorm and ReLU.

The outputs fuse as in the paper: G_M's output is added to G_V's at every pixel, then G_A's
output is concatenated at every time step, so the next level's video stream sees
``2 * out`` channels. Every transposed conv is spectral-normalised (official code).
"""

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm


def _deconv(kind, c_in, c_out, kernel, stride, padding):
    return nn.Sequential(spectral_norm(kind(c_in, c_out, kernel, stride, padding)), _norm(kind, c_out), nn.ReLU(True))


def _norm(kind, channels):
    return {nn.ConvTranspose1d: nn.BatchNorm1d, nn.ConvTranspose2d: nn.BatchNorm2d}.get(kind, nn.BatchNorm3d)(channels)


class G3(nn.Module):
    """One G3 level. ``in_s``/``in_v``/``in_t``: input channels of the appearance, video and
    motion streams; ``spatial``/``temporal``: (kernel, stride, padding) of the transposed
    convs along space and time."""

    def __init__(self, in_s, in_v, in_t, out, spatial, temporal):
        super().__init__()
        (k_s, s_s, p_s), (k_t, s_t, p_t) = spatial, temporal
        self.appearance = _deconv(nn.ConvTranspose2d, in_s, out, k_s, s_s, p_s)
        self.motion = _deconv(nn.ConvTranspose1d, in_t, out, k_t, s_t, p_t)
        self.video = nn.Sequential(
            _deconv(nn.ConvTranspose3d, in_v, out, (k_t, 1, 1), (s_t, 1, 1), (p_t, 0, 0)),
            _deconv(nn.ConvTranspose3d, out, out, (1, k_s, k_s), (1, s_s, s_s), (0, p_s, p_s)),
        )

    def forward(self, h_s, h_v, h_t):
        """``h_s (B, Cs, H, W)``, ``h_v (B, Cv, T, H, W)``, ``h_t (B, Ct, T)`` -> the same three
        at the next level; the returned ``h_v`` has ``2 * out`` channels (appearance, video)."""
        h_s, h_v, h_t = self.appearance(h_s), self.video(h_v), self.motion(h_t)
        h_v = h_v + h_t[..., None, None]
        frames = h_v.shape[2]
        return h_s, torch.cat([h_s[:, :, None].expand(-1, -1, frames, -1, -1), h_v], 1), h_t
