"""`ganzoo train` and `ganzoo sample` as a user runs them, on the tiny model installed as a plugin."""

import json
import shutil

import av
import pytest

from conftest import run_ganzoo
from ganzoo import cli
from test_train_tiny import install_tiny_plugin, tiny  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A 4-step tiny run made by the `ganzoo train` command."""
    site = install_tiny_plugin(tmp_path_factory.mktemp("site"))
    env = {"PYTHONPATH": str(site), "GANZOO_PLUGINS": "train,tinytest", "OMP_NUM_THREADS": "1"}
    out = tmp_path_factory.mktemp("run") / "run"
    result = run_ganzoo("train", "--model", "tiny-gan", "--data", "tiny-clips", "--preset", "tiny", "--out", str(out),
                        "--seed", "3", "--set", "schedule.sample_every=2", "--set", "schedule.log_every=1", env=env)
    assert result.returncode == 0, result.stderr
    return out, env, result


def decode(path):
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_train_command_writes_config_checkpoint_and_progress(trained, tiny, tmp_path, capsys):
    out, env, result = trained
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["step"] == 4 and summary["checkpoint"].endswith("ckpt-00000004.pt")
    assert "it/s" in result.stderr and "loss/G=" in result.stderr  # tqdm bar with the last losses
    assert 'seed = 3' in (out / "config.toml").read_text() and 'preset = "tiny"' in (out / "config.toml").read_text()
    # in-process from here on (each subprocess pays for importing torch)
    copy = tmp_path / "run"
    shutil.copytree(out, copy)
    assert cli.main(["train", "--model", "tiny-gan", "--data", "tiny-clips", "--preset", "tiny", "--out", str(copy)]) == 2
    assert "already holds a run" in capsys.readouterr().err
    assert cli.main(["train", "--out", str(copy), "--resume", "--set", "model.iterations=5", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["iterations_run"] == 1
    assert cli.main(["train", "--out", str(tmp_path / "new"), "--data", "tiny-clips"]) == 2
    assert "--model is required" in capsys.readouterr().err


def test_sample_grid_mp4_decodes_and_card_is_printed(trained, tmp_path):
    out, env, _ = trained
    movie = tmp_path / "grid.mp4"
    result = run_ganzoo("sample", str(out / "checkpoints" / "ckpt-00000004.pt"), "--n", "5", "--seed", "1",
                        "--out", str(movie), env=env)
    assert result.returncode == 0, result.stderr
    assert "model tiny-gan (preset tiny), discriminators image=tiny-frame-d, video=tiny-video-d, step 4" in result.stdout
    frames = decode(movie)
    assert len(frames) == 4 and frames[0].shape == (20, 28, 3)  # 5 videos: 3 columns x 2 rows of 8+1 px, even-padded
    assert frames[0].std() > 0 and not (frames[0] == frames[3]).all()
    info = json.loads(movie.with_name("grid.mp4.json").read_text())
    assert info["card"]["model"] == "tiny-gan" and info["ema"] and info["n"] == 5 and info["seed"] == 1


def test_sample_one_file_per_video_more_frames_and_clear_errors(trained, tiny, tmp_path, capsys):
    out, env, _ = trained
    folder = tmp_path / "clips"
    assert cli.main(["sample", str(out), "--n", "2", "--frames", "6", "--format", "gif", "--out", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["sample_0000.gif", "sample_0001.gif", "samples.json"]
    assert len(decode(folder / "sample_0001.gif")) == 6
    assert cli.main(["sample", str(out), "--truncation", "0.7", "--out", str(tmp_path / "x.mp4")]) == 2
    assert "does not support --truncation" in capsys.readouterr().err
    assert cli.main(["sample", str(tmp_path / "nope.pt"), "--out", str(tmp_path / "x.mp4")]) == 2
    assert "nope.pt does not exist" in capsys.readouterr().err


def test_sample_frames_own_metadata_per_output_and_suffix_errors(trained, tiny, tmp_path, capsys):
    from ganzoo.checkpoints import load_generator
    from ganzoo.commands.sample import generate
    from ganzoo.video.frames import FrameFolders, frame_files

    out, env, _ = trained
    folder = tmp_path / "frames"
    assert cli.main(["sample", str(out), "--n", "3", "--frames", "12", "--seed", "2", "--format", "frames",
                     "--out", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["sample_0000", "sample_0001", "sample_0002", "samples.json"]
    assert [p.name for p in frame_files(folder / "sample_0001")][:3] == ["000000.png", "000001.png", "000002.png"]
    generator, _ = load_generator(out, ema=True)
    expected = generate(generator, 3, 12, 2).permute(0, 2, 3, 4, 1).numpy()  # (n, T, H, W, 3)
    written = FrameFolders(folder)
    assert written.names == ["sample_0000", "sample_0001", "sample_0002"]
    for i, name in enumerate(written.names):
        assert (written.read(name) == expected[i]).all()  # PNG is lossless: the generator's uint8 frames exactly
    assert json.loads((folder / "samples.json").read_text())["format"] == "frames"
    capsys.readouterr()
    # one name, three containers: each output keeps its own metadata file
    for suffix in (".mp4", ".gif", ".avi"):
        assert cli.main(["sample", str(out), "--n", "2", "--seed", "5", "--out", str(tmp_path / f"s{suffix}")]) == 0
    for suffix in (".mp4", ".gif", ".avi"):
        info = json.loads((tmp_path / f"s{suffix}.json").read_text())
        assert info["files"] == [str(tmp_path / f"s{suffix}")] and info["format"] == suffix[1:]
        assert len(decode(tmp_path / f"s{suffix}")) == 4
    assert not (tmp_path / "s.json").exists()
    capsys.readouterr()
    assert cli.main(["sample", str(out), "--out", str(tmp_path / "y.webm")]) == 2
    err = capsys.readouterr().err.strip()
    assert "y.webm" in err and ".avi" in err and "\n" not in err and not (tmp_path / "y.webm").exists()
    assert cli.main(["sample", str(out), "--format", "frames", "--out", str(tmp_path / "z.mp4")]) == 2
    assert "--format frames is for a folder" in capsys.readouterr().err
