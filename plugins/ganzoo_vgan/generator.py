"""VGAN's two-stream generator (Vondrick, Pirsiavash, Torralba 2016, Sec. 2.2, Fig. 1).

A 100-d Gaussian code z feeds two independent up-sampling streams:

- foreground: fractionally strided 3D convolutions, 512x2x4x4 -> 256x4x8x8 -> 128x8x16x16 ->
  64x16x32x32, then two heads at 32x64x64: the foreground video f(z) (3 channels, tanh) and
  the mask m(z) (1 channel, sigmoid);
- background: fractionally strided 2D convolutions, 512x4x4 -> ... -> 3x64x64 (tanh), one
  static image b(z).

The video is the composite G(z) = m(z) * f(z) + (1 - m(z)) * b(z) (Eq. 1 of the paper), the
background repeated over time. Batch normalisation and ReLU follow every layer except the
outputs (Sec. 3, DCGAN-style; the released code's layer list).

Choices where the paper is silent (written down here, where the code makes them):

- Depth follows the resolution: ``log2(resolution / 4)`` stride-2 layers per stream (4 at
  64 px, as in Fig. 1). The first 3D layer's temporal kernel is ``frames / 2**depth`` (2 at
  32 frames), so the foreground stream ends exactly at ``frames``; the video length is fixed
  by the architecture (``max_frames == frames``).
- Channel widths halve per layer from ``width`` (512 in Fig. 1).
- A convolution followed by batch norm has no bias (the norm's shift absorbs it); output
  layers have one. The released Torch code also gives pre-norm layers a bias, which changes
  nothing the network can represent.
- The mask sparsity prior lambda * ||m(z)||_1 with lambda = 0.1 (Sec. 2.2; the released code
  uses Torch's ``nn.L1Penalty(0.1, sizeAverage)``) is applied the same way as that module:
  the forward pass is unchanged and the backward pass adds lambda / numel(m) to the mask's
  gradient (that is, the gradient of lambda * mean(m)), so it acts under whatever generator
  loss the engine computes without a loss term of its own. ``mask_l1=0`` switches it off.
- Weights are drawn from N(0, 0.01) with zero biases and batch-norm scales from N(1, 0.02)
  (Sec. 3 of the paper and the released initialisation).
"""


import torch
from torch import nn

from ganzoo.contracts import Generator
from ganzoo.errors import GanzooError
from ganzoo.nn.sizes import check_time_halvings, halvings


class _MaskSparsity(torch.autograd.Function):
    """Identity forward; backward adds ``weight * sign(m) / numel(m)`` (Torch's nn.L1Penalty)."""

    @staticmethod
    def forward(ctx, mask, weight):
        ctx.save_for_backward(mask)
        ctx.weight = weight
        return mask.view_as(mask)

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        return grad + ctx.weight * torch.sign(mask) / mask.numel(), None


def _up_block(conv, norm, in_ch, out_ch, kernel, stride, padding):
    return [conv(in_ch, out_ch, kernel, stride, padding, bias=False), norm(out_ch), nn.ReLU(inplace=True)]


class VGANGenerator(Generator):
    """Two-stream foreground/background generator; latent ``{"z": (B, z_dim)}`` -> ``(B, 3, T, H, W)``."""

    def __init__(self, frames=32, resolution=64, z_dim=100, width=512, mask_l1=0.1):
        super().__init__()
        depth = halvings(resolution, "vgan generator")
        check_time_halvings(frames, depth, "vgan generator", resolution)  # its 3D deconvs double time with space
        first_t = frames // 2**depth
        if width // 2 ** (depth - 1) < 1:
            raise GanzooError(f"VGAN width={width} is too small for {depth} halvings")
        self.frames = self.max_frames = frames
        self.resolution, self.z_dim, self.mask_l1 = resolution, z_dim, float(mask_l1)

        widths = [width // 2**i for i in range(depth)]  # 512, 256, 128, 64 at 64 px
        fg = _up_block(nn.ConvTranspose3d, nn.BatchNorm3d, z_dim, widths[0], (first_t, 4, 4), 1, 0)
        bg = _up_block(nn.ConvTranspose2d, nn.BatchNorm2d, z_dim, widths[0], 4, 1, 0)
        for c_in, c_out in zip(widths, widths[1:]):
            fg += _up_block(nn.ConvTranspose3d, nn.BatchNorm3d, c_in, c_out, 4, 2, 1)
            bg += _up_block(nn.ConvTranspose2d, nn.BatchNorm2d, c_in, c_out, 4, 2, 1)
        self.foreground_stream = nn.Sequential(*fg)
        self.background_stream = nn.Sequential(*bg, nn.ConvTranspose2d(widths[-1], 3, 4, 2, 1), nn.Tanh())
        # The foreground (3 channels) and mask (1 channel) heads read the same features: one
        # 4-channel deconvolution computes both (the same weights as two heads, in one pass).
        self.heads = nn.ConvTranspose3d(widths[-1], 4, 4, 2, 1)
        self.reset_parameters()

    def reset_parameters(self):
        for module in self.modules():
            if isinstance(module, (nn.ConvTranspose2d, nn.ConvTranspose3d)):
                nn.init.normal_(module.weight, 0.0, 0.01)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, (nn.BatchNorm2d, nn.BatchNorm3d)):
                nn.init.normal_(module.weight, 1.0, 0.02)
                nn.init.zeros_(module.bias)

    def make_latent(self, batch, frames=None, generator=None):
        """``{"z": (B, z_dim)}``, standard Gaussian (Fig. 1). Only the trained length exists."""
        frames = self.check_frames(frames)
        if frames != self.frames:
            raise GanzooError(f"VGAN's 3D deconvolutions make exactly {self.frames} frames, {frames} were asked for")
        return {"z": self.randn(batch, self.z_dim, generator=generator)}

    def parts(self, latent):
        """The streams and the composite: dict of ``foreground (B, 3, T, H, W)``,
        ``mask (B, 1, T, H, W)`` in [0, 1], ``background (B, 3, H, W)`` and ``video``."""
        z = latent["z"]
        hidden = self.foreground_stream(z[:, :, None, None, None])
        heads = self.heads(hidden)
        foreground, mask = torch.tanh(heads[:, :3]), torch.sigmoid(heads[:, 3:])
        if self.mask_l1 and torch.is_grad_enabled() and mask.requires_grad:
            mask = _MaskSparsity.apply(mask, self.mask_l1)
        background = self.background_stream(z[:, :, None, None])
        video = torch.lerp(background[:, :, None], foreground, mask)  # m * f + (1 - m) * b
        return {"foreground": foreground, "mask": mask, "background": background, "video": video}

    def forward(self, latent):
        """latent -> video ``(B, 3, T, H, W)`` in [-1, 1] (Eq. 1)."""
        return self.parts(latent)["video"]
