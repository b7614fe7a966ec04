"""What every generator (and a motion-bank generator), discriminator, model spec, loss, regularizer,
dataset and metric is.

Shapes: a video is a float tensor ``(B, 3, T, H, W)`` in ``[-1, 1]``; datasets yield
``uint8 (3, T, H, W)`` and the engine converts once, on the device (:func:`to_float`).
"""

import math

import attrs
import torch
from torch import nn

from ganzoo.errors import GanzooError, IncompatibleError

VIDEO = "video"  # a discriminator that consumes whole videos (B, 3, T, H, W)
FRAME = "frame"  # a discriminator that consumes single frames (N, 3, H, W)


def to_float(video_uint8):
    """uint8 video in [0, 255] -> float in [-1, 1] (any shape)."""
    return video_uint8.float().div_(127.5).sub_(1.0)


def to_uint8(video):
    """float video in [-1, 1] -> uint8 in [0, 255], rounded as a saved video would be."""
    return video.detach().add(1.0).mul(127.5).round_().clamp_(0, 255).to(torch.uint8)


class Generator(nn.Module):
    """A video generator with an explicit latent.

    ``make_latent(batch, frames, generator)`` draws every random input of one forward pass
    (appearance code, motion noise, ...) as a dict of tensors on the module's device, using the
    given ``torch.Generator`` (a CPU generator, so a seed gives the same videos on any device).
    ``forward(latent)`` is deterministic given the latent and returns ``(B, 3, T, H, W)`` in
    ``[-1, 1]``. Keeping the latent explicit is what lets interpretation edit it (switch a
    motion direction off, feed a trajectory, ask for more frames) without a code path per model.

    Subclasses set ``frames`` (trained length) and ``resolution``; ``max_frames`` is the
    longest video the architecture can make (None: any length; equal to ``frames`` for models
    whose temporal structure is fixed, such as VGAN's 3D deconvolutions).
    """

    frames: int = 16
    resolution: int = 64
    max_frames: int | None = None

    def make_latent(self, batch, frames=None, generator=None):
        raise NotImplementedError

    def sample(self, batch, frames=None, generator=None):
        """Convenience: ``forward(make_latent(...))``."""
        return self(self.make_latent(batch, frames, generator))

    def check_frames(self, frames):
        """The frame count to make, or a clear error when the model cannot make that many."""
        frames = self.frames if frames is None else int(frames)
        if frames < 1 or (self.max_frames is not None and frames > self.max_frames):
            raise GanzooError(
                f"{type(self).__name__} can make at most {self.max_frames} frames, {frames} were asked for"
            )
        return frames

    @property
    def device(self):
        for tensor in self.parameters():
            return tensor.device
        for tensor in self.buffers():
            return tensor.device
        return torch.device("cpu")

    def randn(self, *shape, generator=None):
        """Gaussian noise drawn on the CPU with ``generator``, moved to the module's device."""
        return torch.randn(*shape, generator=generator).to(self.device)


class MotionBankGenerator(Generator):
    """A generator whose motion is a linear combination of learned directions (InMoDeGAN's
    motion bank, Sec. 3.2, Eq. 1-4): what ``ganzoo interpret`` and ``ganzoo bench --table 4/5``
    read. Subclass it, or offer the same methods (:func:`has_motion_bank` checks the methods,
    so a third-party generator need not inherit).

    - ``n_directions``: N, the number of directions.
    - ``directions() -> (N, D)``: the directions d_i as orthonormal rows.
    - ``alphas(latent) -> (B, T-1, N)``: the magnitudes alpha_{t,i} of a latent, edits applied.
    - ``edit(latent, deactivate=None, only=None, trajectory=None) -> latent``: a new latent that
      zeroes the ``deactivate`` directions, keeps ``only`` those, or drives direction k with
      ``trajectory[k]`` (``(T-1,)`` or ``(B, T-1)`` alphas); edits compose.
    """

    n_directions: int

    def directions(self):
        raise NotImplementedError

    def alphas(self, latent):
        raise NotImplementedError

    def edit(self, latent, deactivate=None, only=None, trajectory=None):
        raise NotImplementedError


MOTION_BANK_METHODS = ("directions", "alphas", "edit", "make_latent")


def has_motion_bank(obj):
    """True when ``obj`` (a generator or its class) implements :class:`MotionBankGenerator`'s methods."""
    for name in MOTION_BANK_METHODS:
        method = getattr(obj, name, None)
        if not callable(method) or getattr(method, "__func__", method) is getattr(MotionBankGenerator, name, None):
            return False
    return True


class Discriminator(nn.Module):
    """A discriminator: ``consumes`` is ``"video"`` (input ``(B, 3, T, H, W)``) or ``"frame"``
    (input ``(N, 3, H, W)``: the engine picks frames from the videos). ``forward`` returns
    logits ``(B,)`` or a list of them (TPD returns one per temporal speed; the role's loss is
    the sum over the list, times the role's weight).

    ``check(frames, resolution, channels, **kwargs)`` runs when a run is built, before any
    network exists, and raises :class:`IncompatibleError` naming the constraint that fails.
    """

    consumes = VIDEO

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        return None


def check_discriminator(factory, role, frames, resolution, channels, kwargs):
    """Run a discriminator factory's ``check`` with a message that names the role."""
    check = getattr(factory, "check", None)
    if check is None:
        return
    try:
        check(frames=frames, resolution=resolution, channels=channels, **kwargs)
    except IncompatibleError as exc:
        raise IncompatibleError(f"discriminator role {role!r}: {exc}") from None


class Loss:
    """An adversarial loss on logits. ``d_loss(real, fake)`` and ``g_loss(fake)`` return scalars.

    Logits are tensors of any shape with one entry per sample (a list of logits is summed by
    the engine, not here).
    """

    def d_loss(self, real_logits, fake_logits):
        raise NotImplementedError

    def g_loss(self, fake_logits):
        raise NotImplementedError


class Regularizer:
    """A regularizer of one network.

    ``kind = "penalty"``: ``penalty(net, inputs, logits)`` returns a scalar added to the
    network's loss every ``interval`` steps (lazy regularization; the engine scales it by the
    interval and adjusts the optimizer as StyleGAN2 does). ``inputs`` require grad.
    ``kind = "constraint"``: ``apply(net)`` changes the weights in place after an optimizer
    step, every ``interval`` steps (weight clipping, singular value clipping).
    """

    kind = "penalty"
    interval = 1

    def penalty(self, net, inputs, logits):
        raise NotImplementedError

    def apply(self, net):
        raise NotImplementedError


class VideoDataset(torch.utils.data.Dataset):
    """Clips of ``frames`` frames at ``resolution`` x ``resolution``.

    ``dataset[i]`` is a ``uint8`` tensor ``(3, T, H, W)``; ``info(i)`` is plain data about
    clip i (source file, start frame, label, motion factors); ``fingerprint`` is a short
    string that changes whenever the clips would (used to cache real-data statistics).

    ``factor_names``: the motion factors whose true values ``info(i)["factors"]`` gives (a
    capability: moving-shapes declares dx, dy, rotation, scale, brightness, and a clip store
    keeps its dataset's; ``ganzoo interpret align`` checks its estimators against them).
    Empty for real video.
    """

    frames: int
    resolution: int
    factor_names = ()

    @property
    def fingerprint(self):
        raise NotImplementedError

    def info(self, index):
        return {}


@attrs.frozen
class MetricResult:
    """A score never travels without the protocol that produced it."""

    metric: str
    values: dict
    protocol: dict

    @property
    def value(self):
        return self.values[self.metric] if self.metric in self.values else next(iter(self.values.values()))


class Metric:
    """Scores generated videos against real ones; what :func:`ganzoo.metrics.evaluate` calls.

    Attributes: ``name``; ``kind``, what is done with the features (``"frechet"``, ``"kernel"``
    or ``"inception"``, the last a score of one set); ``frames`` and ``resolution``, the clip
    the metric's network takes (sources are opened at that length).

    - ``protocol()``: exactly how it scores (feature network, ``weights.sha256``, frames,
      resolution, preprocessing), as plain data.
    - ``stats(batches, total=None, desc=None, extra_protocol=None)``: an iterable of uint8
      ``(B, 3, T, H, W)`` batches -> feature statistics (``mu``, ``sigma``, ``n``, ``protocol``,
      raw ``features`` where the kind needs them).
    - ``score(stats_a, stats_b, seed=0) -> {name: value, ...}``.
    - ``compute(real, fake) -> MetricResult``: both sets at once, from ``stats`` and ``score``.
    """

    name = "metric"
    kind = "frechet"
    frames = 16
    resolution = 112

    def protocol(self):
        raise NotImplementedError

    def stats(self, batches, total=None, desc=None, extra_protocol=None):
        raise NotImplementedError

    def score(self, stats_a, stats_b, seed=0):
        raise NotImplementedError

    def compute(self, real, fake):
        raise NotImplementedError


METRIC_METHODS = ("protocol", "stats", "score")


def check_metric(metric, name):
    """``metric`` if it offers :class:`Metric`'s interface, else an error naming the registered
    ``name`` and what it lacks (a third-party metric need not inherit)."""
    missing = [m for m in METRIC_METHODS if not callable(getattr(metric, m, None))]
    missing += [a for a in ("kind", "frames", "resolution") if getattr(metric, a, None) is None]
    if missing:
        raise GanzooError(f"metric {name!r} ({type(metric).__name__}) does not implement the metric interface "
                          f"of ganzoo.contracts.Metric: it lacks {', '.join(missing)}")
    return metric


def _frozen_dict(value):
    return dict(value or {})


# ---------------------------------------------------------------- value checks at the schema
# A value outside these ranges would spin a loop forever (a negative batch), divide by zero or
# fail deep inside torch; the config loader turns the ValueError into one line naming the key.


class BadValue(ValueError):
    """A field value out of its range: ``field``, and ``text`` saying what was given and what is allowed."""

    def __init__(self, attribute, text):
        super().__init__(f"{attribute.name}: {text}")
        self.field, self.text = attribute.name, text


def at_least(low):
    """attrs validator: an int (not a bool) >= ``low``."""

    def check(instance, attribute, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise BadValue(attribute, f"got {value!r}; allowed: an integer >= {low}")

    return check


def finite(low=None, high=None, low_open=False, high_open=False, optional=False):
    """attrs validator: a finite number in a range (``low_open``: ``> low`` rather than ``>=``)."""

    def check(instance, attribute, value):
        if optional and value is None:
            return
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        ok = ok and (low is None or (value > low if low_open else value >= low))
        ok = ok and (high is None or (value < high if high_open else value <= high))
        if not ok:
            lo = "" if low is None else f"{'>' if low_open else '>='} {low}"
            hi = "" if high is None else f"{'<' if high_open else '<='} {high}"
            raise BadValue(attribute, f"got {value!r}; allowed: a finite number {' and '.join(filter(None, (lo, hi)))}"
                             f"{' (or none)' if optional else ''}")

    return check


def _betas(instance, attribute, value):
    if len(value) != 2 or not all(isinstance(b, (int, float)) and not isinstance(b, bool) and 0 <= b < 1 for b in value):
        raise BadValue(attribute, f"got {list(value)!r}; allowed: two numbers in [0, 1)")


@attrs.frozen
class NetSpec:
    """A registered network and the keyword arguments it is built with."""

    name: str
    kwargs: dict = attrs.field(factory=dict, converter=_frozen_dict)


@attrs.frozen
class DiscriminatorRole:
    """One discriminator of a model: registered name, kwargs, and its weight in the D loss
    (Eq. 5 of InMoDeGAN: L = L_image + lambda * L_TPD, lambda = 0.5)."""

    name: str
    kwargs: dict = attrs.field(factory=dict, converter=_frozen_dict)
    weight: float = attrs.field(default=1.0, validator=finite(0))


@attrs.frozen
class OptimizerSpec:
    """Optimizer of one network: ``adam`` (lr, betas, eps) or ``rmsprop`` (lr, alpha, eps)."""

    name: str = "adam"
    lr: float = attrs.field(default=0.002, validator=finite(0, low_open=True))
    betas: tuple[float, float] = attrs.field(default=(0.0, 0.99), converter=tuple, validator=_betas)
    eps: float = attrs.field(default=1e-8, validator=finite(0))
    alpha: float = attrs.field(default=0.99, validator=finite(0, 1))
    weight_decay: float = attrs.field(default=0.0, validator=finite(0))


@attrs.frozen
class RegularizerSpec:
    """A registered regularizer applied to ``target``: ``"generator"``, ``"discriminators"``
    (every role) or one role name; ``interval`` is the lazy-regularization period."""

    name: str
    kwargs: dict = attrs.field(factory=dict, converter=_frozen_dict)
    target: str = "discriminators"
    interval: int = attrs.field(default=1, validator=at_least(1))


@attrs.frozen
class ModelSpec:
    """Everything that defines a model's training, as plain data.

    ``discriminators`` maps a role (``"image"``, ``"video"``) to its discriminator.
    ``video_alternatives`` says how another discriminator is configured when ``--disc NAME``
    swaps the ``video`` role (e.g. TPD's temporal speeds for this model's frame count); a
    name not listed there is swapped in with no kwargs and the replaced role's weight.
    ``optimizers`` has a ``"generator"`` entry and a ``"discriminators"`` entry (or one per
    role, which wins). ``ema`` is the decay per step of the generator's exponential moving
    average (StyleGAN2's ``G_ema``; None: no EMA). ``presets`` maps a preset name to dotted overrides of these
    fields (``{"resolution": 32, "generator.kwargs.channels": 64}``); the field values
    themselves are the ``paper`` preset.
    """

    name: str
    generator: NetSpec
    discriminators: dict[str, DiscriminatorRole]
    loss: NetSpec
    optimizers: dict[str, OptimizerSpec]
    frames: int = attrs.field(validator=at_least(1))
    resolution: int = attrs.field(validator=at_least(1))
    batch_size: int = attrs.field(validator=at_least(1))
    iterations: int = attrs.field(validator=at_least(0))  # 0: "nothing to train" when a run starts
    regularizers: tuple[RegularizerSpec, ...] = attrs.field(default=(), converter=tuple)
    ema: float | None = attrs.field(default=None, validator=finite(0, 1, optional=True))
    d_steps: int = attrs.field(default=1, validator=at_least(1))
    video_alternatives: dict[str, DiscriminatorRole] = attrs.field(factory=dict, converter=_frozen_dict)
    presets: dict[str, dict] = attrs.field(factory=dict, converter=_frozen_dict)
    citation: str = ""
    description: str = ""
    preset: str = "paper"

    def optimizer_for(self, net):
        """The OptimizerSpec of ``"generator"`` or of one discriminator role."""
        if net in self.optimizers:
            return self.optimizers[net]
        return self.optimizers["discriminators"]
