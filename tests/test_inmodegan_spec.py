"""The inmodegan model spec (Sec. 4) and the StyleGAN2 image discriminator, as registered."""

import pytest
import torch

from ganzoo import registry
from ganzoo.config import resolve_run
from ganzoo.errors import IncompatibleError
from ganzoo_inmodegan import InMoDeGANGenerator, StyleGAN2ImageDiscriminator


def test_registered_names():
    assert registry.get("generators", "inmodegan").factory is InMoDeGANGenerator
    image = registry.get("discriminators", "stylegan2-image").factory
    assert image is StyleGAN2ImageDiscriminator and image.consumes == "frame"
    assert "inmodegan" in registry.get_registry("models")


def test_paper_preset_matches_section_4():
    spec = resolve_run("inmodegan", "paper").model
    assert (spec.frames, spec.resolution, spec.batch_size) == (16, 64, 4)  # per GPU, x 8 GPUs
    assert spec.generator.kwargs == {"dim_za": 512, "dim_zm": 256, "n_directions": 512, "w_dim": 512}
    assert spec.discriminators["video"].kwargs["speeds"] == [1, 3, 5, 7]
    assert spec.discriminators["video"].weight == 0.5 and spec.discriminators["image"].weight == 1.0
    assert spec.loss.name == "non-saturating"
    for net in ("generator", "discriminators"):
        opt = spec.optimizer_for(net)
        assert (opt.name, opt.lr, opt.betas) == ("adam", 0.002, (0.0, 0.99))
    (r1,) = spec.regularizers
    assert (r1.name, r1.interval, r1.target) == ("r1", 16, "discriminators")
    assert r1.kwargs["gamma"] == pytest.approx(0.0256)


@pytest.mark.parametrize("preset, resolution, frames", [("paper-128", 128, 16), ("small", 32, 8), ("tiny", 16, 8)])
def test_presets_resolve(preset, resolution, frames):
    spec = resolve_run("inmodegan", preset).model
    assert (spec.resolution, spec.frames) == (resolution, frames)


def test_tiny_preset_builds_and_runs_every_network():
    spec = resolve_run("inmodegan", "tiny").model
    size = dict(frames=spec.frames, resolution=spec.resolution)
    g = registry.get("generators", spec.generator.name).factory(**spec.generator.kwargs, **size)
    video = g.sample(2, generator=torch.Generator().manual_seed(0))
    for role in spec.discriminators.values():
        d = registry.get("discriminators", role.name).factory(**role.kwargs, **size, channels=3)
        logits = d(video[:, :, 0] if d.consumes == "frame" else video)
        assert all(l.shape == (2,) for l in (logits if isinstance(logits, list) else [logits]))


def test_image_discriminator_rejects_bad_resolution():
    with pytest.raises(IncompatibleError, match="stylegan2-image.*48"):
        StyleGAN2ImageDiscriminator.check(frames=16, resolution=48)
