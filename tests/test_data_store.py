"""The clip store: prepare from real videos (with broken ones), resume, refuse, disk full, CLI."""

import json
import os
import pickle
import resource
import signal

import numpy as np
import pytest
import torch

from ganzoo import cli
from ganzoo.data import open_dataset
from ganzoo.data import prepare as prepare_module
from ganzoo.data.prepare import check_sources, prepare
from ganzoo.data.store import StoreError
from ganzoo.errors import GanzooError
from ganzoo.video import read_video, resize_video, write_video


def colour_ramp(frames, height, width, seed):
    """A clip whose frames all differ: a moving bright column on a per-video colour."""
    rng = np.random.default_rng(seed)
    video = np.empty((frames, height, width, 3), np.uint8)
    video[:] = rng.integers(30, 200, 3, dtype=np.uint8)
    for t in range(frames):
        video[t, :, (3 * t) % width:(3 * t) % width + 4] = 255
    return video


@pytest.fixture(scope="module")
def video_tree(tmp_path_factory):
    """Real files: two classes of good videos (H.264 mp4, MPEG-4 avi), a truncated mp4, a text
    file named .mp4, and a video shorter than one clip."""
    root = tmp_path_factory.mktemp("videos")
    (root / "cats").mkdir()
    (root / "dogs").mkdir()
    write_video(root / "cats" / "a.mp4", colour_ramp(20, 40, 48, 0), fps=10)
    write_video(root / "cats" / "b.avi", colour_ramp(17, 32, 32, 1), fps=10)
    write_video(root / "dogs" / "c.mp4", colour_ramp(9, 36, 30, 2), fps=10)
    good = write_video(root / "dogs" / "d.mp4", colour_ramp(24, 32, 32, 3), fps=10).read_bytes()
    (root / "dogs" / "broken.mp4").write_bytes(good[: len(good) // 3])
    (root / "dogs" / "notes.mp4").write_text("not a video\n" * 40)
    (root / "dogs" / "short.mp4").write_bytes((write_video(root / "tmp.mp4", colour_ramp(4, 32, 32, 4), fps=10)).read_bytes())
    (root / "tmp.mp4").unlink()
    return root


def test_prepare_folder_with_broken_files(video_tree, tmp_path):
    out = tmp_path / "store"
    manifest = prepare("video-folder", video_tree, out, resolution=16, frames=8, labels="parent", progress=False)
    skipped = {s["source"]: s for s in manifest["skipped"]}
    assert set(skipped) == {"dogs/broken.mp4", "dogs/notes.mp4", "dogs/short.mp4"}
    assert skipped["dogs/short.mp4"]["kind"] == "short" and "4 frames, 8 needed" in skipped["dogs/short.mp4"]["reason"]
    assert skipped["dogs/notes.mp4"]["kind"] == "error" and "not a readable video" in skipped["dogs/notes.mp4"]["reason"]
    # non-overlapping 8-frame windows: a 20 -> 2, b 17 -> 2, c 9 -> 1, d 24 -> 3
    assert manifest["counts"] == {"sources": 7, "clips": 8, "skipped": 3, "short": 1, "truncated": 0, "looped": 0, "used": 4}
    assert manifest["options"]["classes"] == ["cats", "dogs"]
    assert len(manifest["split_sha256"]["all"]) == 64
    store = open_dataset(out, 8, 16)
    assert len(store) == 8 and store[0].dtype == torch.uint8 and store[0].shape == (3, 8, 16, 16)
    info = store.info(7)
    assert (info["source"], info["start"], info["label"]) == ("dogs/d.mp4", 16, 1)
    expected = resize_video(read_video(video_tree / "dogs" / "d.mp4", start=16, frames=8), 16)
    assert torch.equal(store[7], torch.from_numpy(expected).permute(3, 0, 1, 2))
    # reading is a view of the memory map, not a copy
    assert isinstance(store.clips, np.memmap) and np.shares_memory(store[3].numpy(), store.clips)
    raw = open_dataset("video-folder", 8, 16, root=video_tree, labels="parent")
    assert torch.equal(raw[0], store[0]) and raw.info(0)["label"] == 0
    assert check_sources(manifest)[0]
    extra = video_tree / "dogs" / "new.mp4"
    extra.write_bytes((video_tree / "dogs" / "d.mp4").read_bytes())
    try:
        same, message = check_sources(manifest)
        assert not same and "file list changed" in message
        with pytest.raises(GanzooError, match=r"differs in: file list"):
            prepare("video-folder", video_tree, out, resolution=16, frames=8, labels="parent", progress=False)
    finally:
        extra.unlink()


def test_short_videos_looped_by_option(video_tree, tmp_path):
    manifest = prepare("video-folder", video_tree, tmp_path / "s", resolution=16, frames=8, short="loop",
                       clips_per_video=1, progress=False)
    assert manifest["counts"]["looped"] == 1 and manifest["counts"]["clips"] == 5
    store = open_dataset(tmp_path / "s", 8, 16)
    looped = [i for i in range(len(store)) if store.info(i)["source"] == "dogs/short.mp4"][0]
    assert torch.equal(store[looped][:, 4:], store[looped][:, :4])


def test_store_windows_and_bad_requests(tmp_path):
    prepare("moving-shapes", None, tmp_path / "m", resolution=16, frames=8, size=6, progress=False)
    full = open_dataset(tmp_path / "m", 8, 16)
    center = open_dataset(tmp_path / "m", 4, 16, offset="center")
    assert torch.equal(center[2], full[2][:, 2:6])
    assert center.fingerprint != full.fingerprint
    assert full.info(1)["factors"] == open_dataset("moving-shapes", 8, 16, size=6).info(1)["factors"]
    pages = open_dataset(tmp_path / "m", 8, 16, release_mb=0.01)  # 6 kB clips: released every 2nd read
    original = pages[0].clone()  # read 1
    written = pages[0].zero_()  # read 2 (a release, then the write lands on copy-on-write pages)
    assert not written.any()
    assert pages[1].shape == original.shape  # read 3
    assert torch.equal(pages[0], original)  # read 4 releases: the pages went back, RSS stays bounded
    assert torch.equal(full[0], original)
    blob = pickle.dumps(full)  # what a spawned DataLoader worker receives: no pixels, it maps the file itself
    assert len(blob) < 6 * 3 * 8 * 16 * 16 and torch.equal(pickle.loads(blob)[5], full[5])
    with pytest.raises(StoreError, match="clips are 16px, 32px asked for"):
        open_dataset(tmp_path / "m", 8, 32)
    with pytest.raises(StoreError, match="clips have 8 frames, 9 asked for"):
        open_dataset(tmp_path / "m", 9, 16)
    with pytest.raises(GanzooError, match="a clip store takes the options offset and split, not size"):
        open_dataset(tmp_path / "m", 8, 16, size=64)
    with pytest.raises(GanzooError, match=r"holds no run \(checkpoints/\), clip store \(manifest.json\), video files"):
        open_dataset(tmp_path, 8, 16)  # a folder that is none of the sources (ganzoo.sources) says what it lacks


def test_interrupted_prepare_resumes_and_never_loads_half_written(tmp_path, monkeypatch):
    out = tmp_path / "m"
    real = prepare_module.run_chunk
    calls = []

    def interrupted(data, number, indices, parts):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(number)
        return real(data, number, indices, parts)

    monkeypatch.setattr(prepare_module, "run_chunk", interrupted)
    with pytest.raises(KeyboardInterrupt):
        prepare("moving-shapes", None, out, resolution=16, frames=4, size=6, progress=False)
    with pytest.raises(StoreError, match="prepare did not finish"):
        open_dataset(out, 4, 16)
    calls.clear()
    monkeypatch.setattr(prepare_module, "run_chunk", lambda *a: (calls.append(a[1]), real(*a))[1])
    manifest = prepare("moving-shapes", None, out, resolution=16, frames=4, size=6, progress=False)
    assert calls == [3, 4, 5]  # only the chunks the first run did not finish
    assert not (out / "parts").exists() and not (out / "prepare.json").exists()
    clean = prepare("moving-shapes", None, tmp_path / "clean", resolution=16, frames=4, size=6, progress=False)
    assert manifest["fingerprint"] == clean["fingerprint"]
    assert (out / "clips.u8").read_bytes() == (tmp_path / "clean" / "clips.u8").read_bytes()


def test_other_options_refused_unless_overwrite(tmp_path):
    out = tmp_path / "m"
    first = prepare("moving-shapes", None, out, resolution=16, frames=4, size=3, progress=False)
    assert prepare("moving-shapes", None, out, resolution=16, frames=4, size=3, progress=False)["created"] == first["created"]
    with pytest.raises(GanzooError, match=r"holds a store of other options \(differs in: frames"):
        prepare("moving-shapes", None, out, resolution=16, frames=6, size=3, progress=False)
    second = prepare("moving-shapes", None, out, resolution=16, frames=6, size=3, overwrite=True, progress=False)
    assert second["shape"] == [3, 3, 6, 16, 16] and len(open_dataset(out, 6, 16)) == 3
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    with pytest.raises(GanzooError, match="not empty and holds no clip store"):
        prepare("moving-shapes", None, tmp_path / "notes", resolution=16, frames=4, size=3, progress=False)


def test_zero_usable_videos_is_one_line_exit_2(tmp_path, capsys):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "x.mp4").write_text("nope")
    code = cli.main(["data", "prepare", str(tmp_path / "v"), str(tmp_path / "out"), "--workers", "0", "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "zero usable videos" in err[0] and "x.mp4: not a readable video" in err[0]
    assert cli.main(["data", "prepare", str(tmp_path / "empty"), str(tmp_path / "o2")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_unreadable_folder(tmp_path, monkeypatch):
    (tmp_path / "v" / "locked").mkdir(parents=True)
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(GanzooError, match="cannot read folder .*locked: Permission denied"):
        open_dataset("video-folder", 8, 16, root=tmp_path / "v")


def test_disk_full_mid_write_leaves_no_complete_store(tmp_path, capsys):
    """A file-size limit makes the big clips.u8 write fail as a full disk does (EFBIG instead of
    ENOSPC); the small part files fit, so rerunning without the limit resumes and completes."""
    out = tmp_path / "m"
    args = ["data", "prepare", "moving-shapes", str(out), "--dataset", "moving-shapes", "--size", "16",
            "--frames", "4", "--opt", "size=8", "--workers", "0", "--no-progress"]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20000, hard))  # one clip is 3 kB, the store 24 kB
        code = cli.main(args)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "clips.u8: no space left" in err[0]
    assert not (out / "manifest.json").exists() and not list(out.glob(".*tmp"))
    with pytest.raises(StoreError, match="did not finish"):
        open_dataset(out, 4, 16)
    assert cli.main(args) == 0
    assert len(open_dataset(out, 4, 16)) == 8


def test_workers_match_in_process_and_cli_info_show(tmp_path, capsys):
    args = ["--dataset", "moving-shapes", "--size", "16", "--frames", "4", "--opt", "size=5", "--no-progress"]
    assert cli.main(["data", "prepare", "moving-shapes", str(tmp_path / "w2"), *args, "--workers", "2"]) == 0
    assert cli.main(["data", "prepare", "moving-shapes", str(tmp_path / "w0"), *args, "--workers", "0"]) == 0
    assert (tmp_path / "w2" / "clips.u8").read_bytes() == (tmp_path / "w0" / "clips.u8").read_bytes()
    capsys.readouterr()
    assert cli.main(["data", "info", str(tmp_path / "w2"), "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["counts"]["clips"] == 5 and manifest["factor_names"][0] == "dx"
    assert cli.main(["data", "show", str(tmp_path / "w2"), "--out", str(tmp_path / "grid.mp4"), "--count", "4"]) == 0
    grid = read_video(tmp_path / "grid.mp4")
    assert grid.shape == (4, 2 * 18 + 2, 2 * 18 + 2, 3)
    shown = json.loads((tmp_path / "grid.json").read_text())
    assert [c["index"] for c in shown["clips"]] == [0, 1, 2, 3] and "factors" in shown["clips"][0]


def test_prepare_real_mpeg2_clip(tmp_path):
    """The CC0 720x405 MPEG-2 clip (190 frames): evenly spaced windows, short-side centre crop."""
    from conftest import SHARED_DATA

    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "city.mpg").symlink_to(SHARED_DATA / "cityCC0.mpg")
    manifest = prepare("video-folder", tmp_path / "v", tmp_path / "s", resolution=32, frames=16, stride=2,
                       clips_per_video=2, progress=False)
    assert manifest["counts"]["clips"] == 2 and manifest["counts"]["skipped"] == 0
    store = open_dataset(tmp_path / "s", 16, 32)
    first, last = store.info(0)["start"], store.info(1)["start"]
    assert (first, last) == (0, 155)  # 6 windows of 31 frames; the first and the last are kept
    expected = resize_video(read_video(SHARED_DATA / "cityCC0.mpg", start=155, frames=16, stride=2), 32)
    assert torch.equal(store[1], torch.from_numpy(expected).permute(3, 0, 1, 2))


def test_a_dying_worker_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(prepare_module, "run_chunk", lambda *args: os._exit(3))  # the fork inherits it
    with pytest.raises(GanzooError, match="a decoding worker died .* finished chunks are kept"):
        prepare("moving-shapes", None, tmp_path / "m", resolution=16, frames=4, size=3, workers=2, progress=False)
    with pytest.raises(StoreError, match="did not finish"):
        open_dataset(tmp_path / "m", 4, 16)
