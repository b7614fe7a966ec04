"""One answer to "what does this source name?" (ganzoo.sources), used by every command."""

import json
import shutil

import pytest
from PIL import Image

from conftest import SHARED_DATA, save_untrained
from ganzoo import cli, sources
from ganzoo.data import open_dataset
from ganzoo.errors import GanzooError


def test_each_kind_of_source_is_named_once(tmp_path):
    (tmp_path / "stats.npz").write_bytes(b"")
    for suffix in (".pt", ".pth", ".ckpt"):
        (tmp_path / f"g{suffix}").write_bytes(b"")
    (tmp_path / "run" / "checkpoints").mkdir(parents=True)
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "manifest.json").write_text("{}")
    nested = tmp_path / "videos" / "class_a"
    nested.mkdir(parents=True)
    shutil.copy(SHARED_DATA / "cityCC0.mpg", nested / "clip.MPG")
    frames = tmp_path / "frames" / "video_0"
    frames.mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(frames / "0.png")
    expected = {
        "moving-shapes": sources.DATASET, tmp_path / "stats.npz": sources.STATISTICS,
        tmp_path / "g.pt": sources.CHECKPOINT, tmp_path / "g.pth": sources.CHECKPOINT, tmp_path / "g.ckpt": sources.CHECKPOINT,
        tmp_path / "run": sources.RUN, tmp_path / "store": sources.CLIP_STORE, tmp_path / "videos": sources.VIDEO_FOLDER,
        nested / "clip.MPG": sources.VIDEO_FILE, tmp_path / "frames": sources.FRAME_FOLDERS,
    }
    for source, kind in expected.items():
        assert sources.resolve(source).kind == kind, source
    assert sources.resolve("moving-shapes", {"seed": 3}).options == {"seed": 3}


def test_what_is_no_source_says_why(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    cases = {
        tmp_path / "missing.pt": "missing.pt does not exist",
        "moving-shape": "no file or folder 'moving-shape', and unknown dataset 'moving-shape'; did you mean 'moving-shapes'?",
        tmp_path / "notes.txt": "notes.txt: not a file ganzoo reads as a source",
        tmp_path / "empty": "holds no run (checkpoints/), clip store (manifest.json), video files",
    }
    for source, message in cases.items():
        with pytest.raises(GanzooError, match=None) as caught:
            sources.resolve(source)
        assert message in str(caught.value), (source, caught.value)
    with pytest.raises(GanzooError, match=r"ganzoo sample takes a checkpoint file .* or a run folder .*; moving-shapes is a registered dataset"):
        sources.require("moving-shapes", (sources.CHECKPOINT, sources.RUN), "ganzoo sample")


def test_training_names_a_video_folder_it_cannot_read(tmp_path):
    shutil.copy(SHARED_DATA / "cityCC0.mpg", tmp_path / "a.mpg")
    with pytest.raises(GanzooError, match=r"is a folder of videos; read it as --data video-folder --set data.kwargs.root="):
        open_dataset(tmp_path, 8, 16)


@pytest.fixture(scope="module")
def inmodegan_ckpt(tmp_path_factory):
    """One untrained InMoDeGAN checkpoint written under the three checkpoint suffixes."""
    folder = tmp_path_factory.mktemp("ckpts")
    first = save_untrained("inmodegan", folder / "g.pt")
    for suffix in (".pth", ".ckpt"):
        shutil.copy(first, folder / f"g{suffix}")
    return folder


@pytest.mark.parametrize("suffix", [".pt", ".pth", ".ckpt"])
def test_eval_interpret_and_sample_take_the_same_checkpoints(inmodegan_ckpt, suffix, tmp_path, capsys):
    path = str(inmodegan_ckpt / f"g{suffix}")
    assert cli.main(["sample", path, "--n", "2", "--out", str(tmp_path / "s.mp4")]) == 0
    assert cli.main(["interpret", path, "stats", "--n", "8", "--out", str(tmp_path / "stats")]) == 0
    capsys.readouterr()
    assert cli.main(["eval", "--metric", "fid-shapes", "--n", "4", "--batch", "4", "--json", path, "moving-shapes"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["protocol"]["sets"]["a"]["kind"] == "generator"


def test_in_loop_score_reads_the_training_data_with_its_options(tmp_path):
    """data.kwargs that change the clips (moving-shapes' seed) reach the in-loop score."""
    out = tmp_path / "run"
    args = ["train", "--model", "inmodegan", "--preset", "tiny", "--data", "moving-shapes", "--out", str(out),
            "--set", "model.iterations=2", "--set", "data.kwargs.seed=7", "--set", "data.kwargs.size=8",
            "--set", "schedule.metric=fid-shapes", "--set", "schedule.metric_every=2", "--no-progress"]
    assert cli.main(args) == 0
    scored = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines() if "metric/fid-shapes" in line]
    assert len(scored) == 1
    real = scored[0]["protocol"]["sets"]["a"]  # opened at the tiny generator's 16 px, the metric's 16 frames
    wanted = open_dataset("moving-shapes", 16, 16, seed=7, size=8).fingerprint
    default = open_dataset("moving-shapes", 16, 16, size=8).fingerprint
    assert wanted != default  # the option changes the clips, so the test can tell them apart
    assert real["fingerprint"] == wanted and real["samples"] == 8


def test_train_without_a_scorer_refuses_a_scheduled_metric(tmp_path):
    from ganzoo.config import resolve_run
    from ganzoo.train import train

    run = resolve_run("inmodegan", "tiny", overrides=["schedule.metric=fid-shapes", "schedule.metric_every=1"])
    with pytest.raises(GanzooError, match="no scorer was handed to train"):
        train(run, tmp_path / "run", progress=False)
