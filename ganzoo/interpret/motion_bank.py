"""What a generator must offer to be interpreted, and the clear error when it does not.

The analyses read a generator through InMoDeGAN's manipulation API (the motion bank of
Sec. 3.2): ``directions() -> (N, D)``, ``alphas(latent) -> (B, T-1, N)``,
``edit(latent, deactivate=, only=, trajectory=) -> latent``, ``make_latent(batch, frames,
generator)`` and ``n_directions``. Nothing here is model specific: any registered model whose
generator has these methods is supported.
"""

import torch

from ganzoo.errors import GanzooError

REQUIRED = ("directions", "alphas", "edit", "make_latent")


def has_motion_bank(obj):
    """True when ``obj`` (a generator or its class) offers the manipulation API."""
    return all(callable(getattr(obj, name, None)) for name in REQUIRED)


def supported_models():
    """Registered models whose generator class has a motion bank (e.g. ``inmodegan``)."""
    from ganzoo import registry

    names = []
    for entry in registry.get_registry("models").entries():
        try:
            spec = entry.factory()
            generator = registry.get("generators", spec.generator.name).factory
        except Exception:  # a broken plugin is reported by `ganzoo plugins`, not here
            continue
        if has_motion_bank(generator):
            names.append(entry.name)
    return names or ["inmodegan"]


def require_motion_bank(generator, model=None, analysis="this analysis"):
    """Return ``generator`` if it has a motion bank; otherwise a one-line error naming the
    models that do."""
    if has_motion_bank(generator):
        return generator
    name = model or type(generator).__name__
    raise GanzooError(
        f"{analysis} needs a model with a motion bank (directions d_i and magnitudes alpha); "
        f"model {name!r} has none. Supported models: {', '.join(supported_models())}"
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
