"""`ganzoo train --model g3an --preset tiny` with its own 3D video D and with `--disc tpd`."""

import json

import pytest
import torch

from ganzoo import cli
from ganzoo.checkpoints import load_generator


@pytest.mark.parametrize("disc", [None, "tpd"])
def test_tiny_train_run_with_3d_and_tpd_video_discriminator(tmp_path, disc):
    out = tmp_path / "run"
    args = ["train", "--model", "g3an", "--preset", "tiny", "--data", "moving-shapes", "--out", str(out),
            "--set", "model.iterations=1", "--no-progress"] + (["--disc", disc] if disc else [])
    assert cli.main(args) == 0
    result = json.loads((out / "result.json").read_text())
    assert result["step"] == 1 and all(torch.isfinite(torch.tensor(v)) for v in result["losses"].values())
    assert {"loss/D/image", "loss/D/video", "loss/G/video"} <= set(result["losses"])
    generator, card = load_generator(result["checkpoint"], ema=False)
    assert card["discriminators"]["video"] == (disc or "g3an-video")
    video = generator.eval().sample(2, frames=24, generator=torch.Generator().manual_seed(0))
    assert video.shape == (2, 3, 24, 16, 16)  # a longer motion noise makes 4 * (3 + 3) frames


def test_incompatible_tpd_speed_and_unknown_preset_fail_before_training(tmp_path, capsys):
    base = ["train", "--model", "g3an", "--data", "moving-shapes", "--out", str(tmp_path / "bad"), "--no-progress"]
    assert cli.main(base + ["--preset", "tiny", "--disc", "tpd", "--set", "model.discriminators.video.kwargs.speeds=[1, 17]"]) == 2
    assert "speed v=17 needs at least 18 frames" in capsys.readouterr().err
    assert cli.main(base + ["--preset", "huge"]) == 2
    assert "its presets: paper, small, tiny" in capsys.readouterr().err
    assert not (tmp_path / "bad" / "checkpoints").exists()
