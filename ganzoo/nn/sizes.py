"""How deep a convolutional stack is for a frame size: one rule for every model in the zoo."""

from ganzoo.errors import IncompatibleError


def halvings(resolution, what, smallest=4, minimum=None):
    """The number of stride-2 stages between a ``smallest``-px map and ``resolution`` px frames:
    ``log2(resolution / smallest)`` (4 at 64 px from 4x4, the DCGAN-style stacks of VGAN, TGAN,
    MoCoGAN and G3AN). ``resolution`` must be a power of two and at least ``minimum`` (default
    ``2 * smallest``, one stage); otherwise an :class:`IncompatibleError` names ``what``."""
    minimum = 2 * smallest if minimum is None else minimum
    resolution = int(resolution)
    if resolution < minimum or resolution & (resolution - 1):
        raise IncompatibleError(f"{what} needs a power-of-two resolution >= {minimum}, the model makes {resolution}px")
    return resolution.bit_length() - smallest.bit_length()


def check_time_halvings(frames, depth, what, resolution):
    """Stacks whose 3D convolutions halve time with space (VGAN, TGAN's critic) need ``frames`` to
    be a multiple of ``2**depth``, ``depth`` being their :func:`halvings` at ``resolution``."""
    if frames < 2**depth or frames % 2**depth:
        raise IncompatibleError(f"{what} halves time {depth} times at resolution {resolution}: frames must be "
                                f"a multiple of {2**depth}, the model makes {frames}")


def frames_after_temporal_convs(frames, stages, what, resolution, kernel):
    """Frames left after ``stages`` unpadded temporal convolutions of length 4 (each drops 3), as in
    MoCoGAN's and G3AN's video discriminators, whose last conv spans what is left; at least one
    frame must be, else an :class:`IncompatibleError` names ``what`` and its ``kernel``."""
    left = frames - 3 * stages
    if left < 1:
        raise IncompatibleError(f"{what} at {resolution}px needs at least {3 * stages + 1} frames (each of its "
                                f"{stages} {kernel} convs drops 3), the model makes {frames}")
    return left


def doubling_widths(width, stages):
    """Channel widths of a DCGAN-style discriminator's stride-2 stages: ``width`` doubling per
    stage (w, 2w, 4w, 8w over four stages)."""
    return [int(width) * 2**i for i in range(stages)]
