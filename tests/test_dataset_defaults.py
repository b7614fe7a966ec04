"""A dataset's discriminator defaults: TPD's time steps follow the dataset (InMoDeGAN Sec. 4:
1,3,5,7 on VoxCeleb2-mini, 1,3,5 on BAIR-robot), below presets and --set."""

import tomllib

import pytest

from ganzoo import cli, config, plugins
from ganzoo.config import DataConfig, resolve_run
from ganzoo.contracts import Discriminator, DiscriminatorRole
from ganzoo.data.open import dataset_name
from ganzoo.data.prepare import prepare
from ganzoo.errors import IncompatibleError
from conftest import make_plugin
from test_config import toy_spec
from test_data_formats import bair_root  # noqa: F401  (fixture)

SPEEDS = "model.discriminators.video.kwargs.speeds"


def speeds(run):
    return run.model.discriminators["video"].kwargs["speeds"]


@pytest.mark.parametrize("data, expected", [("bair", [1, 3, 5]), ("voxceleb2", [1, 3, 5, 7]),
                                            ("voxceleb2-mini", [1, 3, 5, 7]), ("moving-shapes", [1, 3, 5, 7])])
def test_inmodegan_paper_takes_the_datasets_tpd_speeds(data, expected):
    run = resolve_run("inmodegan", "paper", data=DataConfig(data))
    assert speeds(run) == expected
    assert run.model.discriminators["video"].kwargs["start"] == "fixed"  # the rest of the role is the spec's


def test_set_wins_then_a_preset_that_names_speeds_then_the_dataset():
    bair = DataConfig("bair")
    assert speeds(resolve_run("inmodegan", "paper", overrides=[f"{SPEEDS}=[1, 2]"], data=bair)) == [1, 2]
    assert speeds(resolve_run("inmodegan", "paper", overrides=["data.source=bair"])) == [1, 3, 5]
    assert speeds(resolve_run("inmodegan", "small", data=bair)) == [1, 3, 5]  # small names no speeds
    # tiny names [1, 3]; at 8 frames bair's [1, 3, 5] would fit, and tiny still keeps its own
    assert speeds(resolve_run("inmodegan", "tiny", overrides=["model.frames=8"], data=bair)) == [1, 3]
    with pytest.raises(IncompatibleError, match="speed v=5 needs at least 6 frames"):
        resolve_run("inmodegan", "paper", overrides=["model.frames=5"], data=bair)  # neither fits: the spec's error


@pytest.mark.parametrize("model", ["vgan", "tgan", "mocogan", "g3an"])
def test_a_baseline_swapped_to_tpd_takes_the_datasets_speeds(model):
    on_bair = resolve_run(model, "paper", "tpd", data=DataConfig("bair")).model.discriminators["video"]
    own = resolve_run(model, "paper", "tpd", data=DataConfig("moving-shapes")).model.discriminators["video"]
    assert on_bair.kwargs["speeds"] == [1, 3, 5] and own.kwargs["speeds"] == [1, 3, 5, 7]
    assert on_bair.weight == own.weight  # only the speeds change
    assert resolve_run(model, "paper", data=DataConfig("bair")).model.discriminators["video"].name != "tpd"


class UpToFrames(Discriminator):
    @classmethod
    def check(cls, frames, resolution, channels=3, speeds=(1,), **kwargs):
        if max(speeds) >= frames:
            raise IncompatibleError(f"speed {max(speeds)} needs more than {frames} frames")


@pytest.fixture
def toy_with_dataset(clean_plugins):
    from ganzoo.contracts import Generator, Loss

    plugins.register_plugin(make_plugin(
        "toyzoo", models=[("toy", toy_spec)], generators=[("toy-g", Generator)], losses=[("toy-loss", Loss)],
        discriminators=[("frame-d", Discriminator), ("video-d", Discriminator), ("long-d", Discriminator),
                        ("speed-d", UpToFrames)],
        regularizers=[("toy-r1", object)],
        datasets=[("toy-data", object, {"discriminator_kwargs": {"video-d": {"depth": 3}, "speed-d": {"speeds": [1, 9]}}})],
    ), "toyzoo")


def test_defaults_merge_by_name_and_give_way_when_they_do_not_fit(toy_with_dataset):
    data = DataConfig("toy-data")
    assert resolve_run("toy", data=data).model.discriminators["video"] == DiscriminatorRole("video-d", {"depth": 3}, 0.5)
    assert resolve_run("toy").model.discriminators["video"].kwargs == {"depth": 2}
    # a discriminator the spec does not list as an alternative gets the dataset's kwargs when they fit ...
    fits = resolve_run("toy", disc="speed-d", overrides=["model.frames=16"], data=data)
    assert fits.model.discriminators["video"] == DiscriminatorRole("speed-d", {"speeds": [1, 9]}, 0.5)
    # ... and its own defaults when they do not (8 frames): no error, config.toml says which
    assert resolve_run("toy", disc="speed-d", data=data).model.discriminators["video"].kwargs == {}


def test_a_clip_store_carries_its_dataset_into_train_config(bair_root, tmp_path):  # noqa: F811
    root, _ = bair_root
    store = tmp_path / "store"
    prepare("bair", root, store, resolution=16, frames=8, split="train", progress=False)
    assert dataset_name(store) == "bair" and dataset_name(tmp_path) is None and dataset_name("nowhere") is None
    out = tmp_path / "run"
    assert cli.main(["train", "--model", "vgan", "--preset", "tiny", "--disc", "tpd", "--data", str(store),
                     "--out", str(out), "--set", "model.iterations=1", "--set", "model.frames=8", "--no-progress"]) == 0
    saved = tomllib.loads((out / "config.toml").read_text())
    assert saved["model"]["discriminators"]["video"]["kwargs"]["speeds"] == [1, 3, 5]
    assert config.load_run(out / "config.toml").model.discriminators["video"].kwargs["speeds"] == [1, 3, 5]
