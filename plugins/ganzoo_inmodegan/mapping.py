"""The appearance net G_A (InMoDeGAN Sec. 3.2): StyleGAN2's mapping MLP, z_a -> w_0.

Pixel norm on the input, ``layers`` equalized-lr linear layers with scaled leaky ReLU and
lr multiplier 0.01 (StyleGAN Sec. 2 / App. C; the paper says "8-layer MLP" and builds on StyleGAN2).
"""

from torch import nn

from ganzoo.nn import EqualLinear, PixelNorm


def mlp(in_dim, hidden_dim, out_dim, layers, lr_mul, last_activation="lrelu"):
    """``layers`` EqualLinear layers ``(..., in_dim) -> (..., out_dim)``, leaky ReLU between them."""
    dims = [in_dim] + [hidden_dim] * (layers - 1) + [out_dim]
    acts = ["lrelu"] * (layers - 1) + [last_activation]
    return nn.Sequential(*(EqualLinear(a, b, lr_mul=lr_mul, activation=act) for a, b, act in zip(dims, dims[1:], acts)))


class AppearanceNet(nn.Module):
    """G_A: ``z_a (B, dim_za) -> w_0 (B, w_dim)``."""

    def __init__(self, dim_za=512, w_dim=512, layers=8, lr_mul=0.01):
        super().__init__()
        self.net = nn.Sequential(PixelNorm(), mlp(dim_za, w_dim, w_dim, layers, lr_mul))

    def forward(self, z_a):
        return self.net(z_a)
