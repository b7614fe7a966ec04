"""A tiny InMoDeGAN run through the real engine: with TPD, and with a 3D video D swapped in (Tab. 2)."""

import json

import pytest
import torch

from ganzoo.config import DataConfig, resolve_run
from ganzoo.errors import IncompatibleError
from ganzoo_inmodegan import InMoDeGANGenerator
from ganzoo_tpd import TemporalPyramidDiscriminator

FAST = ["schedule.log_every=1", "schedule.sample_every=0", "schedule.checkpoint_every=0", "model.iterations=2"]
DATA = DataConfig("moving-shapes", {"size": 8})


def run_tiny(tmp_path, disc=None, extra=()):
    from ganzoo.train import train
    from ganzoo.checkpoints import load_generator

    run = resolve_run("inmodegan", "tiny", disc, [*FAST, *extra], data=DATA)
    result = train(run, tmp_path / "run", progress=False)
    assert result["step"] == 2 and result["skipped_nonfinite"] == 0
    g, card = load_generator(result["checkpoint"])
    return result, g, card


def test_tiny_run_with_tpd(tmp_path):
    result, g, card = run_tiny(tmp_path)
    assert card["discriminators"] == {"image": "stylegan2-image", "video": "tpd"}
    assert {"loss/D/image", "loss/D/video", "reg/r1/video"} <= set(result["losses"])
    assert isinstance(g, InMoDeGANGenerator)
    video = g.sample(2, frames=12, generator=torch.Generator().manual_seed(0))  # longer than trained
    assert video.shape == (2, 3, 12, 16, 16) and video.abs().max() <= 1
    logged = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    for role in ("image", "video"):  # each D's real/fake separation, per TPD speed too
        assert all(0.0 <= entry[f"d_acc/{role}"] <= 1.0 and f"d_gap/{role}" in entry for entry in logged)
    assert all({"d_acc/video/1", "d_acc/video/3"} <= set(entry) for entry in logged)


def test_tiny_run_with_3d_video_discriminator_swapped_in(tmp_path):
    with pytest.raises(IncompatibleError, match="mocogan-video"):  # 4 frames are too few for it
        resolve_run("inmodegan", "tiny", "mocogan-video", [*FAST, "model.frames=4"], data=DATA)
    result, g, card = run_tiny(tmp_path, "mocogan-video", ["model.discriminators.video.kwargs.width=8"])
    assert card["discriminators"]["video"] == "mocogan-video"
    assert card["config"]["model"]["discriminators"]["video"]["weight"] == 0.5
    assert g.sample(1).shape == (1, 3, 8, 16, 16)


def test_tpd_plugs_into_another_model():
    run = resolve_run("mocogan", "tiny", "tpd")
    role = run.model.discriminators["video"]
    d = TemporalPyramidDiscriminator(frames=run.model.frames, resolution=run.model.resolution,
                                     **{**role.kwargs, "channel_base": 64, "channel_max": 8})
    video = torch.rand(2, 3, run.model.frames, run.model.resolution, run.model.resolution) * 2 - 1
    assert len(d(video)) == len(role.kwargs["speeds"])


def test_path_length_is_off_and_turns_on_from_config_toml(tmp_path):
    """StyleGAN2's path length regularization is not in the paper, so the spec leaves it out; the
    way in documented in ganzoo_inmodegan: one more entry in config.toml's regularizers, then
    ``ganzoo train --resume``."""
    import json

    from ganzoo import cli

    assert [r.name for r in resolve_run("inmodegan", "paper").model.regularizers] == ["r1"]
    out = tmp_path / "run"
    assert cli.main(["train", "--model", "inmodegan", "--preset", "tiny", "--data", "moving-shapes", "--out", str(out),
                     "--set", "model.iterations=1", "--no-progress"]) == 0  # 0 is "nothing to train" (issue 18.1)
    text = (out / "config.toml").read_text()
    entry = '{ name = "path-length", kwargs = { weight = 2.0 }, target = "generator", interval = 1 },'
    (out / "config.toml").write_text(text.replace("interval = 16 },\n", "interval = 16 },\n    " + entry + "\n", 1))
    assert cli.main(["train", "--resume", "--out", str(out), "--no-progress",
                     "--set", "model.iterations=2", "--set", "schedule.log_every=1"]) == 0
    row = json.loads((out / "log.jsonl").read_text().splitlines()[-1])
    assert row["reg/path-length"] > 0
