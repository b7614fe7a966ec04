"""Score one trained model at several video lengths (``ganzoo bench --lengths 16,32,48``).

A length-L video cannot be fed whole to a metric whose network takes a fixed number of frames
(16 for the paper's ResNeXt-101 and for fid-shapes). The choice made here: generate L frames
and score the LAST ``metric.frames`` of them against real clips. A model whose motion drifts or
whose appearance decays over time scores worse as L grows, which is exactly the failure long
videos show; at L = metric.frames this is the ordinary score.
"""

import torch

from ganzoo.bench.runner import METRIC_SEED
from ganzoo.contracts import Generator
from ganzoo.errors import GanzooError


class TailWindow(Generator):
    """Wraps a generator: makes ``length`` frames, returns the last ``window`` of them."""

    def __init__(self, generator, length, window):
        super().__init__()
        generator.check_frames(length)  # a model that cannot make L frames says so here
        if length < window:
            raise GanzooError(f"--lengths {length}: shorter than the metric's {window} frames")
        self.inner, self.length, self.window = generator, length, window
        self.frames, self.resolution, self.max_frames = window, generator.resolution, window

    def make_latent(self, batch, frames=None, generator=None):
        return self.inner.make_latent(batch, self.length, generator)

    @torch.no_grad()
    def forward(self, latent):
        return self.inner(latent)[:, :, -self.window:]


def parse_lengths(text):
    try:
        lengths = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise GanzooError(f"--lengths {text!r}: expected frame counts like 16,32,48") from None
    if not lengths or min(lengths) < 1:
        raise GanzooError(f"--lengths {text!r}: expected positive frame counts like 16,32,48")
    return sorted(set(lengths))


def score_lengths(checkpoint, lengths, options):
    """[(length, value, protocol)] for one checkpoint, one metric, several lengths."""
    from ganzoo.metrics.evaluate import evaluate, metric_for
    from ganzoo.checkpoints import load_generator

    metric = metric_for(options.metric, options.weights, options.device, options.allow_unknown_weights)
    generator, card = load_generator(checkpoint, ema=True, device=options.device)
    points = []
    for length in lengths:
        window = TailWindow(generator, length, metric.frames)
        result = evaluate(metric, options.data, window, n=options.samples, seed=METRIC_SEED, device=options.device)
        result.protocol["lengths_note"] = f"last {metric.frames} of {length} generated frames"
        points.append((length, float(result.value), result.protocol))
    return points
