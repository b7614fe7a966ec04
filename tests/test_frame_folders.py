"""Frame folders (one folder of numbered PNG/JPG frames per video, StyleGAN-V's layout) and a
.zip of the same, end to end: read in frame order, prepared (a corrupt frame skips its video,
reported), trained on, scored, written by `ganzoo sample --format frames` and scored against."""

import json
import zipfile

import numpy as np
import pytest
from PIL import Image

from ganzoo import cli
from ganzoo.video.frames import FrameFolders

from conftest import FEW_SAMPLES_WARNING

pytestmark = [pytest.mark.usefixtures("private_cache"), pytest.mark.filterwarnings(FEW_SAMPLES_WARNING)]

SIZE, FRAMES, VIDEOS = 16, 20, 6


def frame(value, size=SIZE, index=0):
    """A frame whose mean brightness says which frame it is, with a moving bar (real motion)."""
    image = np.full((size, size, 3), value, np.uint8)
    image[:, size // 2 + index % (size // 2), :] = 255 - value  # in the right half
    return image


def write_set(root, videos=VIDEOS, frames=FRAMES, size=SIZE, brightness=40, jpg_video=1):
    """Frame folders with unpadded names (1.png ... 20.png: 2 sorts before 10 only numerically);
    video ``jpg_video`` is stored as JPEG."""
    for v in range(videos):
        folder = root / f"video_{v:02d}"
        folder.mkdir(parents=True)
        suffix = ".jpg" if v == jpg_video else ".png"
        for t in range(frames):
            Image.fromarray(frame(brightness + 5 * t + v, size, t)).save(folder / f"{t + 1}{suffix}")
    return root


def zip_of(root, path, prefix="clips"):
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(root.rglob("*")):
            if file.is_file():
                archive.write(file, f"{prefix}/{file.relative_to(root).as_posix()}")
    return path


@pytest.fixture
def data(tmp_path):
    root = write_set(tmp_path / "frames")
    return root, zip_of(root, tmp_path / "frames.zip")


def test_frames_are_read_in_numeric_order_from_a_folder_and_a_zip(data):
    root, archive = data
    on_disk, zipped = FrameFolders(root), FrameFolders(archive)
    assert on_disk.names == [f"video_{v:02d}" for v in range(VIDEOS)]
    assert zipped.names == [f"clips/video_{v:02d}" for v in range(VIDEOS)]
    for name, zname in zip(on_disk.names, zipped.names):
        video = on_disk.read(name)
        assert video.shape == (FRAMES, SIZE, SIZE, 3)
        assert (zipped.read(zname) == video).all()  # the same bytes, read in place from the zip
    means = on_disk.read("video_00")[:, :, :SIZE // 2].mean(axis=(1, 2, 3))  # the left half: no bar
    assert np.allclose(means, 40 + 5 * np.arange(FRAMES))  # 1, 2, ..., 10, 11, ... not 1, 10, 11, 2
    assert (on_disk.read("video_03", start=4, frames=3, step=2) == on_disk.read("video_03")[4:9:2]).all()


def test_prepare_from_folder_and_zip_skips_a_video_with_a_corrupt_frame(data, tmp_path, capsys):
    root, _ = data
    (root / "video_04" / "10.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    archive = zip_of(root, tmp_path / "bad.zip")
    manifests = []
    for source, workers in ((root, "0"), (archive, "2")):  # zip through forked workers: each opens its own handle
        out = tmp_path / f"store-{workers}"
        assert cli.main(["data", "prepare", str(source), str(out), "--dataset", "frame-folders", "--size", "8",
                         "--frames", "8", "--workers", workers, "--no-progress"]) == 0, capsys.readouterr().err
        manifests.append(json.loads((out / "manifest.json").read_text()))
    for manifest in manifests:
        assert manifest["counts"]["sources"] == VIDEOS and manifest["counts"]["used"] == VIDEOS - 1
        assert manifest["shape"] == [2 * (VIDEOS - 1), 3, 8, 8, 8]  # 20 frames: two windows of 8 per video
        (skipped,) = manifest["skipped"]
        assert skipped["kind"] == "error" and "video_04" in skipped["source"] and "10.png" in skipped["reason"]
        assert "does not decode" in skipped["reason"]
    a = np.fromfile(tmp_path / "store-0" / "clips.u8", np.uint8)
    b = np.fromfile(tmp_path / "store-2" / "clips.u8", np.uint8)
    assert (a == b).all()  # folder and zip give the same clips


def test_frame_folders_train_prepare_score_and_sampled_frames_score_against_them(data, tmp_path, capsys):
    root, archive = data
    for source, run in ((root, tmp_path / "run-folder"), (archive, tmp_path / "run")):
        assert cli.main(["train", "--model", "mocogan", "--preset", "tiny", "--data", "frame-folders",
                         "--set", f"data.kwargs.root={source}", "--set", "model.iterations=2", "--set", "schedule.metric_every=0",
                         "--out", str(run), "--no-progress"]) == 0, capsys.readouterr().err
        assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["step"] == 2
    logs = [json.loads((run / "log.jsonl").read_text().splitlines()[0]) for run in (tmp_path / "run-folder", tmp_path / "run")]
    assert {k: v for k, v in logs[0].items() if k.startswith("loss/")} == {k: v for k, v in logs[1].items() if k.startswith("loss/")}
    store = tmp_path / "store"
    assert cli.main(["data", "prepare", str(archive), str(store), "--size", "16",  # a zip of frame folders: frame-folders
                     "--frames", "20", "--workers", "0", "--no-progress"]) == 0  # whole videos: the same length as the folder's
    assert json.loads((store / "manifest.json").read_text())["dataset"] == "frame-folders"
    samples = tmp_path / "samples"
    assert cli.main(["sample", str(run), "--n", "4", "--frames", str(FRAMES), "--format", "frames", "--out", str(samples)]) == 0
    capsys.readouterr()
    scores = {}
    for a, b in ((root, archive), (root, store), (samples, root), (samples, archive)):
        assert cli.main(["eval", "--metric", "fid-shapes", "--n", "6", "--json", str(a), str(b)]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["protocol"]["weights"]["verified"] is True  # the shipped network, its pinned SHA-256
        scores[(a.name, b.name)] = result["value"]
    assert scores[("frames", "frames.zip")] == pytest.approx(0, abs=1e-6)  # the same videos, folder or zip
    assert scores[("samples", "frames")] == pytest.approx(scores[("samples", "frames.zip")], rel=1e-6)
    assert scores[("frames", "store")] == pytest.approx(0, abs=1e-6)  # the store holds the same frames
    assert scores[("samples", "frames")] > 1e-3


def test_eval_refuses_sets_of_another_size_naming_both(tmp_path, capsys):
    small = write_set(tmp_path / "small", videos=3, size=16)
    large = write_set(tmp_path / "large", videos=3, size=32)
    assert cli.main(["eval", "--metric", "fid-shapes", "--n", "3", str(small), str(large)]) == 2
    err = capsys.readouterr().err.strip()
    assert "A is 16x16 px, 20 frames; B is 32x32 px, 20 frames" in err and "--resize" in err and "\n" not in err
    assert cli.main(["eval", "--metric", "fid-shapes", "--n", "3", "--resize", "--json", str(small), str(large)]) == 0
    compared = json.loads(capsys.readouterr().out)["protocol"]["sets_compared"]
    assert compared["resize"] is True and compared["shapes"] == {"a": "16x16 px, 20 frames", "b": "32x32 px, 20 frames"}
    short = write_set(tmp_path / "short", videos=3, frames=17)
    assert cli.main(["eval", "--metric", "fid-shapes", "--n", "3", str(small), str(short)]) == 2
    assert "differ in frame count" in capsys.readouterr().err


def test_interpret_reads_frame_folders_from_a_zip_as_from_the_folder(data):
    from ganzoo.interpret.sources import real_videos

    root, archive = data
    from_folder = list(real_videos([str(root)], frames=5, n=3))
    from_zip = list(real_videos([str(archive)], frames=5, n=3))
    assert [name for name, _, _ in from_zip] == ["video_00", "video_01", "video_02"]
    for (_, a, _), (_, b, info) in zip(from_folder, from_zip):
        assert a.shape == (3, 5, SIZE, SIZE) and (a == b).all()
    assert info["source"] == f"{archive}:clips/video_02"
