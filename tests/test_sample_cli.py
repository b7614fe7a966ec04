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
    info = json.loads(movie.with_suffix(".json").read_text())
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
