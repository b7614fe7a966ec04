"""A metric built on a feature network: the part every protocol (FID-ResNeXt, FVD-I3D, IS-C3D,
the offline shapes metrics) shares.

A subclass says how a uint8 video becomes network input (:meth:`prepare`: clip choice, resize,
crop, all in uint8) and how input becomes features (:meth:`embed`), and describes both in
:meth:`protocol`. ``kind`` says what is done with the features: ``"frechet"`` (Frechet
distance of Gaussians), ``"kernel"`` (unbiased polynomial MMD) or ``"inception"`` (Inception
Score of class probabilities, one set only).
"""

import queue
import threading
from pathlib import Path

import torch

from ganzoo.contracts import Metric, MetricResult
from ganzoo.errors import GanzooError
from ganzoo.metrics.frechet import frechet_distance
from ganzoo.metrics.inception import inception_score
from ganzoo.metrics.kernel import kernel_distance
from ganzoo.metrics.stats import FeatureStats
from ganzoo.metrics.weights import check_weights, resolve_weights
from ganzoo.progress import progress

KINDS = ("frechet", "kernel", "inception")


class FeatureMetric(Metric):
    """Subclasses set ``name``, ``kind``, ``frames``, ``resolution`` (network input size),
    ``network`` (a name), ``weights_file`` (a :class:`WeightsFile` with the published SHA-256;
    weights that ship with the package also return their path from :meth:`default_weights`)
    and implement :meth:`build` (path -> eval-mode nn.Module), :meth:`prepare` and :meth:`embed`.

    ``allow_unknown_weights``: score with a weights file whose SHA-256 is not the published
    one (or has none published); the protocol records it as unverified."""

    name = "feature-metric"
    kind = "frechet"
    frames = 16
    resolution = 112
    network = "network"
    weights_file = None
    preprocessing = ""
    splits = 10  # inception kind only
    videos = 2048  # videos per set unless the caller says otherwise
    #: how a real video's clip is chosen: "centre" (start = T // 2 - window // 2) or "random"
    #: (an offset drawn from the eval seed and the video's index; StyleGAN-V's protocols)
    clip_choice = "centre"

    @property
    def window(self):
        """Frames read from each video (``frames``, or more when a protocol subsamples)."""
        return self.frames

    @property
    def min_frames(self):
        """Videos shorter than this are left out of a real set (None: they are an error)."""
        return None

    def __init__(self, weights=None, device="cpu", allow_unknown_weights=False):
        self.weights = weights
        self.device = torch.device(device)
        self.allow_unknown_weights = bool(allow_unknown_weights)
        self._net = None
        self._weights_path = None
        self._weights_record = None

    # -- the parts a protocol defines

    def default_weights(self):
        """Path of weights that ship with the package, or None (the user gives the file)."""
        return None

    def build(self, path):
        raise NotImplementedError

    def prepare(self, video):
        """uint8 ``(B, 3, T, H, W)`` at any size -> uint8 network-ready clips."""
        raise NotImplementedError

    def embed(self, net, clips):
        """Prepared uint8 clips on the device -> ``(B, D)`` float features (or probabilities)."""
        raise NotImplementedError

    # -- shared machinery

    @property
    def weights_path(self):
        """The weights file, found and its SHA-256 checked (:func:`check_weights`)."""
        if self._weights_path is None:
            path = self.default_weights() if self.weights is None else None
            if path is None and self.weights_file is not None:
                path = resolve_weights(self.weights_file, self.weights, self.network)
            elif path is None:  # a metric that names no published file (a third party's)
                if self.weights is None:
                    raise GanzooError(f"{self.name} names no weights file: pass --weights FILE")
                path = Path(self.weights)
                if not path.is_file():
                    raise GanzooError(f"weights file {str(path)!r} for {self.network} does not exist")
            self._weights_record = check_weights(self.weights_file, path, self.allow_unknown_weights)
            self._weights_path = path
        return self._weights_path

    @property
    def net(self):
        if self._net is None:
            self._net = self.build(self.weights_path).eval().to(self.device)
        return self._net

    def protocol(self):
        """How a number of this metric is made, as plain data (recorded with every score)."""
        path = self.weights_path
        return {
            "metric": self.name,
            "kind": self.kind,
            "network": self.network,
            "weights": {**self._weights_record, "file": str(path)},
            "frames": self.frames,
            "resolution": self.resolution,
            "preprocessing": self.preprocessing,
            **({"splits": self.splits} if self.kind == "inception" else {}),
        }

    @torch.inference_mode()  # no autograd bookkeeping at all (features only go to numpy)
    def features(self, batches, total=None, desc=None):
        """Features of uint8 batches: each item a ``(B, 3, T, H, W)`` tensor, or a list of
        ``(3, T, H, W)`` clips of different sizes. -> ``(N, D)`` float64 numpy."""
        out = []
        with progress(total=total, desc=desc or f"{self.name}: encoding", unit="video", leave=False) as bar:
            for batch in prefetched(batches):
                if isinstance(batch, (list, tuple)):  # clips of different sizes (a folder of files)
                    prepared = [self.prepare(clip[None]) for clip in batch]
                    if len({tuple(p.shape) for p in prepared}) == 1:
                        prepared = [torch.cat(prepared)]
                else:
                    prepared = [self.prepare(batch)]
                for clips in prepared:
                    out.append(self.embed(self.net, clips.to(self.device)).double().cpu())
                    bar.update(len(clips))
        if not out:
            raise GanzooError(f"{self.name}: no videos to encode")
        return torch.cat(out).numpy()

    def stats(self, batches, total=None, desc=None, extra_protocol=None):
        """Encode batches into :class:`FeatureStats` (raw features kept for kernel/inception)."""
        feats = self.features(batches, total, desc)
        protocol = {**self.protocol(), **(extra_protocol or {})}
        return FeatureStats.from_features(feats, protocol, keep_features=self.kind != "frechet")

    def score(self, stats_a, stats_b, seed=0):
        """The metric's values from two sets' statistics (``stats_b`` alone for inception)."""
        if self.kind == "frechet":
            for label, stats in (("A", stats_a), ("B", stats_b)):
                if stats.sigma is None and stats.n < 2:
                    raise GanzooError(f"{self.name}: set {label} has {stats.n} usable video(s); a Frechet distance "
                                      f"needs the covariance of at least 2 videos per set")
                if stats.mu is None or stats.sigma is None:
                    raise GanzooError(f"{self.name} needs mu and sigma of each set")
            return {self.name: frechet_distance(stats_a.mu, stats_a.sigma, stats_b.mu, stats_b.sigma)}
        if self.kind == "kernel":
            for stats in (stats_a, stats_b):
                if stats.features is None:
                    raise GanzooError(f"{self.name} needs the raw features of each set; statistics without 'features' cannot be used")
            mean, std = kernel_distance(stats_a.features, stats_b.features, seed=seed)
            return {self.name: mean, f"{self.name}-std": std}
        if self.kind == "inception":
            target = stats_b if stats_b is not None else stats_a
            if target.features is None:
                raise GanzooError(f"{self.name} needs class probabilities; these statistics hold none")
            mean, std = inception_score(target.features, self.splits)
            return {self.name: mean, f"{self.name}-std": std}
        raise GanzooError(f"{self.name}: unknown metric kind {self.kind!r} (known: {', '.join(KINDS)})")

    def compute(self, real, fake):
        """The contract's entry: two iterables of uint8 ``(B, 3, T, H, W)`` batches -> MetricResult."""
        stats_a = self.stats(real, desc=f"{self.name}: real")
        stats_b = self.stats(fake, desc=f"{self.name}: generated")
        protocol = {**self.protocol(), "samples": {"a": stats_a.n, "b": stats_b.n}}
        return MetricResult(self.name, self.score(stats_a, stats_b), protocol)


def prefetched(items, depth=1):
    """``items`` in order, the next one made by a background thread while the caller works on
    this one (issue 17.2): decoding a video file or running a generator overlaps the feature
    network (PyAV and torch release the GIL). An error in the producer is raised here."""
    slots, done = queue.Queue(maxsize=depth), object()
    stop = threading.Event()

    def produce():
        source = iter(items)
        try:
            for item in source:
                if stop.is_set():
                    return
                slots.put((item, None))
            slots.put((done, None))
        except BaseException as error:  # handed to the consumer, raised there
            slots.put((None, error))
        finally:
            close = getattr(source, "close", None)
            if close is not None:  # a generator's own finally (a generator source restores train mode)
                close()

    thread = threading.Thread(target=produce, daemon=True, name="ganzoo-prefetch")
    thread.start()
    try:
        while True:
            item, error = slots.get()
            if error is not None:
                raise error
            if item is done:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a blocked producer finish its put, then end
            try:
                slots.get_nowait()
            except queue.Empty:
                thread.join(0.01)


def to_net_float(clips, mean=None, std=None):
    """uint8 clips ``(B, 3, T, H, W)`` -> float32 (value - mean) / std per channel."""
    x = clips.float()
    if mean is not None:
        x = x - torch.as_tensor(mean, dtype=x.dtype, device=x.device).view(1, -1, 1, 1, 1)
    if std is not None:
        x = x / torch.as_tensor(std, dtype=x.dtype, device=x.device).view(1, -1, 1, 1, 1)
    return x

