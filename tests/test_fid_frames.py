"""fid-frames: per-frame image FID with Inception-v3 as pytorch-fid uses it (the TF FID graph):
the layout of pytorch-fid's weights file, the graph's pooling differences, and a score of two
frame-folder sets through `ganzoo eval` (random weights: the machinery, not the number)."""

import json

import numpy as np
import pytest
import torch
from PIL import Image

from ganzoo import cli
from ganzoo_metrics.inception import FidInceptionV3
from ganzoo_metrics.protocols import FidFrames

from conftest import FEW_SAMPLES_WARNING

pytestmark = [pytest.mark.usefixtures("private_cache"), pytest.mark.filterwarnings(FEW_SAMPLES_WARNING)]


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


def test_same_function_as_torchvisions_inception_with_the_fid_graphs_pools():
    """An independent build of the same network: torchvision's Inception3 with pytorch-fid's
    changes (unpadded average pools, a max pool in Mixed_7c) gives the same features on the same
    weights; its unchanged pools do not (so the changes are what the test sees)."""
    import torch.nn.functional as F
    from torchvision.models import inception  # the test extra's independent reference

    def pooled(base, pool):
        class Block(base):
            def _forward(self, x):
                out = super()._forward(x)
                out[-1] = self.branch_pool(pool(x))
                return out
        return Block

    avg = pooled(inception.InceptionA, lambda x: F.avg_pool2d(x, 3, 1, 1, count_include_pad=False))
    blocks = [inception.BasicConv2d, avg, inception.InceptionB,
              pooled(inception.InceptionC, lambda x: F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)),
              inception.InceptionD, pooled(inception.InceptionE, lambda x: F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)),
              inception.InceptionAux]
    reference = inception.Inception3(num_classes=1008, aux_logits=False, inception_blocks=blocks, init_weights=False)
    reference.Mixed_7c = pooled(inception.InceptionE, lambda x: F.max_pool2d(x, 3, 1, 1))(2048)
    plain = inception.Inception3(num_classes=1008, aux_logits=False, init_weights=False)
    ours = FidInceptionV3()
    torch.manual_seed(2)
    state = {k: (torch.rand_like(v) + 0.5 if k.endswith("running_var") else torch.randn_like(v) * 0.1)
             if v.dtype.is_floating_point else v for k, v in reference.state_dict().items()}
    for net in (reference, plain, ours.net):
        net.load_state_dict(state)
        net.eval()
    reference.fc = plain.fc = torch.nn.Identity()
    images = torch.rand(2, 3, 40, 52)
    with torch.no_grad():
        x = F.interpolate(images, size=(299, 299), mode="bilinear", align_corners=False) * 2 - 1
        expected, unchanged, got = reference(x), plain(x), ours(images)
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-6)
    assert not torch.allclose(got, unchanged, rtol=1e-3, atol=1e-4)


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
