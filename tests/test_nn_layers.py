"""ganzoo.nn: the StyleGAN2 layers behave as the paper's equations say."""

import math

import pytest
import torch
from torch.nn import functional as F

from ganzoo.errors import GanzooError
from ganzoo.nn import (
    Downsample, EqualLinear, MinibatchStdDev, ModulatedConv2d, PixelNorm, ResidualDiscriminator, ToRGB, Upsample,
    bias_leaky_relu, make_kernel, stylegan2_channels, upfirdn2d,
)
from ganzoo.nn.residual_discriminator import ConvLayer


def test_pixel_norm_gives_unit_rms():
    x = torch.randn(5, 7) * 3 + 1
    assert torch.allclose(PixelNorm()(x).square().mean(1), torch.ones(5), atol=1e-5)


def test_equal_linear_runtime_scaling_and_lr_mul():
    layer = EqualLinear(64, 8, bias_init=1.0, lr_mul=0.01)
    # stored weights are N(0, 1/lr_mul^2); the effective weight is lr_mul/sqrt(fan_in) times that
    effective = layer.weight * layer.scale
    assert abs(effective.std().item() - 1 / math.sqrt(64)) < 0.03
    assert torch.allclose(layer(torch.zeros(3, 64)), torch.full((3, 8), 0.01))


def test_upfirdn2d_matches_direct_convolution_and_keeps_dc():
    x = torch.randn(2, 3, 8, 8)
    k = make_kernel([1, 2, 1])
    ref = F.conv2d(F.pad(x, [1, 1, 1, 1]), k[None, None].expand(3, 1, 3, 3), groups=3)
    assert torch.allclose(upfirdn2d(x, k, pad=(1, 1)), ref, atol=1e-6)
    ones = torch.ones(1, 2, 8, 8)
    up, down = Upsample()(ones), Downsample()(ones)
    assert up.shape == (1, 2, 16, 16) and down.shape == (1, 2, 4, 4)
    assert torch.allclose(up[..., 2:-2, 2:-2], torch.ones(1, 2, 12, 12))  # a constant stays constant
    assert torch.allclose(down[..., 1:-1, 1:-1], torch.ones(1, 2, 2, 2))


@pytest.mark.parametrize("upsample", [False, True])
def test_modulated_conv_formulations_agree_and_demodulate(upsample):
    torch.manual_seed(0)
    scaled = ModulatedConv2d(6, 5, 3, 10, upsample=upsample, modconv="scaled")
    grouped = ModulatedConv2d(6, 5, 3, 10, upsample=upsample, modconv="grouped")
    grouped.load_state_dict(scaled.state_dict())
    x, w = torch.randn(3, 6, 8, 8), torch.randn(3, 10)
    a, b = scaled(x, w), grouped(x, w)
    assert a.shape == (3, 5, 16 if upsample else 8, 16 if upsample else 8)
    assert torch.allclose(a, b, atol=1e-5)
    # Eq. 3: the effective per-sample weight of every output channel has unit L2 norm,
    # so unit-variance i.i.d. input gives unit-variance output whatever the style scale.
    if not upsample:
        big = torch.randn(4, 6, 32, 32)
        out = scaled(big, torch.randn(4, 10) * 5)
        assert 0.8 < out[..., 2:-2, 2:-2].std().item() < 1.2


def test_modulated_conv_rejects_unknown_form():
    with pytest.raises(ValueError, match="modconv"):
        ModulatedConv2d(2, 2, 3, 4, modconv="fused")


def test_to_rgb_adds_upsampled_skip():
    layer = ToRGB(4, 6)
    x, w, skip = torch.randn(2, 4, 8, 8), torch.randn(2, 6), torch.randn(2, 3, 4, 4)
    assert torch.allclose(layer(x, w, skip) - layer(x, w), layer.upsample(skip), atol=1e-6)


def test_minibatch_stddev_feature_and_odd_batches():
    x = torch.randn(6, 4, 2, 2)
    out = MinibatchStdDev(group_size=4)(x)  # 6 is not divisible by 4: groups of 3
    assert out.shape == (6, 5, 2, 2)
    same = torch.ones(4, 4, 2, 2)
    assert torch.allclose(MinibatchStdDev()(same)[:, 4], torch.full((4, 2, 2), 1e-4), atol=1e-5)


def test_residual_discriminator_shapes_channels_and_errors():
    assert [stylegan2_channels(r) for r in (4, 64, 128, 256)] == [512, 512, 256, 128]
    d = ResidualDiscriminator(16, in_channels=9, channel_base=128, channel_max=16)
    assert d(torch.randn(2, 9, 16, 16)).shape == (2,)
    with pytest.raises(GanzooError, match=r"expects \(N, 9, 16, 16\)"):
        d(torch.randn(2, 3, 16, 16))
    with pytest.raises(GanzooError, match="power-of-two"):
        ResidualDiscriminator(24)


@pytest.mark.parametrize("downsample", [False, True])
def test_conv_layer_folds_bias_and_gain_into_the_conv(downsample):
    """ConvLayer computes StyleGAN2's ``leaky_relu(conv(x) + b) * sqrt(2)`` with the gain and
    bias folded into the conv (issue 17.4): the same values and gradients as written out."""
    torch.manual_seed(0)
    layer = ConvLayer(6, 5, 3, downsample=downsample)
    with torch.no_grad():
        layer.act_bias.normal_()
    x = torch.randn(2, 6, 8, 8)
    blurred = layer.blur(x) if downsample else x
    written_out = bias_leaky_relu(layer.conv(blurred), layer.act_bias)
    folded = layer(x)
    torch.testing.assert_close(folded, written_out, rtol=1e-5, atol=1e-6)
    params = [layer.conv.weight, layer.act_bias]
    for a, b in zip(torch.autograd.grad(folded.square().sum(), params),
                    torch.autograd.grad(written_out.square().sum(), params)):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_residual_discriminator_channels_last_equals_the_default_layout(monkeypatch):
    """The CPU's channels-last run (issue 17.4): the same logits, gradients and R1 gradients
    (a gradient of a gradient through every blur) as the default layout."""
    torch.manual_seed(0)
    d = ResidualDiscriminator(16, in_channels=9, channel_base=256, channel_max=32)
    x = torch.randn(4, 9, 16, 16)

    def logits_and_grads():
        image = x.clone().requires_grad_()
        logits = d(image)
        (r1,) = torch.autograd.grad(logits.sum(), image, create_graph=True)
        return logits.detach(), torch.autograd.grad(logits.square().sum() + r1.square().sum(), list(d.parameters()))

    fast, fast_grads = logits_and_grads()
    monkeypatch.setattr(ResidualDiscriminator, "_layout", lambda self, x: x)
    plain, plain_grads = logits_and_grads()
    torch.testing.assert_close(fast, plain, rtol=1e-5, atol=1e-6)
    for a, b in zip(fast_grads, plain_grads):
        assert (a - b).abs().max() <= 1e-4 * a.abs().max().clamp(min=1e-6)


def test_residual_discriminator_paper_parameter_count():
    d = ResidualDiscriminator(64)  # built, never run: StyleGAN2 config F at 64x64
    assert sum(p.numel() for p in d.parameters()) == 26_488_833


@pytest.mark.parametrize("up, down, pad, size", [(1, 1, (1, 2), 6), (2, 1, (2, 1), 5), (1, 2, (2, 2), 7)])
def test_upfirdn2d_gradient_and_gradient_of_gradient(up, down, pad, size):
    """The op's own backward (an upfirdn2d again) is exact at first and second order (R1 needs both)."""
    k = make_kernel([1, 3, 3, 1]).double()
    x = torch.randn(2, 3, size, size, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: upfirdn2d(t, k, up, down, pad), (x,))
    assert torch.autograd.gradgradcheck(lambda t: upfirdn2d(t, k, up, down, pad), (x,))
