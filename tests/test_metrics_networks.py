"""Feature networks: layer structure and state-dict keys of the published checkpoints, loading
them in their distributed formats, and clear errors for missing or wrong files."""

import collections

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ganzoo.errors import GanzooError
from ganzoo.metrics.weights import WeightsFile, check_weights, resolve_weights, sha256_file
from ganzoo_metrics.c3d import C3D
from ganzoo_metrics.protocols import FidResNeXt101, FvdI3D, IsC3D, KINETICS_MEAN
from ganzoo_metrics.resnext import ResNeXt3D
from ganzoo_metrics.shapes_net import ShapesNet


def randomise_batch_norm(net, seed):
    """Non-trivial BN statistics, so that a misplaced BN would change the features."""
    g = torch.Generator().manual_seed(seed)
    for name, module in net.named_modules():
        if isinstance(module, (torch.nn.BatchNorm3d,)):
            c = module.num_features
            module.running_mean.copy_(torch.randn(c, generator=g) * 0.1)
            module.running_var.copy_(torch.rand(c, generator=g) + 0.5)
            module.weight.data.copy_(torch.rand(c, generator=g) * 0.5 + 0.25)
            module.bias.data.copy_(torch.randn(c, generator=g) * 0.1)
    return net


@pytest.fixture(scope="module")
def resnext_checkpoint(tmp_path_factory):
    """A file in the published format of resnext-101-kinetics.pth: a dict with 'state_dict',
    nn.DataParallel's 'module.' prefix, and no BN 'num_batches_tracked' (saved by PyTorch 0.3)."""
    torch.manual_seed(0)
    net = randomise_batch_norm(ResNeXt3D(), 1).eval()
    state = collections.OrderedDict(
        (f"module.{k}", v) for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")
    )
    path = tmp_path_factory.mktemp("weights") / "resnext-101-kinetics.pth"
    torch.save({"epoch": 200, "arch": "resnext-101", "state_dict": state}, path)
    return path, {k[len("module."):]: v for k, v in state.items()}


def test_resnext101_layout_matches_the_published_checkpoint(resnext_checkpoint):
    _, state = resnext_checkpoint
    blocks = {stage: len({k.split(".")[1] for k in state if k.startswith(f"layer{stage}.")}) for stage in range(1, 5)}
    assert blocks == {1: 3, 2: 4, 3: 23, 4: 3}  # ResNeXt-101
    assert tuple(state["conv1.weight"].shape) == (64, 3, 7, 7, 7)
    assert tuple(state["layer1.0.conv2.weight"].shape) == (128, 4, 3, 3, 3)  # cardinality 32: 128 / 32 inputs per group
    assert tuple(state["layer1.0.downsample.0.weight"].shape) == (256, 64, 1, 1, 1)  # shortcut B
    assert tuple(state["layer3.22.conv3.weight"].shape) == (1024, 512, 1, 1, 1)
    assert tuple(state["layer4.0.downsample.0.weight"].shape) == (2048, 1024, 1, 1, 1)
    assert tuple(state["fc.weight"].shape) == (400, 2048)
    downsampled = sorted(k.split(".downsample")[0] for k in state if k.endswith("downsample.0.weight"))
    assert downsampled == ["layer1.0", "layer2.0", "layer3.0", "layer4.0"]
    assert sum(v.numel() for k, v in state.items() if "running" not in k) == 48_340_816


def reference_resnext_features(sd, x):
    """The published ResNeXt-101 forward pass written as plain functional calls, ending in the
    published AvgPool3d((1, 4, 4)) of the 16x112x112 model."""
    def bn(t, p):
        return F.batch_norm(t, sd[p + ".running_mean"], sd[p + ".running_var"], sd[p + ".weight"], sd[p + ".bias"], False, 0.0, 1e-5)

    x = F.max_pool3d(F.relu(bn(F.conv3d(x, sd["conv1.weight"], stride=(1, 2, 2), padding=3), "bn1")), 3, 2, 1)
    for stage, count in zip(range(1, 5), (3, 4, 23, 3)):
        for b in range(count):
            p, stride = f"layer{stage}.{b}", (2 if stage > 1 and b == 0 else 1)
            out = F.relu(bn(F.conv3d(x, sd[p + ".conv1.weight"]), p + ".bn1"))
            out = F.relu(bn(F.conv3d(out, sd[p + ".conv2.weight"], stride=stride, padding=1, groups=32), p + ".bn2"))
            out = bn(F.conv3d(out, sd[p + ".conv3.weight"]), p + ".bn3")
            short = bn(F.conv3d(x, sd[p + ".downsample.0.weight"], stride=stride), p + ".downsample.1") if b == 0 else x
            x = F.relu(out + short)
    return F.avg_pool3d(x, (1, 4, 4), stride=1).flatten(1)


def test_fid_resnext101_loads_the_published_format_and_matches_the_reference(resnext_checkpoint):
    path, state = resnext_checkpoint
    metric = FidResNeXt101(weights=path, allow_unknown_weights=True)
    video = torch.randint(0, 256, (1, 3, 20, 90, 120), generator=torch.Generator().manual_seed(2), dtype=torch.uint8)
    feats = metric.features([video])
    assert feats.shape == (1, 2048)
    clip = metric.prepare(video)
    assert clip.shape == (1, 3, 16, 112, 112) and clip.dtype == torch.uint8
    torch.testing.assert_close(clip, metric.prepare(video[:, :, 2:18]))  # the 16 centre frames of 20
    x = clip.float() - torch.tensor(KINETICS_MEAN).view(1, 3, 1, 1, 1)
    with torch.no_grad():
        expected = reference_resnext_features(state, x)
    torch.testing.assert_close(torch.from_numpy(feats).float(), expected, rtol=1e-4, atol=1e-4 * expected.abs().max().item())
    protocol = metric.protocol()
    assert protocol["weights"]["sha256"] == sha256_file(path) and len(protocol["weights"]["sha256"]) == 64
    assert protocol["frames"] == 16 and protocol["resolution"] == 112 and "114.7748" in protocol["preprocessing"]


def test_folded_resnext_gives_the_unfolded_statistics():
    """Issue 17.2: batch norm folded into the convs, channels-last: features, and so the Frechet
    statistics (mu, sigma), equal the unfolded network's within 1e-4 relative."""
    torch.manual_seed(0)
    net = randomise_batch_norm(ResNeXt3D(layers=(1, 2, 2, 1)), 3).eval()
    fast = net.for_inference()
    assert not any(isinstance(m, torch.nn.BatchNorm3d) for m in fast.modules())
    assert sum(p.numel() for p in net.parameters()) > sum(p.numel() for p in fast.parameters())  # BN gone, biases in
    x = torch.randint(0, 256, (12, 3, 16, 32, 32), generator=torch.Generator().manual_seed(4)).float() - 110
    with torch.no_grad():
        a, b = net(x).double().numpy(), fast(x).double().numpy()
    for x_, y_ in ((a.mean(0), b.mean(0)), (np.cov(a, rowvar=False), np.cov(b, rowvar=False))):
        assert np.abs(x_ - y_).max() <= 1e-4 * np.abs(y_).max()


def test_wrong_resnext_files_name_the_mismatch(resnext_checkpoint, tmp_path):
    _, state = resnext_checkpoint
    bad = dict(state)
    bad["fc.weight"] = torch.zeros(101, 2048)
    torch.save({"state_dict": bad}, tmp_path / "ucf.pth")
    with pytest.raises(GanzooError, match=r"fc.weight has shape \(101, 2048\), 3D ResNeXt-101 needs \(400, 2048\)"):
        FidResNeXt101(weights=tmp_path / "ucf.pth", allow_unknown_weights=True).net
    torch.save(ShapesNet().state_dict(), tmp_path / "other.pt")
    with pytest.raises(GanzooError, match=r"does not fit 3D ResNeXt-101: missing conv1.weight.*unexpected body"):
        FidResNeXt101(weights=tmp_path / "other.pt", allow_unknown_weights=True).net
    (tmp_path / "text.pth").write_text("not a checkpoint")
    with pytest.raises(GanzooError, match=r"weights file .*text.pth is not a torch checkpoint, or is corrupt"):
        FidResNeXt101(weights=tmp_path / "text.pth", allow_unknown_weights=True).net


def test_missing_weights_say_what_file_where_and_its_checksum(tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_WEIGHTS_DIR", str(tmp_path))
    with pytest.raises(GanzooError) as err:
        FidResNeXt101().net
    message = str(err.value)
    assert "'resnext-101-kinetics.pth'" in message and "kenshohara/3D-ResNets-PyTorch" in message
    assert "SHA-256 unknown" in message and "--weights FILE" in message and "\n" not in message
    with pytest.raises(GanzooError, match=r"weights file .*nope.pt' for .* does not exist"):
        FidResNeXt101(weights=tmp_path / "nope.pt", allow_unknown_weights=True).net
    (tmp_path / "x.pt").write_bytes(b"abc")
    spec = WeightsFile("x.pt", "somewhere", "0" * 64)
    with pytest.raises(GanzooError, match=r"x.pt' has SHA-256 ba7816bf.*the published x.pt \(somewhere\) has SHA-256 0000"):
        check_weights(spec, resolve_weights(spec))


def test_c3d_layout_and_is_c3d_on_a_fake_ucf101_checkpoint(tmp_path):
    torch.manual_seed(3)
    net = C3D()
    names = [k for k in net.state_dict() if k.endswith(".weight")]
    assert names == ["conv1a.weight", "conv2a.weight", "conv3a.weight", "conv3b.weight", "conv4a.weight", "conv4b.weight",
                     "conv5a.weight", "conv5b.weight", "fc6.weight", "fc7.weight", "fc8.weight"]
    assert tuple(net.fc6.weight.shape) == (4096, 8192) and tuple(net.fc8.weight.shape) == (101, 4096)
    # the PyTorch port's key names (conv1, conv2), weights scaled so logits are not saturated
    state = {k.replace("conv1a", "conv1").replace("conv2a", "conv2"): v * 0.5 for k, v in net.state_dict().items()}
    torch.save({**state, "mean": torch.tensor([90.0, 98.0, 102.0])}, tmp_path / "c3d_ucf101.pt")
    metric = IsC3D(weights=tmp_path / "c3d_ucf101.pt", allow_unknown_weights=True)
    loaded = metric.net
    torch.testing.assert_close(loaded.conv1a.weight, net.conv1a.weight * 0.5)
    videos = torch.randint(0, 256, (10, 3, 20, 64, 64), generator=torch.Generator().manual_seed(4), dtype=torch.uint8)
    prepared = metric.prepare(videos)
    assert prepared.shape == (10, 3, 16, 128, 171) and prepared.dtype == torch.uint8
    seen = []

    def spy(x):  # stands in for C3D's forward (38 GFLOP a clip: the real pass is in the slow test)
        seen.append(x)
        return torch.randn(len(x), 101, generator=torch.Generator().manual_seed(len(seen)))

    spy.bgr_mean = loaded.bgr_mean
    probs = metric.embed(spy, prepared)
    x = seen[0]
    assert x.shape == (10, 3, 16, 112, 112)
    expected = prepared[:, [2, 1, 0], :, 8:120, 29:141].float() - torch.tensor([90.0, 98.0, 102.0]).view(1, 3, 1, 1, 1)
    torch.testing.assert_close(x, expected)  # BGR, minus the mean, then the 112x112 centre crop
    torch.testing.assert_close(probs.sum(1), torch.ones(10))
    value = metric.score(None, type("S", (), {"features": probs.double().numpy()})())
    assert 1.0 <= value["is-c3d"] <= 101.0 and value["is-c3d-std"] >= 0
    torch.save({"fc8.weight": state["fc8.weight"]}, tmp_path / "nomean.pt")  # checked before any layer loads
    with pytest.raises(GanzooError, match="has no 'mean' entry"):
        IsC3D(weights=tmp_path / "nomean.pt", allow_unknown_weights=True).net
    sports = {"fc8.weight": torch.zeros(487, 4096), "fc8.bias": torch.zeros(487), "mean": torch.zeros(3)}
    torch.save(sports, tmp_path / "sports1m.pt")
    with pytest.raises(GanzooError, match="fc8 has 487 classes, the UCF101 C3D has 101"):
        IsC3D(weights=tmp_path / "sports1m.pt", allow_unknown_weights=True).net


class FakeI3D(torch.nn.Module):
    """Same call signature as StyleGAN-V's i3d_torchscript.pt."""

    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(3 * 4, 400)

    def forward(self, x, rescale: bool = False, resize: bool = False, return_features: bool = False):
        if rescale:
            x = x / 127.5 - 1.0
        if resize:
            x = F.interpolate(x, size=(x.shape[2], 224, 224), mode="trilinear", align_corners=False)
        pooled = F.adaptive_avg_pool3d(x, (1, 2, 2)).flatten(1)
        logits = self.proj(pooled)
        return logits if return_features else logits.softmax(1)


@pytest.mark.slow
def test_c3d_full_forward_on_protocol_input():
    net = C3D().eval()
    with torch.no_grad():
        logits = net(torch.randn(1, 3, 16, 112, 112))
    assert logits.shape == (1, 101)  # pool5's (0, 1, 1) padding makes the 8192 inputs of fc6


def test_fvd_i3d_loads_torchscript_and_calls_it_as_stylegan_v(tmp_path):
    torch.manual_seed(5)
    fake = FakeI3D()
    torch.jit.script(fake).save(str(tmp_path / "i3d_torchscript.pt"))
    metric = FvdI3D(weights=tmp_path / "i3d_torchscript.pt", allow_unknown_weights=True)
    videos = torch.randint(0, 256, (2, 3, 20, 64, 80), generator=torch.Generator().manual_seed(6), dtype=torch.uint8)
    feats = metric.features([videos])
    with torch.no_grad():
        expected = fake(videos[:, :, 2:18].float(), rescale=True, resize=True, return_features=True)
    torch.testing.assert_close(torch.from_numpy(feats).float(), expected, rtol=1e-5, atol=1e-5)
    torch.save({"a": torch.zeros(2)}, tmp_path / "state.pt")
    with pytest.raises(GanzooError, match=r"state.pt' is not a TorchScript I3D detector"):
        FvdI3D(weights=tmp_path / "state.pt", allow_unknown_weights=True).net
