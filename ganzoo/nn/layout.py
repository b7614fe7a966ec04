"""Memory layout for speed, never for maths."""

import torch


def channels_last_on_cpu(x):
    """``x`` (4D or 5D) in channels-last memory on the CPU, unchanged elsewhere.

    oneDNN's CPU convolutions, transposed ones above all, run several times faster on small-channel
    maps in this layout, and every following layer keeps it; each caller uses it where it was
    measured faster (see its docstring). The values are the same in any layout.
    """
    if x.device.type != "cpu":
        return x
    return x.contiguous(memory_format=torch.channels_last if x.ndim == 4 else torch.channels_last_3d)
