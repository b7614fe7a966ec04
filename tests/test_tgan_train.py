"""`ganzoo train --model tgan --preset tiny` with its own 3D critic and with `--disc tpd`; the
engine clips the critic's singular values after its step."""

import json

import pytest
import torch

from ganzoo import cli
from ganzoo.checkpoints import load_generator, read_checkpoint


@pytest.mark.parametrize("disc", [None, "tpd"])
def test_tiny_train_run_with_3d_and_tpd_video_discriminator(tmp_path, disc):
    out = tmp_path / "run"
    args = ["train", "--model", "tgan", "--preset", "tiny", "--data", "moving-shapes", "--out", str(out),
            "--set", "model.iterations=1", "--set", "model.regularizers.0.interval=1", "--no-progress"]
    assert cli.main(args + (["--disc", disc] if disc else [])) == 0
    result = json.loads((out / "result.json").read_text())
    assert result["step"] == 1 and all(torch.isfinite(torch.tensor(v)) for v in result["losses"].values())
    assert {"loss/D/video", "loss/G/video"} <= set(result["losses"])
    generator, card = load_generator(result["checkpoint"], ema=False)
    assert card["model"] == "tgan" and card["discriminators"]["video"] == (disc or "tgan-video")
    assert card["config"]["model"]["loss"]["name"] == "wgan"
    assert generator.eval().sample(2, generator=torch.Generator().manual_seed(0)).shape == (2, 3, 16, 16, 16)
    if disc is None:  # SVC ran after the critic step: every conv kernel, as (out, in*k*k*k), has sigma_max <= 1
        critic = read_checkpoint(result["checkpoint"])["discriminators"]["video"]
        kernels = [w for name, w in critic.items() if name.endswith("weight") and w.dim() >= 4]
        assert len(kernels) == 3
        for w in kernels:
            assert torch.linalg.matrix_norm(w.reshape(w.shape[0], -1).double(), ord=2) <= 1 + 1e-5


def test_incompatible_disc_and_unknown_preset_fail_before_training(tmp_path, capsys):
    base = ["train", "--model", "tgan", "--data", "moving-shapes", "--out", str(tmp_path / "bad"), "--no-progress"]
    assert cli.main(base + ["--preset", "tiny", "--disc", "tpd", "--set", "model.discriminators.video.kwargs.speeds=[3, 16]"]) == 2
    assert "speed v=16 needs at least 17 frames" in capsys.readouterr().err
    assert cli.main(base + ["--preset", "paper", "--set", "model.frames=8"]) == 2
    assert "multiple of 16, the model makes 8" in capsys.readouterr().err
    assert cli.main(base + ["--preset", "tinny"]) == 2
    assert "its presets: paper, small, tiny" in capsys.readouterr().err
    assert not (tmp_path / "bad" / "checkpoints").exists()


def test_list_models_shows_citation_and_presets(capsys):
    assert cli.main(["list", "models"]) == 0
    text = capsys.readouterr().out
    block = text[text.index("tgan  [tgan]"):]
    assert "16 frames at 64px; D: video=tgan-video; presets: paper, small, tiny" in block
    assert "Temporal Generative Adversarial Nets with Singular Value Clipping" in block
