"""fid-frames: per-frame image FID with Inception-v3 as pytorch-fid uses it (the TF FID graph):
the layout of pytorch-fid's weights file, the graph's pooling differences, and a score of two
frame-folder sets through `ganzoo eval` (random weights: the machinery, not the number)."""

import json
import warnings

import numpy as np
import pytest
import torch
from PIL import Image

from ganzoo import cli
from ganzoo_metrics.inception import FidInceptionE, FidInceptionEMax, FidInceptionV3
from ganzoo_metrics.protocols import FidFrames


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "cache"))
    warnings.filterwarnings("ignore", message=".*samples for .*-d features")


def test_layout_is_pytorch_fids_weights_file():
    state = FidInceptionV3().net.state_dict()
    shapes = {k: tuple(v.shape) for k, v in state.items() if not k.endswith("num_batches_tracked")}
    assert shapes["Conv2d_1a_3x3.conv.weight"] == (32, 3, 3, 3)
    assert shapes["Mixed_5b.branch_pool.conv.weight"] == (32, 192, 1, 1)
    assert shapes["Mixed_7c.branch_pool.conv.weight"] == (192, 2048, 1, 1)
    assert shapes["fc.weight"] == (1008, 2048)  # the TF graph's 1008 classes
    assert not any(k.startswith("AuxLogits") for k in shapes)
    assert len(shapes) == 94 * 5 + 2  # 94 conv+BN blocks (conv weight, BN weight, bias, mean, var) and fc
    assert len(state) == 566  # with BN's num_batches_tracked: the entry count reported for the published file


def test_last_block_max_pools_and_padding_is_not_averaged_in():
    torch.manual_seed(0)
    avg, top = FidInceptionE(2048).eval(), FidInceptionEMax(2048).eval()
    top.load_state_dict(avg.state_dict())
    x = torch.rand(1, 2048, 8, 8)
    with torch.no_grad():
        assert not torch.allclose(avg(x), top(x))
        pooled = avg._forward(torch.ones(1, 2048, 8, 8))[-1]
        assert torch.allclose(pooled[..., 0, 0], pooled[..., 3, 3])  # a constant input stays constant at the border


def test_fid_frames_scores_frame_folders_with_pytorch_fid_weights(tmp_path, capsys):
    torch.manual_seed(1)
    weights = tmp_path / "pt_inception-2015-12-05-6726825d.pth"
    torch.save(FidInceptionV3().net.state_dict(), weights)
    rng = np.random.default_rng(0)
    for name, base in (("a", 40), ("b", 160)):
        for v in range(1):  # one video of 16 frames a set: 16 images each (CPU time)
            folder = tmp_path / name / f"v{v}"
            folder.mkdir(parents=True)
            for t in range(16):
                Image.fromarray(rng.integers(base, base + 60, (16, 16, 3), dtype=np.uint8)).save(folder / f"{t}.png")
    assert cli.main(["eval", "--metric", "fid-frames", "--weights", str(weights), str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    assert "6726825d0af5f729cebd5821db510b11b1cfad8faad88a03f1befd49fb9129b2" in capsys.readouterr().err
    assert cli.main(["eval", "--metric", "fid-frames", "--weights", str(weights), "--allow-unknown-weights", "--n", "2",
                     "--json", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["value"] > 0 and data["protocol"]["metric"] == "fid-frames"
    assert data["protocol"]["weights"]["published_sha256"].startswith("6726825d")
    metric = FidFrames(weights=weights, allow_unknown_weights=True)
    video = torch.from_numpy(np.stack([np.asarray(Image.open(tmp_path / "a" / "v0" / f"{t}.png")) for t in range(16)]))
    feats = metric.features([video.permute(3, 0, 1, 2)[None]])
    assert feats.shape == (16, 2048)  # one row per frame
    with torch.no_grad():
        direct = metric.net(video[5].permute(2, 0, 1)[None].float() / 255)
    torch.testing.assert_close(torch.from_numpy(feats[5]).float(), direct[0], rtol=1e-4, atol=1e-4)
