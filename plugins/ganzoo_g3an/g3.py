"""The G3 module (G3AN, Wang et al. 2020, Sec. 3.1, Fig. 3): three streams per level.

- appearance stream G_A: a spatial transposed conv on ``h_s (B, C, H, W)`` (no time axis);
- motion stream G_M: a temporal transposed conv on ``h_t (B, C, T)`` (no space axes);
- video stream G_V: a factorized transposed spatio-temporal conv on ``h_v (B, C, T, H, W)``,
  temporal first then spatial (the official default mode ``1p2d``), each followed by
  BatchNorm and ReLU.

The outputs fuse as in the paper: G_M's output is added to G_V's at every pixel, then G_A's
output is concatenated at every time step, so the next level's video stream sees
``2 * out`` channels. Every transposed conv is spectral-normalised (official code).

Speed, not maths (issue 17.1): the concatenation is only built where its consumer needs it
(F-SA, a temporal kernel longer than 1). A pointwise consumer (the (1, 1, 1) temporal conv of
the 32 and 64 px levels, the RGB conv) takes the two parts, :class:`Fused`: its weight split
along input channels, the appearance half applied once per video and broadcast over time
(T times less work), the video half per frame. Same parameters, same sums in another order.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm


class Fused:
    """The concatenation ``[h_s repeated over T, h_v]`` along channels, not yet built:
    ``appearance (B, C, H, W)``, ``video (B, C, T, H, W)``."""

    def __init__(self, appearance, video):
        self.appearance, self.video = appearance, video

    def tensor(self):
        """The concatenated ``(B, 2C, T, H, W)``, channels-last."""
        b, c, t, h, w = self.video.shape
        out = torch.empty(b, 2 * c, t, h, w, dtype=self.video.dtype, device=self.video.device,
                          memory_format=torch.channels_last_3d)
        out[:, :c] = self.appearance[:, :, None]
        out[:, c:] = self.video
        return out


def materialize(h_v):
    """A video stream tensor, built from its parts if it is :class:`Fused`."""
    return h_v.tensor() if isinstance(h_v, Fused) else h_v


def pointwise_deconv(conv, h_v):
    """A (1, 1, 1) ConvTranspose3d on a :class:`Fused` input: appearance half once per video."""
    weight = conv.weight  # one spectral-norm evaluation (and power iteration), as the unsplit layer
    c = h_v.appearance.shape[1]
    still = F.conv_transpose2d(h_v.appearance, weight[:c, :, 0])
    moving = F.conv_transpose3d(h_v.video, weight[c:], conv.bias)
    return moving + still[:, :, None]


def per_frame_conv(conv, h_v):
    """A 2D conv on every frame of a :class:`Fused` input (the RGB conv), appearance half once."""
    weight = conv.weight
    c = h_v.appearance.shape[1]
    still = F.conv2d(h_v.appearance, weight[:, :c], None, conv.stride, conv.padding)
    moving = on_frames(h_v.video, lambda frames: F.conv2d(frames, weight[:, c:], conv.bias, conv.stride, conv.padding))
    return moving + still[:, :, None]


class PerFrame(nn.Module):
    """A 2D layer run on every frame of ``(B, C, T, H, W)``: the (1, k, k) kernels of the
    factorized convs. Same parameters and maths as the 3D layer with a time kernel of 1, but
    on a channels-last video the frames are a free view ``(B*T, C, H, W)`` and oneDNN's 2D
    kernels run faster than the 3D ones (measured in benchmarks/test_bench_mocogan_g3an.py)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, video):
        return on_frames(video, self.layer)


def on_frames(video, fn):
    """``fn`` (a 2D layer) on every frame of ``(B, C, T, H, W)``: a free view when the video is
    channels-last."""
    b, c, t, h, w = video.shape
    frames = video.transpose(1, 2).reshape(b * t, c, h, w)
    out = fn(frames)
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
        """``h_s (B, Cs, H, W)``, ``h_v (B, Cv, T, H, W)`` (or :class:`Fused`), ``h_t (B, Ct, T)``
        -> the same three at the next level; the returned ``h_v`` is :class:`Fused` (appearance,
        video: ``2 * out`` channels once built)."""
        first, rest = self.video[0], self.video[1:]
        pointwise = first.kernel_size[0] == 1 and first.stride[0] == 1 and first.padding[0] == 0
        if isinstance(h_v, Fused) and pointwise:
            h_v = rest(pointwise_deconv(first, h_v))
        else:
            h_v = self.video(materialize(h_v))
        h_s, h_t = self.appearance(h_s), self.motion(h_t)
        return h_s, Fused(h_s, h_v + h_t[..., None, None]), h_t
