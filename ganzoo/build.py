"""Networks, loss, regularizers and optimizers built from a :class:`ModelSpec`.

Factories are looked up in the registry; a factory that rejects its kwargs is a one-line error
naming the network and the kwargs, not a traceback from deep inside a constructor.
"""

import attrs
import torch

from ganzoo import registry
from ganzoo.contracts import Discriminator, Generator, Loss, Regularizer
from ganzoo.errors import ConfigError, GanzooError


def _call(kind, name, where, **kwargs):
    entry = registry.get(kind, name)
    try:
        return entry.factory(**kwargs)
    except TypeError as exc:
        raise ConfigError(f"{where}: {registry.KINDS[kind][1]} {name!r} (plugin {entry.plugin!r}) "
                          f"rejected its arguments {sorted(kwargs)}: {exc}") from None


def build_generator(model_spec):
    """The spec's generator, called with ``generator.kwargs`` plus ``frames`` and ``resolution``."""
    spec = model_spec.generator
    net = _call("generators", spec.name, "generator", **{**spec.kwargs, "frames": model_spec.frames,
                                                        "resolution": model_spec.resolution})
    if not isinstance(net, Generator):
        raise GanzooError(f"generator {spec.name!r} built a {type(net).__name__}, not a ganzoo.contracts.Generator")
    return net


def build_discriminators(model_spec):
    """role -> Discriminator; each factory gets the role's kwargs plus frames, resolution, channels=3."""
    nets = {}
    for role, spec in model_spec.discriminators.items():
        kwargs = {**spec.kwargs, "frames": model_spec.frames, "resolution": model_spec.resolution, "channels": 3}
        net = _call("discriminators", spec.name, f"discriminator role {role!r}", **kwargs)
        if not isinstance(net, Discriminator):
            raise GanzooError(f"discriminator {spec.name!r} (role {role!r}) built a {type(net).__name__}, "
                              f"not a ganzoo.contracts.Discriminator")
        nets[role] = net
    return nets


def build_loss(model_spec):
    loss = _call("losses", model_spec.loss.name, "loss", **model_spec.loss.kwargs)
    if not isinstance(loss, Loss):
        raise GanzooError(f"loss {model_spec.loss.name!r} built a {type(loss).__name__}, not a ganzoo.contracts.Loss")
    return loss


@attrs.define
class BoundRegularizer:
    """A regularizer bound to the networks it acts on (``"generator"`` or role names)."""

    name: str
    reg: Regularizer
    nets: tuple
    interval: int

    @property
    def kind(self):
        return self.reg.kind


def build_regularizers(model_spec):
    """The spec's regularizers, each bound to its target networks."""
    bound = []
    for index, spec in enumerate(model_spec.regularizers):
        reg = _call("regularizers", spec.name, f"regularizer {spec.name!r}", **spec.kwargs)
        if getattr(reg, "kind", None) not in ("penalty", "constraint"):
            raise GanzooError(f"regularizer {spec.name!r} has kind {getattr(reg, 'kind', None)!r}; "
                              f"expected 'penalty' or 'constraint'")
        if spec.interval < 1:
            raise ConfigError(f"regularizers.{index}.interval must be >= 1, got {spec.interval}")
        if spec.target == "generator":
            nets = ("generator",)
        elif spec.target == "discriminators":
            nets = tuple(model_spec.discriminators)
        else:
            nets = (spec.target,)
        bound.append(BoundRegularizer(spec.name, reg, nets, spec.interval))
    return bound


def lazy_interval(regs, net):
    """The lazy-regularization interval k of a network's penalties (1: none or not lazy).

    StyleGAN2 runs all penalties of one network in one D_reg/G_reg phase, so they must share k.
    """
    intervals = {r.interval for r in regs if r.kind == "penalty" and net in r.nets}
    if len(intervals) > 1:
        raise ConfigError(f"penalties on {net!r} use different intervals {sorted(intervals)}; "
                          f"lazy regularization runs them in one phase, so give them one interval")
    return intervals.pop() if intervals else 1


def build_optimizer(opt_spec, params, interval=1):
    """Adam or RMSprop from an OptimizerSpec, with StyleGAN2's lazy-regularization correction:
    with penalties every k steps, lr and betas are raised to the power c = k/(k+1) applied as
    ``lr * c`` and ``beta ** c`` (Karras et al. 2020, Appendix B; stylegan2-ada training_loop).
    """
    c = interval / (interval + 1) if interval > 1 else 1.0
    name = opt_spec.name.lower()
    params = list(params)
    if name == "adam":
        betas = tuple(b**c for b in opt_spec.betas)
        return torch.optim.Adam(params, lr=opt_spec.lr * c, betas=betas, eps=opt_spec.eps,
                                weight_decay=opt_spec.weight_decay, fused=_fusable(params))
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=opt_spec.lr * c, alpha=opt_spec.alpha**c, eps=opt_spec.eps,
                                   weight_decay=opt_spec.weight_decay, foreach=_fusable(params))
    raise ConfigError(f"unknown optimizer {opt_spec.name!r}; known: adam, rmsprop")


def _fusable(params):
    """Speed, not maths (issue 17.4): one fused kernel per step instead of about ten small ops per
    parameter tensor (the for-loop Adam torch picks on CPU), equal to it within float rounding.
    Only where torch has the kernel: float parameters on one CPU or CUDA device."""
    devices = {p.device.type for p in params}
    return bool(params) and len(devices) == 1 and devices <= {"cpu", "cuda"} and all(p.is_floating_point() for p in params)


def build_optimizers(model_spec, generator, discriminators, regs):
    """net name ('generator' or a role) -> optimizer over that network's parameters."""
    nets = {"generator": generator, **discriminators}
    return {name: build_optimizer(model_spec.optimizer_for(name), net.parameters(), lazy_interval(regs, name))
            for name, net in nets.items()}
