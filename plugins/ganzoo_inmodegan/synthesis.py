"""The synthesis net G_S (InMoDeGAN Sec. 3.2): StyleGAN2's generator body with skip toRGB
(Karras et al. 2020, Fig. 7b), run on all B*T frames at once, one code w_t per frame.

Learned 4x4 constant -> (styled 3x3 conv) per resolution doubled by a styled up-conv ->
toRGB at every resolution, summed through upsampled skips. Every layer of a frame gets the same
w_t (no style mixing: the paper trains none). Channels follow StyleGAN2 config F,
``min(channel_max, channel_base // resolution)``.

Speed, not maths (issue 17.3): on the CPU the scaled formulation runs channels-last (NHWC), the
layout oneDNN's convolutions work in, so no layer reorders its input and back; the output is
returned in the usual layout. Measured on 2 cores, one run, the paper preset's forward of one
16-frame video: 3.38 s -> 2.81 s, outputs equal to 3.5e-5 of their range (accumulation order).
Other devices keep the default layout (not measured here).
"""

import torch
from torch import nn

from ganzoo.nn import StyledConv, ToRGB, channels_last_on_cpu, stylegan2_channels
from ganzoo.nn.residual_discriminator import check_resolution


class Synthesis(nn.Module):
    """``w (N, w_dim), noises [(N, 1, r, r) or None per layer] -> images (N, 3, R, R)``."""

    def __init__(self, resolution=64, w_dim=512, channel_base=32768, channel_max=512, modconv="scaled"):
        super().__init__()
        check_resolution(resolution, "inmodegan synthesis")
        ch = lambda r: stylegan2_channels(r, channel_base, channel_max)  # noqa: E731
        self.const = nn.Parameter(torch.randn(1, ch(4), 4, 4))
        self.modconv = modconv
        self.conv = StyledConv(ch(4), ch(4), w_dim, modconv=modconv)
        self.to_rgb = ToRGB(ch(4), w_dim, upsample_skip=False, modconv=modconv)
        self.ups, self.convs, self.to_rgbs = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        self.noise_sizes = [4]
        r = 8
        while r <= resolution:
            self.ups.append(StyledConv(ch(r // 2), ch(r), w_dim, upsample=True, modconv=modconv))
            self.convs.append(StyledConv(ch(r), ch(r), w_dim, modconv=modconv))
            self.to_rgbs.append(ToRGB(ch(r), w_dim, modconv=modconv))
            self.noise_sizes += [r, r]
            r *= 2

    def forward(self, w, noises=None):
        noises = noises or [None] * len(self.noise_sizes)
        x = self.conv(self._layout(self.const.expand(w.shape[0], -1, -1, -1)), w, noises[0])
        rgb = self.to_rgb(x, w)
        for k, (up, conv, to_rgb) in enumerate(zip(self.ups, self.convs, self.to_rgbs)):
            x = conv(up(x, w, noises[1 + 2 * k]), w, noises[2 + 2 * k])
            rgb = to_rgb(x, w, rgb)
        return rgb.contiguous()

    def _layout(self, x):
        """Channels-last where it was measured faster (see the module docstring)."""
        return channels_last_on_cpu(x) if self.modconv == "scaled" else x
