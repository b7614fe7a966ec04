import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import ganzoo
from ganzoo import plugins, registry

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """Feature statistics cached in this test's own folder, never in the user's cache."""
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "cache"))


# The small sets these tests score are meant to be smaller than the feature dimension.
FEW_SAMPLES_WARNING = "ignore:.*samples for .*-d features"


@pytest.fixture
def clean_plugins(monkeypatch):
    """Plugin state rebuilt from this test's environment, and forgotten afterwards."""
    monkeypatch.delenv("GANZOO_PLUGINS", raising=False)
    monkeypatch.delenv("GANZOO_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def only_inprocess_plugins(monkeypatch, clean_plugins):
    """No entry-point plugins at all: only what the test registers in-process."""
    monkeypatch.setenv("GANZOO_PLUGINS", "")
    plugins.reset()
    yield


def make_plugin(name, **hooks):
    """An in-process plugin module whose hooks register the given {kind: [(name, factory, meta)]}."""
    module = types.ModuleType(name)
    for kind, items in hooks.items():
        def hook(register, _items=items):
            for item_name, factory, *meta in _items:
                register(item_name, factory, **(meta[0] if meta else {}))

        hook.__name__ = registry.KINDS[kind][0]
        setattr(module, hook.__name__, ganzoo.hookimpl(hook))
    return module


def run_ganzoo(*args, env=None, check=False, timeout=300):
    """Run the installed `ganzoo` console script as a user would (a hang fails after ``timeout`` s)."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ganzoo")), *args],
        capture_output=True, text=True, env=full_env, timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"ganzoo {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def count_params(module):
    return sum(p.numel() for p in module.parameters())


def build_net(spec, net):
    """One network of a resolved model spec, built by the engine: "generator" or a role."""
    from ganzoo.build import build_discriminators, build_generator

    return build_generator(spec) if net == "generator" else build_discriminators(spec)[net]


def save_untrained(model, path, preset="tiny"):
    """A checkpoint of an untrained generator, written in the engine's format."""
    import torch

    from ganzoo.build import build_generator
    from ganzoo.checkpoints import atomic_save, make_card
    from ganzoo.config import resolve_run, to_data

    run = resolve_run(model, preset=preset)
    torch.manual_seed(0)
    generator = build_generator(run.model)
    card = make_card(to_data(run), "untrained", 0)
    return atomic_save({"card": card, "generator": generator.state_dict(), "generator_ema": None}, path)
