"""Real formats written here: TFRecords (framing + masked CRC32C), UCF101 and VoxCeleb2 trees."""

import struct

import numpy as np
import pytest
import torch

from ganzoo import cli
from ganzoo.data import open_dataset
from ganzoo.data.prepare import prepare
from ganzoo_datasets.tfrecord import (TFRecordError, crc32c, crc32c_fallback, encode_example, masked_crc32c, parse_example,
                                  read_records, write_records)
from ganzoo.errors import GanzooError
from ganzoo.video import write_video
from test_data_store import colour_ramp


def test_crc32c_matches_the_standard_and_an_independent_implementation():
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c as reference

    assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    assert crc32c_fallback(b"123456789") == 0xE3069283
    for n in (0, 1, 2047, 2048, 5001, 70001):  # both the byte loop and the parallel-lane path
        data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
        assert masked_crc32c(data) == reference(data)
        assert crc32c_fallback(data) == crc32c(data) == crc32c(memoryview(data))


def test_the_fast_crc32c_is_used_when_installed_and_the_fallback_agrees_with_it():
    google_crc32c = pytest.importorskip("google_crc32c", reason="google-crc32c is not installed")
    import ganzoo_datasets.tfrecord as tfrecord

    assert tfrecord._fast_crc32c is google_crc32c.value
    data = np.random.default_rng(7).integers(0, 256, 1 << 20, dtype=np.uint8).tobytes()
    assert tfrecord.crc32c_fallback(data) == google_crc32c.value(data) == crc32c(data)


def test_example_round_trip():
    features = {"0/image_aux1/encoded": b"\x00\xff" * 6, "0/action": [1.5, -2.0], "0/step": [3, -1]}
    assert parse_example(encode_example(features)) == {"0/image_aux1/encoded": [b"\x00\xff" * 6],
                                                       "0/action": [1.5, -2.0], "0/step": [3, -1]}
    with pytest.raises(TFRecordError, match="malformed"):
        parse_example(encode_example(features)[:-5])


def trajectory_record(seed, steps=30):
    rng = np.random.default_rng(seed)
    frames = rng.integers(0, 256, (steps, 64, 64, 3), dtype=np.uint8)
    features = {}
    for i in range(steps):
        features[f"{i}/image_aux1/encoded"] = frames[i].tobytes()
        features[f"{i}/image_main/encoded"] = frames[i, ::-1].tobytes()
        features[f"{i}/action"] = [0.1 * i, -0.2]
        features[f"{i}/endeffector_pos"] = [0.0, 0.5, float(i)]
    return frames, encode_example(features)


@pytest.fixture(scope="module")
def bair_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("bair") / "softmotion30_44k"
    frames = {}
    for split, names in (("train", ("traj_0_to_1.tfrecords", "traj_2_to_2.tfrecords")), ("test", ("traj_0_to_0.tfrecords",))):
        (root / split).mkdir(parents=True)
        for k, name in enumerate(names):
            records = [trajectory_record(100 * k + j) for j in range(2 if k == 0 else 1)]
            write_records(root / split / name, [r for _, r in records])
            frames[(split, name)] = [f for f, _ in records]
    # a copy with one flipped byte in a frame: the data CRC no longer matches
    good = (root / "train" / "traj_2_to_2.tfrecords").read_bytes()
    (root / "train" / "traj_3_to_3.tfrecords").write_bytes(good[:5000] + bytes([good[5000] ^ 1]) + good[5001:])
    return root.parent, frames


def test_tfrecord_framing_errors(tmp_path):
    write_records(tmp_path / "ok.tfrecords", [b"abc", b"defg"])
    assert [data for _, data in read_records(tmp_path / "ok.tfrecords")] == [b"abc", b"defg"]
    raw = (tmp_path / "ok.tfrecords").read_bytes()
    (tmp_path / "len.tfrecords").write_bytes(struct.pack("<Q", 99) + raw[8:])
    with pytest.raises(TFRecordError, match="len.tfrecords: length CRC mismatch at byte 0"):
        list(read_records(tmp_path / "len.tfrecords"))
    (tmp_path / "cut.tfrecords").write_bytes(raw[:-3])
    with pytest.raises(TFRecordError, match="cut.tfrecords: truncated record at byte 19"):
        list(read_records(tmp_path / "cut.tfrecords"))


def test_bair_raw_and_prepared(bair_root, tmp_path):
    root, frames = bair_root
    raw = open_dataset("bair", 16, 64, root=root, split="train")
    assert len(raw) == 4  # 2 + 1 + 1 (the corrupt copy still frames correctly)
    expected = torch.from_numpy(frames[("train", "traj_0_to_1.tfrecords")][1][:16]).permute(3, 0, 1, 2)
    assert torch.equal(raw[1], expected)
    manifest = prepare("bair", root, tmp_path / "store", resolution=32, frames=10, split="train", progress=False)
    assert manifest["counts"]["clips"] == 9 and manifest["counts"]["skipped"] == 1  # 3 windows x 3 trajectories
    assert manifest["skipped"][0]["source"] == "train/traj_3_to_3.tfrecords"
    assert "data CRC mismatch" in manifest["skipped"][0]["reason"]
    assert set(manifest["split_sha256"]) == {"train", "test"}
    store = open_dataset(tmp_path / "store", 10, 32)
    assert store.info(4)["source"] == "train/traj_0_to_1.tfrecords" and store.info(4)["start"] == 30 + 10
    assert store[4].shape == (3, 10, 32, 32)
    test = open_dataset("bair", 30, 64, root=root, split="test")
    assert len(test) == 2 and torch.equal(test[0], torch.from_numpy(frames[("test", "traj_0_to_0.tfrecords")][0]).permute(3, 0, 1, 2))


def write_ucf(root):
    """A UCF101 tree: 2 classes, split lists naming one missing file."""
    (root / "ucfTrainTestlist").mkdir(parents=True)
    (root / "ucfTrainTestlist" / "classInd.txt").write_text("1 ApplyEyeMakeup\n2 Basketball\n")
    train, test = [], []
    for c, name in enumerate(("ApplyEyeMakeup", "Basketball")):
        (root / "UCF-101" / name).mkdir(parents=True)
        for g in (1, 8):
            rel = f"{name}/v_{name}_g{g:02d}_c01.avi"
            write_video(root / "UCF-101" / rel, colour_ramp(12, 40, 32, 10 * c + g), fps=25)
            (test.append(rel) if g == 1 else train.append(f"{rel} {c + 1}"))
    train.append("Basketball/v_Basketball_g09_c01.avi 2")  # listed, not downloaded
    (root / "ucfTrainTestlist" / "trainlist01.txt").write_text("\n".join(train) + "\n")
    (root / "ucfTrainTestlist" / "testlist01.txt").write_text("\n".join(test) + "\n")


def test_ucf101_splits_and_missing_file(tmp_path):
    write_ucf(tmp_path / "ucf")
    train = open_dataset("ucf101", 8, 16, root=tmp_path / "ucf", split="train1")
    assert train.classes == ["ApplyEyeMakeup", "Basketball"] and len(train) == 3
    assert [train.info(i)["label"] for i in range(2)] == [0, 1]
    assert open_dataset("ucf101", 8, 16, root=tmp_path / "ucf", split="test1").info(1)["source"] == \
        "UCF-101/Basketball/v_Basketball_g01_c01.avi"
    manifest = prepare("ucf101", tmp_path / "ucf", tmp_path / "store", resolution=16, frames=8, split="train1", progress=False)
    assert manifest["counts"] == {"sources": 3, "clips": 2, "skipped": 1, "short": 0, "truncated": 0, "looped": 0, "used": 2}
    assert manifest["skipped"][0] == {"source": "UCF-101/Basketball/v_Basketball_g09_c01.avi",
                                      "reason": "UCF-101/Basketball/v_Basketball_g09_c01.avi: listed by the dataset but missing on disk",
                                      "kind": "error"}
    assert {"train1", "test1", "all"} <= set(manifest["split_sha256"])
    store = open_dataset(tmp_path / "store", 8, 16, split="train1")
    assert store.labels.tolist() == [0, 1]
    with pytest.raises(GanzooError, match="holds split 'train1', 'test1' asked for"):
        open_dataset(tmp_path / "store", 8, 16, split="test1")
    with pytest.raises(GanzooError, match="split file .*trainlist02.txt is missing"):
        open_dataset("ucf101", 8, 16, root=tmp_path / "ucf", split="train2")


def test_ucf101_through_the_command(tmp_path, capsys):
    write_ucf(tmp_path / "ucf")
    out = tmp_path / "test1"
    assert cli.main(["data", "prepare", str(tmp_path / "ucf"), str(out), "--dataset", "ucf101", "--split", "test1",
                     "--size", "16", "--frames", "8", "--workers", "0", "--no-progress"]) == 0
    assert "ucf101 store, 2 clips of 8x16x16" in capsys.readouterr().out
    assert cli.main(["data", "info", str(out), "--verify"]) == 0
    printed = capsys.readouterr().out
    assert "file list test1: sha256" in printed and "verify: file list unchanged" in printed
    (tmp_path / "ucf" / "UCF-101" / "Basketball" / "v_Basketball_g01_c01.avi").unlink()
    assert cli.main(["data", "info", str(out), "--verify"]) == 1
    assert "file list changed since prepare" in capsys.readouterr().out


def test_voxceleb2_tree_and_mini_subset(tmp_path):
    root = tmp_path / "vox"
    for i, identity in enumerate(("id00012", "id00015")):
        for y, youtube in enumerate(("21Uxsk56VDQ", "Zp8RBYTN3ys")):
            for c in range(3 if i == 0 else 1):
                path = root / identity / youtube / f"{c + 1:05d}.mp4"
                path.parent.mkdir(parents=True, exist_ok=True)
                write_video(path, colour_ramp(9, 32, 32, 100 * i + 10 * y + c), fps=25)
    full = open_dataset("voxceleb2", 8, 16, root=root)
    assert len(full) == 8 and full.classes == ["id00012", "id00015"]
    mini = open_dataset("voxceleb2", 8, 16, root=root, mini=2, mini_seed=1)
    keys = [mini.info(i)["source"] for i in range(len(mini))]
    assert len(keys) == 4 and sum(k.startswith("id00012") for k in keys) == 2
    assert keys == [open_dataset("voxceleb2", 8, 16, root=root, mini=2, mini_seed=1).info(i)["source"] for i in range(4)]
    others = {open_dataset("voxceleb2", 8, 16, root=root, mini=2, mini_seed=s).info(0)["source"] for s in range(8)}
    assert len(others) > 1  # the seed really chooses
    manifest = prepare("voxceleb2", root, tmp_path / "store", resolution=16, frames=8, mini=2, mini_seed=1, progress=False)
    assert manifest["counts"]["clips"] == 4 and manifest["options"]["mini"] == 2
    assert [s for s in manifest["sources"]] == keys


def test_voxceleb2_mini_is_20_clips_per_identity_and_full_voxceleb2_stays_reachable(tmp_path):
    root = tmp_path / "vox"
    for identity, count in (("id00012", 23), ("id00015", 3)):  # Sec. 4.1: 20 per subject
        for c in range(count):
            path = root / identity / ("21Uxsk56VDQ", "Zp8RBYTN3ys")[c % 2] / f"{c + 1:05d}.mp4"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_video(path, colour_ramp(9, 16, 16, c), fps=25)
    mini = open_dataset("voxceleb2-mini", 8, 16, root=root)
    per_identity = [sum(mini.info(i)["label"] == label for i in range(len(mini))) for label in (0, 1)]
    assert per_identity == [20, 3] and mini.options()["mini"] == 20
    assert len(open_dataset("voxceleb2", 8, 16, root=root)) == 26  # the whole dataset
    assert len(open_dataset("voxceleb2-mini", 8, 16, root=root, mini=None)) == 26
    same = open_dataset("voxceleb2", 8, 16, root=root, mini=20)
    assert [same.info(i)["source"] for i in range(len(same))] == [mini.info(i)["source"] for i in range(len(mini))]
