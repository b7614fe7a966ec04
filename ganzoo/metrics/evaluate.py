"""``evaluate``: one number and the protocol that made it, from any two sources.

The protocol records the metric's feature network and weights SHA-256, frames, resolution,
resize/crop, how each set's clips were chosen and how many, the seed, ganzoo/torch/numpy
versions and the device. Real-data statistics (datasets, clip stores, video folders) are
cached per (fingerprint, protocol); generated samples are always encoded afresh.
"""

import platform
import warnings

import numpy as np
import torch

import ganzoo
from ganzoo import registry
from ganzoo.contracts import MetricResult, check_metric
from ganzoo.errors import GanzooError
from ganzoo.metrics.sources import GeneratorSource, needs_resolution, open_source
from ganzoo.metrics.stats import cached_stats, load_stats, save_stats
from ganzoo.sources import resolve

# Protocol fields that must agree between a saved .npz and the metric that reads it.
MUST_MATCH = ("network", "frames", "resolution", "preprocessing")


def make_metric(name, weights=None, device="cpu"):
    """The registered metric ``name``, checked against :class:`ganzoo.contracts.Metric` (the
    built-ins are :class:`ganzoo.metrics.base.FeatureMetric`)."""
    entry = registry.get("metrics", name)
    return check_metric(entry.factory(weights=weights, device=device), name)


def versions(device):
    return {
        "ganzoo": ganzoo.__version__, "torch": torch.__version__, "numpy": np.__version__,
        "python": platform.python_version(), "device": str(device),
        **({"gpu": torch.cuda.get_device_name(torch.device(device))} if torch.device(device).type == "cuda" else {}),
    }


def _check_saved(metric, stats, path):
    if not stats.protocol:
        warnings.warn(f"{path} carries no protocol (pytorch-fid/G3AN layout): assuming it was made as {metric.name} makes features", stacklevel=3)
        return
    own = metric.protocol()
    for key in MUST_MATCH:
        if key in stats.protocol and stats.protocol[key] != own[key]:
            raise GanzooError(
                f"statistics {str(path)!r} were made with {key}={stats.protocol[key]!r}, "
                f"metric {metric.name} uses {key}={own[key]!r}"
            )
    saved_sha = stats.protocol.get("weights", {}).get("sha256")
    if saved_sha and saved_sha != own["weights"]["sha256"]:
        raise GanzooError(
            f"statistics {str(path)!r} were made with weights SHA-256 {saved_sha}, "
            f"metric {metric.name} now loads {own['weights']['sha256']}"
        )
    if metric.kind != "frechet" and stats.features is None:
        raise GanzooError(f"statistics {str(path)!r} hold no raw features, which {metric.name} needs")


def _default_resolution(metric, opened):
    """The size a registered dataset is opened at: the other set's (a generator's first, then a
    store's or a folder's first video), else the metric's input size."""
    for src in sorted((o for o in opened if o is not None), key=lambda o: not isinstance(o, GeneratorSource)):
        size = src.shape()[1]
        if size:
            return size
    return metric.resolution


def metric_for(metric, weights=None, device="cpu", allow_unknown_weights=False):
    """``metric`` itself, or the registered metric of that name (:func:`make_metric`); with
    ``allow_unknown_weights`` it accepts a weights file that is not the published one (checked
    when the file is first used, so setting it here is in time)."""
    m = metric if not isinstance(metric, str) else make_metric(metric, weights, device)
    if allow_unknown_weights:
        m.allow_unknown_weights = True
    return m


def describe_shape(shape):
    """``(16, 32, 32)`` -> ``"32x32 px, 16 frames"`` (frames None: made to the length asked for)."""
    frames, height, width = shape
    length = f"{frames} frames" if frames is not None else "any length (made to order)"
    return f"{width}x{height} px, {length}"


def compare_shapes(metric, labels, opened, resize):
    """The sets' shapes for the protocol; sets of another resolution, or (both of a fixed
    length) another frame count, are refused naming both, unless ``resize``."""
    shapes = {label: src.shape() for label, src in zip(labels, opened) if src is not None}
    record = {"shapes": {label: describe_shape(shape) for label, shape in shapes.items()}, "resize": bool(resize)}
    if len(shapes) < 2:
        return record
    (la, (fa, ha, wa)), (lb, (fb, hb, wb)) = shapes.items()
    differ = []
    if None not in (ha, hb) and (ha, wa) != (hb, wb):
        differ.append("resolution")
    if None not in (fa, fb) and fa != fb:
        differ.append("frame count")
    if not differ:
        return record
    both = f"{la.upper()} is {describe_shape(shapes[la])}; {lb.upper()} is {describe_shape(shapes[lb])}"
    if not resize:
        raise GanzooError(f"{metric.name}: the sets differ in {' and '.join(differ)} ({both}); pass --resize to score them "
                          f"anyway, each brought to the metric's input by its own preprocessing")
    record["note"] = (f"sets differ in {' and '.join(differ)} ({both}); scored with --resize: each set went through "
                      f"{metric.name}'s own preprocessing ({metric.preprocessing})")
    return record


def source_stats(metric, source, opened, n, batch, cache=True, label="set"):
    """(FeatureStats, description) of one source for ``metric``."""
    if opened is None:
        stats = load_stats(source)
        _check_saved(metric, stats, source)
        return stats, {"kind": "statistics", "source": str(source), "samples": stats.n, "protocol": stats.protocol}
    description = opened.describe(n)
    total = description["samples"]
    own = metric.protocol()
    key = {**own, "weights": own["weights"]["sha256"], "set": description}  # not the file's path

    def compute():
        return metric.stats(opened.batches(n, batch), total=total, desc=f"{metric.name}: {label}", extra_protocol={"set": description})

    if cache and opened.fingerprint is not None:
        stats = cached_stats(opened.fingerprint, key, compute)
    else:
        stats = compute()
    description = stats.protocol.get("set", description)  # as completed by reading (cached or not)
    for bad in description.get("skipped", ()):
        warnings.warn(f"set {label}: skipped {bad['reason']}", stacklevel=2)
    return stats, description


def evaluate(metric, a, b=None, n=None, batch=16, seed=0, weights=None, device="cpu", resolution=None, cache=True,
             allow_unknown_weights=False, resize=False):
    """Score set ``a`` against set ``b`` with the registered ``metric``.

    ``a``/``b``: anything :func:`ganzoo.sources.resolve` names (a checkpoint path or run folder,
    a clip-store path, a registered dataset name, a folder of videos or of frame folders, a
    ``.npz`` of statistics, a :class:`Generator` object, or a resolved Source with options) (``b=None``
    only for single-set metrics such as ``is-c3d``). ``n`` videos per set (default: the
    metric's own count, 2048; generated: exactly ``n``; real: at most ``n``), encoded ``batch``
    at a time; ``seed`` is the base seed of generated samples and of real clip choice.
    ``resolution`` is the size datasets are opened at (default: the other set's, else the
    metric's input size). Sets of different resolution or frame count are refused unless
    ``resize`` (:func:`compare_shapes`); ``allow_unknown_weights`` accepts a weights file that
    is not the published one. -> :class:`MetricResult`.
    """
    m = metric_for(metric, weights, device, allow_unknown_weights)
    n = m.videos if n is None else n
    if b is None and m.kind != "inception":
        raise GanzooError(f"{m.name} compares two sets: give A and B")
    if n < 2 or batch < 1:
        raise GanzooError(f"need n >= 2 and batch >= 1, got n={n}, batch={batch}")
    labels, given = zip(*[(label, s) for label, s in (("a", a), ("b", b)) if s is not None])
    if m.kind == "inception":
        labels, given = labels[-1:], given[-1:]  # a score of one set: B (the generated one) when both are given
    def open_set(source, size):
        return open_source(source, m.window, size, seed, device, clips=m.clip_choice, min_frames=m.min_frames)

    first = {i: open_set(s, None) for i, s in enumerate(given) if not needs_resolution(s)}
    size = resolution or _default_resolution(m, list(first.values()))
    opened = [first[i] if i in first else open_set(s, size) for i, s in enumerate(given)]
    compared = compare_shapes(m, labels, opened, resize)
    results = [source_stats(m, s, o, n, batch, cache, label.upper()) for s, o, label in zip(given, opened, labels)]
    stats = [r[0] for r in results]
    values = m.score(stats[0], stats[1] if len(stats) > 1 else None, seed=seed)
    protocol = {
        **m.protocol(),
        "sets": {label: r[1] for label, r in zip(labels, results)},
        "sets_compared": compared,
        **({} if n == m.videos else {"videos_note": f"--n {n}: not the protocol's own {m.videos} videos per set"}),
        "seed": seed,
        "batch": batch,
        "batch_note": "generated video i comes from seed + i, so the batch size does not change the score",
        **versions(device),
    }
    return MetricResult(m.name, values, protocol)


RUN_SAMPLES = 256  # generated videos per periodic in-loop score (a cheap trend, not a paper score)


class RunScorer:
    """The in-loop score of a training run, handed to the engine by the command that starts it:
    ``schedule.metric`` on the generator against the run's own data, opened with the same
    ``data.kwargs`` training reads (:func:`ganzoo.sources.resolve`), ``n`` generated videos from
    the run seed. ``scorer(generator) -> MetricResult``."""

    def __init__(self, run, n=RUN_SAMPLES):
        self.name, self.n, self.seed, self.batch = run.schedule.metric, n, run.seed, run.model.batch_size
        self.real = resolve(run.data.source, run.data.kwargs)
        self.metric = None

    def __call__(self, generator):
        device = str(next(generator.parameters()).device)
        if self.metric is None:  # built once, on the generator's device
            self.metric = make_metric(self.name, device=device)
        return evaluate(self.metric, self.real, generator, n=self.n, batch=self.batch, seed=self.seed, device=device)


def run_scorer(run, n=RUN_SAMPLES):
    """A :class:`RunScorer` when the run's schedule names a metric, else None."""
    return RunScorer(run, n) if run.schedule.metric and run.schedule.metric_every else None


def save_source_stats(metric, source, out, n=None, batch=16, seed=0, weights=None, device="cpu", resolution=None, cache=True,
                      allow_unknown_weights=False):
    """Encode one source and write its statistics to ``out`` (.npz); -> FeatureStats."""
    m = metric_for(metric, weights, device, allow_unknown_weights)
    n = m.videos if n is None else n
    opened = open_source(source, m.window, resolution or m.resolution, seed, device, clips=m.clip_choice, min_frames=m.min_frames)
    if opened is None:
        raise GanzooError(f"{source!r} already is a statistics file")
    stats, description = source_stats(m, source, opened, n, batch, cache, "A")
    stats = type(stats)(stats.mu, stats.sigma, stats.n, {**m.protocol(), "set": description, **versions(device)}, stats.features)
    save_stats(stats, out)
    return stats
