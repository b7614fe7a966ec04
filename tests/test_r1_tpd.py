"""R1 on TPD: one penalty per sub-discriminator (StyleGAN2's R1 per D, each D_V_i of Eq. 5), not
one on the sum of their logits, which adds cross terms over the frames the pyramids share."""

import torch

from ganzoo.train.regularizers import R1
from ganzoo_tpd import TemporalPyramidDiscriminator


def test_r1_on_tpd_is_the_sum_of_each_sub_discriminators_r1_on_its_own_stack():
    torch.manual_seed(0)
    tpd = TemporalPyramidDiscriminator(frames=8, resolution=16, speeds=[1, 3, 5], channel_base=128, channel_max=8)
    video = torch.randn(4, 3, 8, 16, 16, requires_grad=True)
    each = R1(gamma=2.0).penalty(tpd, video, tpd(video))
    own = 0.0
    for v, stack in zip(tpd.speeds, tpd.stacks(video.detach())):
        stack.requires_grad_(True)
        (grad,) = torch.autograd.grad(tpd.subs[str(v)](stack).sum(), stack)
        own = own + grad.square().flatten(1).sum(1).mean()
    assert torch.allclose(each, own, rtol=1e-4)  # gamma / 2 = 1
    summed = R1(gamma=2.0, outputs="sum").penalty(tpd, video, tpd(video))
    assert not torch.allclose(summed, each, rtol=1e-2)  # frames 0, 3, 5, 6 are read by two or three sub-Ds
    each.backward()  # double backward reaches every sub-D
    for sub in tpd.subs.values():
        first = next(sub.parameters())
        assert first.grad is not None and first.grad.abs().sum() > 0
