"""The interfaces of ganzoo/contracts.py that commands check before use: a motion-bank generator
(what `ganzoo interpret` reads), a metric (what `ganzoo eval` calls), a dataset's known factors."""

import pytest
import torch

from ganzoo import plugins, registry
from ganzoo.contracts import Generator, MotionBankGenerator, has_motion_bank
from ganzoo.errors import GanzooError
from ganzoo.interpret.alignment import estimator_check
from ganzoo.metrics.evaluate import make_metric

from conftest import make_plugin


def test_motion_bank_is_recognised_by_its_methods_not_by_a_model_name(clean_plugins):
    class Stub(MotionBankGenerator):  # inherits the interface but implements none of it
        pass

    class DuckTyped(Generator):  # a third-party generator need not inherit
        def make_latent(self, batch, frames=None, generator=None):
            return {}

        def directions(self):
            return torch.eye(2)

        def alphas(self, latent):
            return torch.zeros(1, 1, 2)

        def edit(self, latent, deactivate=None, only=None, trajectory=None):
            return latent

    assert not has_motion_bank(Stub) and not has_motion_bank(Stub())
    assert has_motion_bank(DuckTyped) and has_motion_bank(DuckTyped())
    assert has_motion_bank(registry.get("generators", "inmodegan").factory)
    assert not has_motion_bank(registry.get("generators", "mocogan").factory)


def test_a_registered_metric_without_the_interface_is_refused_by_name(only_inprocess_plugins):
    class Half:
        kind, frames, resolution = "frechet", 16, 32

        def __init__(self, weights=None, device="cpu"):
            pass

        def protocol(self):
            return {}

    plugins.register_plugin(make_plugin("half", metrics=[("half-metric", Half)]), "half")
    with pytest.raises(GanzooError, match=r"metric 'half-metric' \(Half\) does not implement .* it lacks stats, score"):
        make_metric("half-metric")


def test_the_estimator_check_needs_a_dataset_that_declares_the_factors():
    class NoFactors(torch.utils.data.Dataset):
        factor_names = ("dx",)

    with pytest.raises(GanzooError, match="--data clips does not declare the motion factors .* it has dx\\): .*--data none"):
        estimator_check(NoFactors(), label="--data clips")
