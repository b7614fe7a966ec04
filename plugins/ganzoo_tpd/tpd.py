"""The Temporal Pyramid Discriminator (InMoDeGAN Sec. 3.3, Eq. 5).

For each temporal step v in ``speeds`` the video is sampled at frames s, s+v, s+2v, ... (as many
as fit: K_v = (T-1)//v + 1 frames), the K_v frames are stacked along channels ("time to
channel": frame-major, i.e. channels [f0 RGB, f1 RGB, ...]) into one ``(B, 3K_v, H, W)`` image,
and a 2D StyleGAN2 residual discriminator of its own scores it. ``forward`` returns one
``(B,)`` logit per speed; the engine sums their losses and weights the sum by the ``video`` role's
weight (lambda = 0.5 in InMoDeGAN's Eq. 5).

Choice the paper leaves open, option ``start``: ``"fixed"`` (default) starts every pyramid
level at frame 0 (frames 0, v, 2v, ...: Sec. 3.3 samples "at temporal speeds v"), so each sub-D sees the same
part of the clip; ``"random"`` draws s per video uniformly in 0..T-1-(K_v-1)v (only speeds whose
K_v frames do not span the whole clip have room to move), a mild temporal augmentation.
The sub-discriminators share the image D's architecture (StyleGAN2 config-F channels) and
differ only in their input channels; a speed needs at least two frames (T >= v + 1).
"""

import torch
from torch import nn

from ganzoo.contracts import VIDEO, Discriminator
from ganzoo.errors import GanzooError, IncompatibleError
from ganzoo.nn import ResidualDiscriminator

STARTS = ("fixed", "random")
PARAMETRIZATIONS = ("equalized", "plain")


def pyramid_length(frames, speed):
    """K_v: how many frames 0, v, 2v, ... fit in ``frames``."""
    return (frames - 1) // speed + 1


def pyramid_indices(frames, speed, start=0):
    """Frame indices ``[start, start + v, ...]`` (K_v of them) of one pyramid level."""
    return [start + speed * k for k in range(pyramid_length(frames, speed))]


class TemporalPyramidDiscriminator(Discriminator):
    """``(B, channels, T, H, W) -> [(B,) logits per speed]``, T = the ``frames`` it was built for."""

    consumes = VIDEO

    def __init__(self, frames=16, resolution=64, channels=3, speeds=(1, 3, 5, 7), start="fixed",
                 channel_base=32768, channel_max=512, mbstd_group=4, parametrization="equalized"):
        super().__init__()
        self.check(frames, resolution, channels, speeds=speeds, start=start, parametrization=parametrization)
        self.frames, self.resolution, self.channels = int(frames), int(resolution), int(channels)
        self.speeds, self.start, self.parametrization = [int(v) for v in speeds], start, parametrization
        self.subs = nn.ModuleDict({
            str(v): ResidualDiscriminator(resolution, channels * pyramid_length(frames, v), channel_base, channel_max,
                                          mbstd_group, equalized=parametrization == "equalized")
            for v in self.speeds
        })

    @classmethod
    def check(cls, frames, resolution, channels=3, speeds=(1, 3, 5, 7), start="fixed", parametrization="equalized",
              **kwargs):
        """Fails with the speed (or size) the model's videos cannot satisfy."""
        if start not in STARTS:
            raise IncompatibleError(f"tpd: start must be one of {STARTS}, not {start!r}")
        if parametrization not in PARAMETRIZATIONS:
            raise IncompatibleError(f"tpd: parametrization must be one of {PARAMETRIZATIONS}, not {parametrization!r}")
        speeds = list(speeds)
        if not speeds:
            raise IncompatibleError("tpd: speeds is empty; give at least one temporal step, e.g. [1, 3, 5, 7]")
        for v in speeds:
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise IncompatibleError(f"tpd: speed {v!r} is not a positive integer")
        if len(set(speeds)) != len(speeds):
            raise IncompatibleError(f"tpd: speeds {speeds} repeat a value")
        for v in speeds:
            if frames < v + 1:
                raise IncompatibleError(
                    f"tpd speed v={v} needs at least {v + 1} frames (frames 0 and {v}), the model makes {frames}; "
                    f"drop it from speeds (--set model.discriminators.video.kwargs.speeds=[...])"
                )
        if resolution < 4 or resolution & (resolution - 1):
            raise IncompatibleError(f"tpd needs a power-of-two resolution >= 4, the model makes {resolution}")

    def stacks(self, video):
        """``(B, C, T, H, W) -> [(B, C*K_v, H, W) per speed]``: the time-to-channel inputs."""
        b, c, t, h, w = video.shape
        if c != self.channels or t != self.frames:
            raise GanzooError(
                f"tpd was built for ({self.channels} channels, {self.frames} frames), got a video of shape {tuple(video.shape)}"
            )
        out = []
        for v in self.speeds:
            k = pyramid_length(t, v)
            if self.start == "random":
                starts = torch.randint(0, t - (k - 1) * v, (b,), device=video.device)
                index = starts[:, None] + v * torch.arange(k, device=video.device)  # (B, K)
                picked = video.gather(2, index[:, None, :, None, None].expand(b, c, k, h, w))
            else:
                picked = video[:, :, 0: (k - 1) * v + 1: v]
            out.append(picked.transpose(1, 2).reshape(b, k * c, h, w))
        return out

    def forward(self, video):
        return [self.subs[str(v)](x) for v, x in zip(self.speeds, self.stacks(video))]
