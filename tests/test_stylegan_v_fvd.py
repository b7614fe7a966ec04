"""StyleGAN-V's FVD protocols (fvd2048_16f, fvd2048_128f, fvd2048_128f_subsample8f) end to end
with a tiny TorchScript detector that has the I3D file's call signature: which frames it is
given, how it is called, what the protocol records, and the pinned SHA-256."""

import json

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from ganzoo import cli
from ganzoo.contracts import Generator
from ganzoo.errors import GanzooError
from ganzoo.metrics import evaluate
from ganzoo.metrics.evaluate import metric_for
from ganzoo.metrics.sources import open_source
from ganzoo.metrics.weights import sha256_file
from ganzoo_metrics.protocols import I3D_TORCHSCRIPT

from conftest import FEW_SAMPLES_WARNING

pytestmark = [pytest.mark.usefixtures("private_cache"), pytest.mark.filterwarnings(FEW_SAMPLES_WARNING)]

NAMES = ("fvd2048_16f", "fvd2048_128f", "fvd2048_128f_subsample8f")


class TinyDetector(nn.Module):
    """``detector(x, rescale, resize, return_features) -> (B, 400)`` as StyleGAN-V calls its I3D;
    feature k is frame k's mean value (mapped to [-1, 1] when ``rescale``), so the features
    show which frames it was given. Any other call fails."""

    def forward(self, x: torch.Tensor, rescale: bool = False, resize: bool = False, return_features: bool = False) -> torch.Tensor:
        if not (rescale and resize and return_features):
            raise RuntimeError("not called as StyleGAN-V calls its detector")
        if x.dim() != 5 or x.shape[1] != 3:
            raise RuntimeError("expects (B, 3, T, H, W)")
        x = x / 127.5 - 1.0
        means = x.mean(dim=[1, 3, 4])
        out = torch.zeros(x.shape[0], 400)
        out[:, :means.shape[1]] = means
        return out


class RampG(Generator):
    """Frame t of every video is the grey value t: what the detector sees tells the frames."""

    def __init__(self):
        super().__init__()
        self.frames, self.resolution = 16, 8
        self.dummy = nn.Parameter(torch.zeros(()))

    def make_latent(self, batch, frames=None, generator=None):
        return {"t": torch.arange(self.check_frames(frames), dtype=torch.float32).repeat(batch, 1)}

    def forward(self, latent):
        t = latent["t"]
        return (t / 127.5 - 1.0)[:, None, :, None, None].expand(-1, 3, -1, 8, 8) + self.dummy


@pytest.fixture
def detector(tmp_path):
    path = tmp_path / "i3d_torchscript.pt"
    torch.jit.script(TinyDetector()).save(str(path))
    return path


@pytest.fixture
def long_videos(tmp_path):
    """Frame folders of 130, 100 (too short for 128 frames), 128 and 140 frames of 8x8 px;
    frame t of video v has grey value t + v."""
    root = tmp_path / "long"
    for v, length in enumerate((130, 100, 128, 140)):
        folder = root / f"v{v}"
        folder.mkdir(parents=True)
        for t in range(length):
            Image.fromarray(np.full((8, 8, 3), t + v, np.uint8)).save(folder / f"{t}.png")
    return root


def test_list_metrics_shows_the_stylegan_v_protocols(capsys):
    assert cli.main(["list", "metrics"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        assert name in out
    assert "StyleGAN-V's fvd2048_128f_subsample8f" in out


def test_wrong_hash_fails_naming_the_file_and_both_hashes(detector, long_videos, capsys):
    assert I3D_TORCHSCRIPT.sha256 == "bec6519f66ea534e953026b4ae2c65553c17bf105611c746d904657e5860a5e2"
    assert cli.main(["eval", "--metric", "fvd2048_16f", "--weights", str(detector), str(long_videos), str(long_videos)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(detector) in err and sha256_file(detector) in err and I3D_TORCHSCRIPT.sha256 in err
    assert "--allow-unknown-weights" in err and "\n" not in err


@pytest.mark.parametrize("name,frames,subsample,window", [
    ("fvd2048_16f", 16, 1, 16), ("fvd2048_128f", 128, 1, 128), ("fvd2048_128f_subsample8f", 16, 8, 121)])
def test_real_clips_are_stylegan_v_windows_from_a_seeded_random_offset(name, frames, subsample, window, detector, long_videos):
    metric = metric_for(name, weights=detector, allow_unknown_weights=True)
    assert (metric.frames, metric.subsample, metric.window, metric.videos) == (frames, subsample, window, 2048)
    source = open_source(long_videos, metric.window, None, seed=3, clips=metric.clip_choice, min_frames=metric.min_frames)
    lengths = {0: 130, 1: 100, 2: 128, 3: 140}
    kept = [v for v in range(4) if lengths[v] >= frames * subsample]  # StyleGAN-V's discard_short_videos
    feats = metric.features(source.batches(10, 2))
    assert len(feats) == len(kept)
    for i, v in enumerate(kept):
        seen = np.rint((feats[i, :frames] + 1) * 127.5) - v  # the frame indices the detector was given
        offset = seen[0]
        assert offset == np.random.default_rng((3, i)).integers(0, lengths[v] - window + 1)
        assert (seen == offset + subsample * np.arange(frames)).all()
        assert 0 <= offset <= lengths[v] - frames * subsample + subsample - 1  # StyleGAN-V's offset range
    again = metric.features(open_source(long_videos, metric.window, None, seed=3, clips="random",
                                        min_frames=metric.min_frames).batches(10, 2))
    assert (again == feats).all()  # seeded: a score repeats
    if frames * subsample > 100:
        assert "1 videos under" in source.describe(10)["clips"]


def test_generated_videos_start_at_frame_zero_and_the_record_names_the_protocol(detector, long_videos):
    result = evaluate("fvd2048_128f_subsample8f", long_videos, RampG(), n=3, batch=2, weights=detector,
                      allow_unknown_weights=True)
    metric = metric_for("fvd2048_128f_subsample8f", weights=detector, allow_unknown_weights=True)
    made = metric.features(open_source(RampG(), metric.window, None).batches(2, 2))
    assert (np.rint((made[:, :16] + 1) * 127.5) == np.arange(0, 128, 8)).all()  # t = 0, 8, ..., 120
    protocol = result.protocol
    assert protocol["stylegan_v_metric"] == "fvd2048_128f_subsample8f" and protocol["frames"] == 16
    assert protocol["subsample"] == 8 and protocol["window"] == 121 and protocol["min_video_frames"] == 128
    assert protocol["videos"] == 2048 and protocol["sets"]["a"]["samples"] == 3 and protocol["sets"]["b"]["samples"] == 3
    assert protocol["videos_note"] == "--n 3: not the protocol's own 2048 videos per set"
    assert protocol["detector_call"] == {"rescale": True, "resize": True, "return_features": True}
    assert protocol["detector_sha256"] == sha256_file(detector)
    assert protocol["weights"]["verified"] is False and protocol["weights"]["published_sha256"] == I3D_TORCHSCRIPT.sha256
    assert "--allow-unknown-weights" in protocol["weights"]["note"]
    assert np.isfinite(result.value) and result.value > 0


def test_cli_scores_a_frame_folder_set_with_the_tiny_detector(detector, long_videos, tmp_path, capsys):
    out = tmp_path / "fvd.json"
    assert cli.main(["eval", "--metric", "fvd2048_16f", "--weights", str(detector), "--allow-unknown-weights",
                     "--n", "4", "--json", "--output", str(out), str(long_videos), str(long_videos)]) == 0
    data = json.loads(out.read_text())
    assert data["value"] == pytest.approx(0, abs=1e-6)  # the same set, the same seeded clips
    assert data["protocol"]["metric"] == "fvd2048_16f" and data["protocol"]["subsample"] == 1
    with pytest.raises(GanzooError, match="needs 121-frame windows"):
        metric_for("fvd2048_128f_subsample8f", weights=detector, allow_unknown_weights=True).prepare(torch.zeros(1, 3, 16, 8, 8))


def test_a_fixed_length_generator_is_scored_from_time_zero(detector):
    class FixedRamp(RampG):
        def __init__(self):
            super().__init__()
            self.frames = self.max_frames = 32

    metric = metric_for("fvd2048_16f", weights=detector, allow_unknown_weights=True)
    source = open_source(FixedRamp(), metric.window, None, clips=metric.clip_choice)
    seen = np.rint((metric.features(source.batches(2, 2))[:, :16] + 1) * 127.5)
    assert (seen == np.arange(16)).all()  # frames 0..15 of the 32 made, not the centre 8..23
    assert "the first 16 (from time 0" in source.describe(2)["clips"]
