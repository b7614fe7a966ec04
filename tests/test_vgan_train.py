"""`ganzoo train --model vgan --preset tiny` with its own 3D discriminator and with `--disc tpd`."""

import json

import pytest
import torch

from ganzoo import cli
from ganzoo.checkpoints import load_generator


@pytest.mark.parametrize("disc", [None, "tpd"])
def test_tiny_train_run_with_3d_and_tpd_video_discriminator(tmp_path, disc):
    out = tmp_path / "run"
    args = ["train", "--model", "vgan", "--preset", "tiny", "--data", "moving-shapes", "--out", str(out),
            "--set", "model.iterations=1", "--no-progress"] + (["--disc", disc] if disc else [])
    assert cli.main(args) == 0
    result = json.loads((out / "result.json").read_text())
    assert result["step"] == 1 and all(torch.isfinite(torch.tensor(v)) for v in result["losses"].values())
    assert {"loss/D/video", "loss/G/video"} <= set(result["losses"])
    generator, card = load_generator(result["checkpoint"], ema=False)
    assert card["model"] == "vgan" and card["discriminators"]["video"] == (disc or "vgan-video")
    parts = generator.eval().parts(generator.make_latent(2, generator=torch.Generator().manual_seed(0)))
    assert parts["video"].shape == (2, 3, 16, 16, 16)
    assert parts["mask"].min() >= 0 and parts["mask"].max() <= 1


def test_incompatible_disc_and_unknown_preset_fail_before_training(tmp_path, capsys):
    base = ["train", "--model", "vgan", "--data", "moving-shapes", "--out", str(tmp_path / "bad"), "--no-progress"]
    assert cli.main(base + ["--preset", "tiny", "--disc", "tpd", "--set", "model.discriminators.video.kwargs.speeds=[1, 16]"]) == 2
    assert "speed v=16 needs at least 17 frames" in capsys.readouterr().err
    assert cli.main(base + ["--preset", "tiny", "--set", "model.frames=10"]) == 2
    assert "multiple of 4, the model makes 10" in capsys.readouterr().err
    assert cli.main(base + ["--preset", "huge"]) == 2
    assert "its presets: paper, small, tiny" in capsys.readouterr().err
    assert not (tmp_path / "bad" / "checkpoints").exists()


def test_list_models_shows_citation_and_presets(capsys):
    assert cli.main(["list", "models"]) == 0
    text = capsys.readouterr().out
    block = text[text.index("vgan  [vgan]"):]
    assert "32 frames at 64px; D: video=vgan-video; presets: paper, small, tiny" in block
    assert "Generating Videos with Scene Dynamics" in block
