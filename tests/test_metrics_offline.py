"""The offline shapes metrics with the weights that ship in the package."""

import json
import warnings
from pathlib import Path

import pytest
import torch

import ganzoo_metrics
from ganzoo import cli
from ganzoo.data import open_dataset
from ganzoo.metrics import FeatureStats
from ganzoo.metrics.weights import sha256_file
from ganzoo_metrics.protocols import FidShapes, FvdShapes, KvdShapes
from ganzoo_metrics.shapes_net import TARGETS, ShapesNet

SHIPPED = Path(ganzoo_metrics.__file__).with_name("shapes_net.pt")


def clips(seed, n, resolution=64):
    data = open_dataset("moving-shapes", 16, resolution, size=n, seed=seed)
    return torch.stack([data[i] for i in range(n)])


def shuffled(videos, seed=0):
    """Every video's frames in a random order: each frame is real, the motion is not."""
    g = torch.Generator().manual_seed(seed)
    return torch.stack([v[:, torch.randperm(v.shape[1], generator=g)] for v in videos])


@pytest.fixture(scope="module")
def sets():
    real = clips(0, 96)
    other = clips(1, 96)
    noise = torch.randint(0, 256, other.shape, generator=torch.Generator().manual_seed(2), dtype=torch.uint8)
    return {"real": real, "other": other, "shuffled": shuffled(other), "noise": noise}


def test_shipped_weights_are_small_and_load_safely():
    assert SHIPPED.is_file() and SHIPPED.stat().st_size < 5 * 2**20
    state = torch.load(SHIPPED, weights_only=True)
    ShapesNet().load_state_dict(state)
    report = json.loads(SHIPPED.with_suffix(".json").read_text())
    assert report["bytes"] == SHIPPED.stat().st_size and set(report["r2_validation"]) == set(TARGETS)
    assert min(report["r2_validation"][name] for name in ("dx", "dy", "brightness")) > 0.8  # it learnt the motion
    assert FidShapes().protocol()["weights"]["sha256"] == sha256_file(SHIPPED)


def batches(videos, size=32):
    return [videos[i:i + size] for i in range(0, len(videos), size)]


@pytest.fixture(scope="module")
def encoded(sets):
    """Each set through the shipped network once: 128-d features and 11-d outputs."""
    fid, fvd = FidShapes(), FvdShapes()
    return {name: {"features": fid.features(batches(v)), "outputs": fvd.features(batches(v))} for name, v in sets.items()}


@pytest.mark.parametrize("metric_class", [FidShapes, FvdShapes, KvdShapes])
def test_offline_metric_ranks_data_before_shuffled_frames_before_noise(encoded, metric_class):
    metric = metric_class()
    layer = "outputs" if metric_class is FvdShapes else "features"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 96 samples for 128-d features: biased, still ordered
        stats = {name: FeatureStats.from_features(e[layer], {}, keep_features=True) for name, e in encoded.items()}
    scores = {name: metric.score(stats["real"], stats[name])[metric.name] for name in ("other", "shuffled", "noise")}
    assert scores["other"] < scores["shuffled"] < scores["noise"], scores
    assert scores["shuffled"] - scores["other"] > 0.5 * scores["shuffled"], scores  # not a near tie


def test_metric_contract_compute(sets):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = FidShapes().compute(batches(sets["real"][:48]), batches(sets["other"][:48]))
    assert result.metric == "fid-shapes" and result.value > 0 and result.protocol["samples"] == {"a": 48, "b": 48}


def test_fid_shapes_command_needs_no_download(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("GANZOO_WEIGHTS_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "cache"))
    assert cli.main(["eval", "--metric", "fvd-shapes", "--n", "24", "--resolution", "32", "--json", "moving-shapes", "moving-shapes"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert abs(data["value"]) < 1e-6 and data["protocol"]["weights"]["sha256"] == sha256_file(SHIPPED)


@pytest.mark.slow
def test_offline_metric_ranks_a_trained_tiny_model_between_data_and_noise(tmp_path, monkeypatch):
    """MoCoGAN's tiny preset trained 1,500 steps on moving-shapes (about 6 CPU minutes): its
    samples score between held-out data and noise, and better than its own step-300 samples."""
    from ganzoo.metrics.sources import open_source

    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "cache"))
    run = tmp_path / "run"
    assert cli.main(["train", "--model", "mocogan", "--data", "moving-shapes", "--preset", "tiny", "--out", str(run),
                     "--set", "model.iterations=1500", "--set", "model.batch_size=8", "--set", "schedule.checkpoint_every=300",
                     "--set", "schedule.keep_checkpoints=10", "--set", "schedule.sample_every=100000", "--no-progress"]) == 0
    real, other = clips(0, 128, 16), clips(1, 128, 16)
    noise = torch.randint(0, 256, other.shape, generator=torch.Generator().manual_seed(3), dtype=torch.uint8)
    early = torch.cat(list(open_source(run / "checkpoints" / "ckpt-00000300.pt", 16, None, 0).batches(128, 32)))
    late = torch.cat(list(open_source(run, 16, None, 0).batches(128, 32)))
    for metric in (FidShapes(), FvdShapes()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = metric.stats(batches(real))
            score = {name: metric.score(ref, metric.stats(batches(v)))[metric.name]
                     for name, v in (("other", other), ("early", early), ("late", late), ("noise", noise))}
        assert score["other"] < score["late"] < score["early"] < score["noise"], (metric.name, score)
