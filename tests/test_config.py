import json

import attrs
import pytest

from ganzoo import config, plugins
from ganzoo.contracts import Discriminator, DiscriminatorRole, Generator, Loss, ModelSpec, NetSpec, OptimizerSpec, RegularizerSpec
from ganzoo.errors import ConfigError, IncompatibleError, UnknownNameError

from conftest import make_plugin


class NeedsSixteenFrames(Discriminator):
    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        if frames < 16:
            raise IncompatibleError(f"needs at least 16 frames, the model makes {frames}")


def toy_spec():
    return ModelSpec(
        name="toy",
        generator=NetSpec("toy-g", {"width": 8}),
        discriminators={"image": DiscriminatorRole("frame-d"), "video": DiscriminatorRole("video-d", {"depth": 2}, 0.5)},
        loss=NetSpec("toy-loss"),
        optimizers={"generator": OptimizerSpec(), "discriminators": OptimizerSpec(lr=0.001)},
        frames=8, resolution=32, batch_size=4, iterations=100,
        regularizers=[RegularizerSpec("toy-r1", {"gamma": 1.0}, interval=16)],
        ema=0.999,
        video_alternatives={"long-d": DiscriminatorRole("long-d", {"speeds": [1, 2]}, 0.25)},
        presets={"tiny": {"resolution": 16, "generator.kwargs.width": 4}},
    )


@pytest.fixture
def toy(clean_plugins):
    plugins.register_plugin(make_plugin(
        "toyzoo",
        models=[("toy", toy_spec)],
        generators=[("toy-g", Generator)],
        discriminators=[("frame-d", Discriminator), ("video-d", Discriminator), ("long-d", NeedsSixteenFrames)],
        losses=[("toy-loss", Loss)],
        regularizers=[("toy-r1", object)],
    ), "toyzoo")


def test_run_config_round_trips_through_toml_and_json(toy, tmp_path):
    run = config.resolve_run("toy", "tiny", overrides=["schedule.log_every=3"], seed=7)
    for name in ("config.toml", "config.json"):
        config.save_run(run, tmp_path / name)
        assert config.load_run(tmp_path / name) == run
    assert run.model.resolution == 16 and run.model.generator.kwargs["width"] == 4 and run.model.preset == "tiny"


def test_set_converts_types_and_allows_new_kwargs(toy):
    run = config.resolve_run("toy", overrides=["model.ema=1", "model.generator.kwargs.extra=[1, 2]", "device=cuda"])
    assert run.model.ema == 1.0 and isinstance(run.model.ema, float)
    assert run.model.generator.kwargs["extra"] == [1, 2]
    assert run.device == "cuda"


def test_set_wrong_type_names_key_and_expected_type(toy):
    with pytest.raises(ConfigError, match=r"--set model.frames='many': expected int \(like 8\), got str"):
        config.resolve_run("toy", overrides=["model.frames=many"])


def test_set_unknown_key_suggests(toy):
    with pytest.raises(ConfigError, match=r"unknown config key 'model.frmes'; did you mean 'model.frames'"):
        config.resolve_run("toy", overrides=["model.frmes=8"])


def test_set_without_equals_is_an_error(toy):
    with pytest.raises(ConfigError, match="expected KEY=VALUE"):
        config.resolve_run("toy", overrides=["model.frames"])


def test_unknown_key_in_file_names_file_and_suggests(toy, tmp_path):
    data = config.to_data(config.resolve_run("toy"))
    data["schedule"]["log_evry"] = 5
    path = tmp_path / "run.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=r"run.json: unknown key 'schedule.log_evry'; did you mean 'schedule.log_every'"):
        config.load_run(path)


def test_malformed_toml_and_json_name_the_file(tmp_path):
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("[model\nframes = 3\n")
    with pytest.raises(ConfigError, match=r"malformed TOML in .*bad.toml: .*line 1"):
        config.load_file(bad_toml)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{'frames': 3}")
    with pytest.raises(ConfigError, match=r"malformed JSON in .*bad.json"):
        config.load_file(bad_json)


def test_unknown_preset_lists_presets(toy):
    with pytest.raises(ConfigError, match="model 'toy' has no preset 'smal'; its presets: paper, tiny"):
        config.resolve_run("toy", "smal")


def test_disc_swap_replaces_only_the_video_role(toy):
    base = config.resolve_run("toy").model
    swapped = config.resolve_run("toy", disc="frame-d").model
    assert swapped.discriminators["image"] == base.discriminators["image"]
    assert swapped.discriminators["video"] == DiscriminatorRole("frame-d", {}, 0.5)  # keeps the weight
    assert attrs.evolve(swapped, discriminators=base.discriminators) == base


def test_disc_swap_uses_the_specs_alternative_and_checks_frames(toy):
    with pytest.raises(IncompatibleError, match="role 'video': needs at least 16 frames, the model makes 8"):
        config.resolve_run("toy", disc="long-d")
    run = config.resolve_run("toy", disc="long-d", overrides=["model.frames=16"])
    assert run.model.discriminators["video"] == DiscriminatorRole("long-d", {"speeds": [1, 2]}, 0.25)


def test_disc_swap_unknown_name_suggests(toy):
    with pytest.raises(UnknownNameError, match="unknown discriminator 'vide-d'; did you mean 'video-d'"):
        config.resolve_run("toy", disc="vide-d")
