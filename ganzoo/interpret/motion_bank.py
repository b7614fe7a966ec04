"""What a generator must offer to be interpreted, and the clear error when it does not.

The analyses read a generator through the motion-bank interface of
:class:`ganzoo.contracts.MotionBankGenerator` (InMoDeGAN Sec. 3.2): ``directions() -> (N, D)``,
``alphas(latent) -> (B, T-1, N)``, ``edit(latent, deactivate=, only=, trajectory=) -> latent``,
``make_latent(batch, frames, generator)`` and ``n_directions``. Nothing here is model specific:
any registered model whose generator implements it is supported.
"""

import torch

from ganzoo import registry
from ganzoo.contracts import has_motion_bank
from ganzoo.errors import GanzooError


def supported_models():
    """Registered models whose generator class implements the motion-bank interface."""
    names = []
    for entry in registry.get_registry("models").entries():
        try:
            spec = entry.factory()
            generator = registry.get("generators", spec.generator.name).factory
        except Exception:  # a broken plugin is reported by `ganzoo plugins`, not here
            continue
        if has_motion_bank(generator):
            names.append(entry.name)
    return names


def require_motion_bank(generator, model=None, analysis="this analysis"):
    """Return ``generator`` if it implements the motion-bank interface; otherwise a one-line
    error naming its model (the checkpoint's, or the generator's class) and the models that do."""
    if has_motion_bank(generator):
        return generator
    name = model or type(generator).__name__
    supported = supported_models()
    raise GanzooError(
        f"{analysis} needs a generator with a motion bank (ganzoo.contracts.MotionBankGenerator: directions, "
        f"alphas, edit); model {name!r} has none. "
        + (f"Models that have one: {', '.join(supported)}" if supported else "No registered model has one.")
    )


def n_directions(generator):
    n = getattr(generator, "n_directions", None)
    return int(n) if n is not None else int(generator.directions().shape[0])


def parse_directions(text, count):
    """``"1,511"`` (or a list of ints) -> list of direction indices, each checked in 0..N-1."""
    if text is None:
        return None
    if isinstance(text, str):
        try:
            indices = [int(part) for part in text.replace(" ", "").split(",") if part]
        except ValueError:
            raise GanzooError(f"--directions takes comma-separated integers such as 1,511, got {text!r}") from None
    else:
        indices = [int(i) for i in text]
    if not indices:
        raise GanzooError("--directions is empty; give indices such as 1,511")
    for index in indices:
        if not 0 <= index < count:
            raise GanzooError(f"direction index {index} is outside 0..{count - 1} (the motion bank has {count} directions)")
    return indices


@torch.no_grad()
def generate(generator, latent):
    """``forward(latent)`` without gradients: float ``(B, 3, T, H, W)`` in [-1, 1], on the CPU."""
    return generator(latent).float().cpu()
