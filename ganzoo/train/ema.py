"""Exponential moving average of the generator (StyleGAN2's G_ema; Karras et al. 2018, Sec. 5)."""

import copy

import torch


def make_ema(generator):
    """A frozen copy of ``generator`` in eval mode."""
    return copy.deepcopy(generator).eval().requires_grad_(False)


@torch.no_grad()
def update_ema(ema, generator, decay):
    """``ema <- decay * ema + (1 - decay) * generator`` for parameters; buffers are copied."""
    for p_ema, p in zip(ema.parameters(), generator.parameters()):
        p_ema.copy_(p.detach().lerp(p_ema, decay))
    for b_ema, b in zip(ema.buffers(), generator.buffers()):
        b_ema.copy_(b)
