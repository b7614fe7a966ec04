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


class PerFrame(nn.Module):
    """A 2D layer run on every frame of ``(B, C, T, H, W)``: the (1, k, k) kernels of the
    factorized convs. Same parameters and maths as the 3D layer with a time kernel of 1, but
    on a channels-last video the frames are a free view ``(B*T, C, H, W)`` and oneDNN's 2D
    kernels run faster than the 3D ones (measured in benchmarks/test_bench_mocogan_g3an.py)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, video):
        b, c, t, h, w = video.shape
        frames = video.transpose(1, 2).reshape(b * t, c, h, w)
        out = self.layer(frames)
        return out.view(b, t, *out.shape[1:]).transpose(1, 2)


def _deconv(kind, c_in, c_out, kernel, stride, padding, norm=None):
    conv = spectral_norm(kind(c_in, c_out, kernel, stride, padding))
    norm = norm or {nn.ConvTranspose1d: nn.BatchNorm1d, nn.ConvTranspose2d: nn.BatchNorm2d}[kind]
    return [conv, norm(c_out), nn.ReLU(True)]


class G3(nn.Module):
    """One G3 level. ``in_s``/``in_v``/``in_t``: input channels of the appearance, video and
    motion streams; ``spatial``/``temporal``: (kernel, stride, padding) of the transposed
    convs along space and time."""

    def __init__(self, in_s, in_v, in_t, out, spatial, temporal):
        super().__init__()
        (k_s, s_s, p_s), (k_t, s_t, p_t) = spatial, temporal
        self.appearance = nn.Sequential(*_deconv(nn.ConvTranspose2d, in_s, out, k_s, s_s, p_s))
        self.motion = nn.Sequential(*_deconv(nn.ConvTranspose1d, in_t, out, k_t, s_t, p_t))
        temporal = _deconv(nn.ConvTranspose3d, in_v, out, (k_t, 1, 1), (s_t, 1, 1), (p_t, 0, 0), nn.BatchNorm3d)
        spatial = _deconv(nn.ConvTranspose2d, out, out, k_s, s_s, p_s, nn.BatchNorm3d)
        self.video = nn.Sequential(*temporal, PerFrame(spatial[0]), *spatial[1:])

    def forward(self, h_s, h_v, h_t):
        """``h_s (B, Cs, H, W)``, ``h_v (B, Cv, T, H, W)``, ``h_t (B, Ct, T)`` -> the same three
        at the next level; the returned ``h_v`` has ``2 * out`` channels (appearance, video)."""
        h_s, h_v, h_t = self.appearance(h_s), self.video(h_v), self.motion(h_t)
        h_v = h_v + h_t[..., None, None]
        b, c, t, h, w = h_v.shape
        fused = torch.empty(b, 2 * c, t, h, w, dtype=h_v.dtype, device=h_v.device, memory_format=torch.channels_last_3d)
        fused[:, :c] = h_s[:, :, None]  # the concatenation, kept channels-last
        fused[:, c:] = h_v
        return h_s, fused, h_t
