"""`evaluate` and `ganzoo eval`: sources, reproducibility, saved statistics, the protocol."""

import json

import numpy as np
import pytest
import torch
from torch import nn

from ganzoo import cli, plugins
from ganzoo.contracts import Generator
from ganzoo.errors import GanzooError
from ganzoo.metrics import evaluate, load_stats
from ganzoo.video import write_video
from ganzoo_metrics.protocols import FidShapes, FvdShapes, IsC3D
from ganzoo_metrics.shapes_net import ShapesNet

from conftest import FEW_SAMPLES_WARNING

pytestmark = [pytest.mark.usefixtures("private_cache"), pytest.mark.filterwarnings(FEW_SAMPLES_WARNING)]


class SmallG(Generator):
    """A few-layer generator with a dict latent, any frame count (a stand-in for a model)."""

    def __init__(self, resolution=32, z=8):
        super().__init__()
        self.frames, self.resolution, self.z = 16, resolution, z
        self.fc = nn.Linear(2 * z, 3 * 8 * 8)
        self.up = nn.Upsample(size=(resolution, resolution), mode="bilinear")

    def make_latent(self, batch, frames=None, generator=None):
        frames = self.check_frames(frames)
        return {"content": self.randn(batch, self.z, generator=generator),
                "motion": self.randn(batch, frames, self.z, generator=generator).cumsum(1) * 0.2}

    def forward(self, latent):
        c, m = latent["content"], latent["motion"]
        b, t = m.shape[:2]
        x = self.fc(torch.cat([c[:, None].expand(-1, t, -1), m], 2)).view(b * t, 3, 8, 8)
        return torch.tanh(self.up(x)).view(b, t, 3, self.resolution, self.resolution).transpose(1, 2)


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    """A ShapesNet state dict with random weights: every test here is about the machinery."""
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("w") / "shapes_random.pt"
    torch.save(ShapesNet().state_dict(), path)
    return path


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Two folders of real mp4 files: 20 frames of 40x48, odd sizes and lengths on purpose."""
    root = tmp_path_factory.mktemp("videos")
    rng = np.random.default_rng(0)
    for name, brightness in (("a", 60), ("b", 170)):
        folder = root / name
        folder.mkdir()
        for i in range(6):
            base = rng.integers(0, 60, (1, 40, 48, 3))
            ramp = np.arange(20)[:, None, None, None] * (3 + i)
            write_video(folder / f"v{i}.mp4", np.clip(base + ramp + brightness, 0, 255).astype(np.uint8), fps=8)
    return root / "a", root / "b"


def test_generated_score_does_not_depend_on_batch_size(weights):
    torch.manual_seed(1)
    g = SmallG().eval()
    metric = FvdShapes(weights=weights, allow_unknown_weights=True)
    small = evaluate(metric, "moving-shapes", g, n=20, batch=3, seed=5)
    large = evaluate(metric, "moving-shapes", g, n=20, batch=8, seed=5)
    assert small.value == pytest.approx(large.value, rel=1e-6) and small.value > 0
    assert small.protocol["sets"]["b"]["clips"].startswith("video i sampled from torch.Generator seed 5 + i")
    assert small.protocol["sets"]["a"]["samples"] == 20 and small.protocol["resolution"] == 64
    other_seed = evaluate(metric, "moving-shapes", g, n=20, batch=8, seed=6)
    assert other_seed.value != pytest.approx(small.value, rel=1e-6)


def test_identical_sets_score_zero(weights, folders):
    metric = FidShapes(weights=weights, allow_unknown_weights=True)
    same = evaluate(metric, "moving-shapes", "moving-shapes", n=24, batch=8, resolution=32)
    assert abs(same.value) < 1e-6
    assert abs(evaluate(metric, folders[0], folders[0], n=6, batch=4).value) < 1e-6


def test_eval_two_folders_prints_score_and_protocol_as_json(weights, folders, capsys, tmp_path):
    out = tmp_path / "score.json"
    code = cli.main(["eval", "--metric", "fvd-shapes", "--weights", str(weights), "--allow-unknown-weights", "--n", "6", "--batch", "4",
                     "--json", "--output", str(out), str(folders[0]), str(folders[1])])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(out.read_text())
    assert data["metric"] == "fvd-shapes" and data["value"] > 0 and data["values"]["fvd-shapes"] == data["value"]
    protocol = data["protocol"]
    assert protocol["sets"]["a"]["kind"] == "folder" and protocol["sets"]["a"]["samples"] == 6
    assert "temporal centre" in protocol["sets"]["b"]["clips"] and protocol["frames"] == 16
    assert len(protocol["weights"]["sha256"]) == 64 and protocol["torch"] == torch.__version__
    assert {"ganzoo", "device", "seed", "network", "preprocessing"} <= set(protocol)
    assert cli.main(["eval", "--metric", "fvd-shapes", "--weights", str(weights), "--allow-unknown-weights", "--n", "6", str(folders[0]), str(folders[1])]) == 0
    text = capsys.readouterr().out
    assert text.startswith("fvd-shapes: ") and "protocol:" in text and "sha256:" in text
    assert float(text.split()[1]) == pytest.approx(data["value"], rel=1e-5)


def test_saved_statistics_stand_in_for_their_set(weights, folders, tmp_path, capsys):
    npz = tmp_path / "a.npz"
    assert cli.main(["eval", "--metric", "fvd-shapes", "--weights", str(weights), "--allow-unknown-weights", "--n", "6",
                     "--save-stats", str(folders[0]), str(npz)]) == 0
    stats = load_stats(npz)
    assert stats.n == 6 and stats.mu.shape == (11,) and stats.protocol["set"]["kind"] == "folder"
    direct = evaluate(FvdShapes(weights=weights, allow_unknown_weights=True), folders[0], folders[1], n=6)
    saved = evaluate(FvdShapes(weights=weights, allow_unknown_weights=True), npz, folders[1], n=6)
    assert saved.value == pytest.approx(direct.value, rel=1e-9)
    assert saved.protocol["sets"]["a"]["kind"] == "statistics"
    with pytest.raises(GanzooError, match=r"a.npz' were made with network=.*11-d outputs.*metric fid-shapes uses"):
        evaluate(FidShapes(weights=weights, allow_unknown_weights=True), npz, folders[1], n=6)


def test_real_statistics_are_encoded_once(weights, monkeypatch):
    metric = FvdShapes(weights=weights, allow_unknown_weights=True)
    calls = []
    original = metric.features
    monkeypatch.setattr(metric, "features", lambda *a, **k: calls.append(1) or original(*a, **k))
    g = SmallG().eval()
    evaluate(metric, "moving-shapes", g, n=8, batch=8)
    evaluate(metric, "moving-shapes", g, n=8, batch=8)
    assert len(calls) == 3  # real once (then cached), generated twice


def test_checkpoint_against_clip_store(clean_plugins, monkeypatch, tmp_path, weights, capsys):
    from ganzoo.data.prepare import prepare
    from test_train_tiny import tiny_module

    monkeypatch.setenv("GANZOO_PLUGINS", "train,metrics,datasets")
    plugins.reset()
    plugins.register_plugin(tiny_module(), "tinytest")
    run = tmp_path / "run"
    assert cli.main(["train", "--model", "tiny-gan", "--data", "tiny-clips", "--preset", "tiny", "--out", str(run),
                     "--no-progress"]) == 0
    store = tmp_path / "store"
    prepare("moving-shapes", None, store, resolution=16, frames=16, size=10, progress=False)
    capsys.readouterr()
    ckpt = sorted((run / "checkpoints").glob("*.pt"))[-1]
    # the tiny model makes 8 px videos, the store holds 16 px clips: scored only when asked, and recorded
    assert cli.main(["eval", "--metric", "fvd-shapes", "--weights", str(weights), "--allow-unknown-weights", "--n", "10", "--batch", "4",
                     "--json", str(ckpt), str(store)]) == 2
    assert "A is 8x8 px" in capsys.readouterr().err
    assert cli.main(["eval", "--metric", "fvd-shapes", "--weights", str(weights), "--allow-unknown-weights", "--n", "10", "--batch", "4",
                     "--resize", "--json", str(ckpt), str(store)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["protocol"]["sets_compared"]["resize"] and "B is 16x16 px, 16 frames" in data["protocol"]["sets_compared"]["note"]
    a, b = data["protocol"]["sets"]["a"], data["protocol"]["sets"]["b"]
    assert a["kind"] == "generator" and a["card"]["model"] == "tiny-gan" and a["samples"] == 10
    assert b["kind"] == "dataset" and b["samples"] == 10 and b["fingerprint"]
    assert data["value"] > 0
    again = evaluate(FvdShapes(weights=weights, allow_unknown_weights=True), run, store, n=10, batch=7, resize=True)  # a run folder: its newest checkpoint
    assert again.value == pytest.approx(data["value"], rel=1e-6)


def test_bad_input_is_one_clear_line(weights, tmp_path, capsys):
    assert cli.main(["eval", "--metric", "fid-shapez", "a", "b"]) == 2
    assert "unknown metric 'fid-shapez'; did you mean 'fid-shapes'" in capsys.readouterr().err
    assert cli.main(["eval", "--metric", "fid-shapes", "--weights", str(weights), "--allow-unknown-weights", "moving-shapes"]) == 2
    assert "fid-shapes compares two sets: give A and B" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["eval", "--metric", "fid-shapes", "--weights", str(weights), "--allow-unknown-weights", str(tmp_path / "empty"), "moving-shapes"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ganzoo: error:") and "empty" in err and len(err.splitlines()) == 1


class TinyIS(IsC3D):
    """is-c3d's preprocessing and scoring with a cheap classifier in place of C3D."""

    def build(self, path):
        torch.manual_seed(0)
        net = nn.Sequential(nn.Conv3d(3, 4, 3, stride=4), nn.Flatten(), nn.LazyLinear(101))
        net.register_buffer("bgr_mean", torch.full((3, 1, 1, 1), 100.0), persistent=False)
        with torch.no_grad():
            net(torch.zeros(1, 3, 16, 112, 112))
        return net


def test_inception_score_of_one_set(folders, weights):
    metric = TinyIS(weights=weights, allow_unknown_weights=True)
    metric.splits = 3  # 6 videos
    one = evaluate(metric, folders[1], n=6, batch=4)
    both = evaluate(metric, folders[0], folders[1], n=6, batch=4)
    assert one.value == pytest.approx(both.value) and 1.0 <= one.value <= 101.0
    assert list(both.protocol["sets"]) == ["b"] and both.protocol["splits"] == 3
    assert set(one.values) == {"is-c3d", "is-c3d-std"}


class FixedLengthG(Generator):
    """A generator whose architecture fixes its length (as VGAN's): frame t is the value t / 100."""

    def __init__(self, frames=32):
        super().__init__()
        self.frames = self.max_frames = frames
        self.resolution = 16
        self.bias = nn.Parameter(torch.zeros(()))

    def make_latent(self, batch, frames=None, generator=None):
        if self.check_frames(frames) != self.frames:
            raise GanzooError(f"makes exactly {self.frames} frames")
        return {"z": self.randn(batch, 1, generator=generator)}

    def forward(self, latent):
        t = torch.arange(self.frames, dtype=torch.float32) / 100 + self.bias
        return t[None, None, :, None, None].expand(latent["z"].shape[0], 3, self.frames, 16, 16)


def test_a_fixed_length_generator_longer_than_the_metric_is_scored_on_its_temporal_centre():
    from ganzoo.contracts import to_uint8
    from ganzoo.metrics.sources import GeneratorSource

    source = GeneratorSource(FixedLengthG(32), frames=16)
    clip = next(source.batches(2, 2))
    assert clip.shape == (2, 3, 16, 16, 16)
    expected = to_uint8(torch.arange(8, 24, dtype=torch.float32) / 100)  # frames 8..23 of 32
    assert torch.equal(clip[0, 0, :, 0, 0], expected)
    described = source.describe(2)
    assert described["made_frames"] == 32 and "scored on the centre 16 (start 8)" in described["clips"]
    with pytest.raises(GanzooError, match="at most 8 frames"):  # shorter than the metric: refused
        GeneratorSource(FixedLengthG(8), frames=16)


def test_prefetched_batches_keep_order_raise_errors_and_close_early():
    """Issue 17.2: the next batch is made in a background thread; order, errors and the
    source's own cleanup (a generator source restores train mode in its finally) are kept."""
    from ganzoo.metrics.base import prefetched

    assert list(prefetched(iter(range(7)))) == list(range(7))

    def failing():
        yield 1
        raise ValueError("decode failed")

    with pytest.raises(ValueError, match="decode failed"):
        list(prefetched(failing()))
    closed = []

    def source():
        try:
            yield from range(100)
        finally:
            closed.append(True)

    for item in prefetched(source()):
        if item == 2:
            break
    import time
    for _ in range(200):
        if closed:
            break
        time.sleep(0.01)
    assert closed == [True]
