"""`ganzoo interpret` as a user runs it, on a tiny real InMoDeGAN checkpoint and on real video files."""

import json

import numpy as np
import pytest

from ganzoo import cli

from conftest import SHARED_DATA, save_untrained

CITY = SHARED_DATA / "cityCC0.mpg"


@pytest.fixture(scope="module")
def inmodegan(tmp_path_factory):
    return save_untrained("inmodegan", tmp_path_factory.mktemp("ckpt") / "inmodegan.pt")


def interpret(capsys, *args):
    code = cli.main(["interpret", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_stats_and_deactivate_on_a_real_inmodegan(inmodegan, tmp_path, capsys):
    code, out, err = interpret(capsys, inmodegan, "stats", "--n", "300", "--out", tmp_path / "stats")
    assert code == 0, err
    summary = json.loads((tmp_path / "stats" / "stats.json").read_text())
    assert summary["n"] == 300 and summary["n_directions"] == 8 and len(summary["variance"]) == 8
    assert "| rank | by |mean| |" in out and "alpha statistics" in err  # table printed, progress bar shown
    code, out, err = interpret(capsys, inmodegan, "deactivate", "--n", "4", "--batch", "4", "--top", "2",
                               "--normalize", "area", "--out", tmp_path / "deact")
    assert code == 0, err
    result = json.loads((tmp_path / "deact" / "deactivation.json").read_text())
    assert len(result["directions"]) == 2 and set(result["conditions"]) == {"all", *(f"d{k} off" for k in result["directions"])}
    assert "| frame | all |" in out and (tmp_path / "deact" / "deactivation.md").exists()
    # the reading of Eq. 6-7 that made the numbers is in the JSON and above the table
    assert result["protocol"]["normalize"] == "area" and "normalize='area'" in out


def test_every_generation_analysis_runs_on_a_real_inmodegan(inmodegan, tmp_path, capsys):
    runs = {
        "activate": ["--directions", "0,7", "--n", "2"],
        "trajectory": ["--trajectory", "0=sin,3=linear", "--n", "2"],
        "longer": ["--frames", "9", "--n", "2"],
        "interpolate": ["--part", "motion", "--steps", "3", "--n", "2"],
        "align": ["--directions", "0,1", "--n", "8", "--batch", "8", "--data", "none"],
        "flow": ["--n", "3"],
    }
    for analysis, extra in runs.items():
        code, out, err = interpret(capsys, inmodegan, analysis, *extra, "--out", tmp_path / analysis)
        assert code == 0, f"{analysis}: {err}"
    assert json.loads((tmp_path / "longer" / "longer.json").read_text())["frames"] == 9
    assert (tmp_path / "activate" / "activate.mp4").stat().st_size > 0
    assert (tmp_path / "trajectory" / "trajectory.gif").exists()
    assert (tmp_path / "interpolate" / "interpolate_motion.json").exists()
    assert "MIG" in (tmp_path / "align" / "align.md").read_text()
    assert json.loads((tmp_path / "flow" / "flow.json").read_text())["model"] == "inmodegan"


def _moving_texture_file(path, dx, dy, frames=6, size=64):
    import cv2

    from ganzoo.video import write_video

    rng = np.random.default_rng(1)
    big = cv2.GaussianBlur(rng.uniform(0, 255, (size * 2, size * 2)).astype(np.float32), (0, 0), 2.5)
    big = cv2.normalize(big, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    clip = np.stack([big[size // 2 - dy * t:size // 2 - dy * t + size, size // 2 - dx * t:size // 2 - dx * t + size]
                     for t in range(frames)])
    return write_video(path, np.repeat(clip[..., None], 3, axis=-1), fps=8)


def test_flow_on_real_video_files_and_a_dataset(tmp_path, capsys):
    folder = tmp_path / "videos"
    folder.mkdir()
    _moving_texture_file(folder / "left_up.mp4", -2, -2)
    _moving_texture_file(folder / "right_down.mp4", 2, 2)
    code, out, err = interpret(capsys, folder, CITY, "flow", "--frames", "5", "--resolution", "64", "--max-flow", "4",
                               "--out", tmp_path / "flow")
    assert code == 0, err
    records = [json.loads(p.read_text()) for p in sorted((tmp_path / "flow" / "per_video").glob("*.json"))]
    assert [r["name"] for r in records] == ["left_up.mp4", "right_down.mp4", "cityCC0.mpg"]
    left_up, right_down = (np.array(r["scores"]["frame"]["phi"]) for r in records[:2])
    assert left_up.argmax() == 0 and right_down.argmax() == 3  # opposite motions land in R0 and R3
    assert left_up[0] == pytest.approx(np.hypot(2, 2) / 4, rel=0.25)
    assert records[2]["frames"] == 5 and records[2]["resolution"] == [64, 64]
    assert (tmp_path / "flow" / "regions.png").exists() and (tmp_path / "flow" / "flow.mp4").exists()
    assert len((tmp_path / "flow" / "flow.csv").read_text().splitlines()) == 4
    code, out, err = interpret(capsys, "moving-shapes", "flow", "--n", "2", "--frames", "6", "--resolution", "32",
                               "--masks", "foreground", "--out", tmp_path / "shapes")
    assert code == 0, err
    summary = json.loads((tmp_path / "shapes" / "flow.json").read_text())
    assert summary["n"] == 2 and set(summary["mean"]) == {"frame", "foreground"}
    assert summary["protocol"]["normalize"] == "region"  # the paper's Eq. 6-7 unless asked otherwise


def test_bad_input_is_one_clear_line(inmodegan, tmp_path, capsys):
    mocogan = save_untrained("mocogan", tmp_path / "mocogan.pt")
    bad_csv = tmp_path / "short.csv"
    bad_csv.write_text("d0\n0.5\n")
    cases = [
        ([mocogan, "stats"], "model 'mocogan' has none. Models that have one: inmodegan"),
        ([inmodegan, "deactivate", "--directions", "0,8"], "direction index 8 is outside 0..7"),
        ([inmodegan, "trajectory", "--trajectory", bad_csv], "short.csv has 1 rows of alpha, the video needs 7"),
        ([inmodegan, "flow", "--flow-method", "tvl1"], "flow method 'tvl1' needs OpenCV's contrib modules"),
        ([tmp_path / "missing.pt", "stats"], "missing.pt does not exist"),
        ([inmodegan, "stat"], "unknown interpret analysis 'stat'; did you mean 'stats'?"),
    ]
    for args, message in cases:
        code, _, err = interpret(capsys, *args, "--out", tmp_path / "bad")
        assert code == 2 and message in err, (args, err)
        assert len(err.strip().splitlines()) == 1, err


@pytest.mark.slow
def test_small_preset_run_goes_through_every_analysis(tmp_path):
    """The documented path: `ganzoo train --preset small` on moving-shapes, then every analysis."""
    from conftest import run_ganzoo

    run = tmp_path / "run"
    env = {"OMP_NUM_THREADS": "1"}
    trained = run_ganzoo("train", "--model", "inmodegan", "--data", "moving-shapes", "--preset", "small",
                         "--set", "model.iterations=2", "--out", str(run), "--no-progress", env=env)
    assert trained.returncode == 0, trained.stderr
    analyses = {
        "stats": ["--n", "1000"], "flow": ["--n", "8"], "deactivate": ["--n", "16", "--masks", "foreground"],
        "activate": [], "trajectory": ["--trajectory", "0=linear,1=sin"], "longer": ["--frames", "16"],
        "interpolate": ["--part", "motion"], "align": ["--n", "32", "--batch", "32"],
    }
    for analysis, extra in analyses.items():
        result = run_ganzoo("interpret", str(run), analysis, *extra, "--out", str(tmp_path / analysis), env=env)
        assert result.returncode == 0, f"{analysis}: {result.stderr}"
        assert list((tmp_path / analysis).glob("*.json")), analysis
    align = json.loads((tmp_path / "align" / "align.json").read_text())
    assert set(align) >= {"mig", "random_mig", "matrix", "estimator_check"}


def test_each_analysis_is_a_subcommand_with_its_own_options_in_either_order(capsys):
    parser = cli.build_parser()
    new = parser.parse_args(["interpret", "trajectory", "run", "--trajectory", "0=sin", "--n", "2"])
    old = parser.parse_args(["interpret", "run", "trajectory", "--trajectory", "0=sin", "--n", "2"])
    assert vars(new) == vars(old) and new.analysis == "trajectory" and new.sources == ["run"]
    several = parser.parse_args(["interpret", "a.mp4", "videos/", "flow", "--out", "stats"])
    assert several.analysis == "flow" and several.sources == ["a.mp4", "videos/"] and several.out == "stats"
    with pytest.raises(SystemExit):
        parser.parse_args(["interpret", "stats", "--help"])
    stats_help = capsys.readouterr().out
    assert "--top" in stats_help and "--trajectory" not in stats_help and "--part" not in stats_help
    with pytest.raises(SystemExit):
        parser.parse_args(["interpret", "run", "interpolate", "--help"])
    interpolate_help = capsys.readouterr().out
    assert "--part {appearance,motion}" in interpolate_help and "--bins" not in interpolate_help
    with pytest.raises(SystemExit):
        parser.parse_args(["interpret", "run", "stats", "--trajectory", "0=sin"])  # not a stats option
    assert "unrecognized arguments: --trajectory" in capsys.readouterr().err
