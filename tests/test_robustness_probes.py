"""Bad input and faults as a new user meets them (issue 18): each ends in one line on stderr and
a known exit code, or in correct behaviour; none hangs, none prints a traceback, none loses work.

Probes that need a real process (a hang, a signal, a closed pipe) run the ``ganzoo`` script in a
subprocess under a timeout; the rest call ``ganzoo.cli.main`` in-process, the same code path
without paying for a torch import per probe.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ganzoo import cli, config
from ganzoo.errors import GanzooError
from ganzoo.video import write_video

from conftest import run_ganzoo
from test_train_tiny import install_tiny_plugin

TINY = ["--model", "mocogan", "--preset", "tiny", "--no-progress"]


def one_line_error(err, code, got, *words):
    """stderr holds exactly one non-warning line, ``ganzoo: ...`` naming ``words``; no traceback."""
    lines = [line for line in err.strip().splitlines() if line.strip() and not line.startswith("warning:")]
    assert got == code, err
    assert "Traceback" not in err and len(lines) == 1 and lines[0].startswith("ganzoo: "), err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def main(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- 18.1 config values


def test_a_negative_batch_no_longer_hangs(tmp_path):
    """It spun forever in BatchOrder.__iter__: now the schema refuses it before any work."""
    result = run_ganzoo("train", *TINY, "--set", "model.batch_size=-2", "--out", str(tmp_path / "run"), timeout=60)
    one_line_error(result.stderr, 2, result.returncode, "model.batch_size: got -2; allowed: an integer >= 1")
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("setting, words", [
    ("model.batch_size=0", "model.batch_size: got 0; allowed: an integer >= 1"),  # was ZeroDivisionError
    ("model.iterations=-5", "model.iterations: got -5; allowed: an integer >= 0"),  # trained 0 steps, exit 0
    ("model.optimizers.generator.lr=nan", "model.optimizers.generator.lr: got nan; allowed: a finite number > 0"),
    ("model.optimizers.discriminators.lr=-1", "model.optimizers.discriminators.lr: got -1.0"),
    ("model.optimizers.generator.betas=[1, 2]", "betas: got [1.0, 2.0]; allowed: two numbers in [0, 1)"),
    ("model.frames=0", "model.frames: got 0; allowed: an integer >= 1"),
    ("model.resolution=17", "power-of-two resolution"),  # what the nets accept, checked when the run is built
    ("schedule.checkpoint_every=-1", "schedule.checkpoint_every: got -1"),
    ("data.workers=-3", "data.workers: got -3"),
    ("seed=-1", "seed: got -1; allowed: an integer from 0 to 4294967295"),
    ("amp=fp16", "amp: got 'fp16'; allowed: bf16, fp32 or none"),
    ("model.iterations=0", "model.iterations is 0: nothing to train"),
])
def test_config_values_out_of_range_are_one_line_naming_key_value_and_range(clean_plugins, capsys, tmp_path, setting, words):
    code, _, err = main(capsys, "train", *TINY, "--set", setting, "--out", str(tmp_path / "run"))
    one_line_error(err, 2, code, words)
    assert not (tmp_path / "run" / "checkpoints").exists()


def test_the_pipeline_refuses_a_batch_below_one_too():
    from ganzoo.data.pipeline import BatchOrder

    for batch in (0, -2):
        with pytest.raises(GanzooError, match=f"batch size {batch}: need an integer >= 1"):
            BatchOrder(list(range(10)), batch)


SET_KEYS = ["model.batch_size", "model.iterations", "model.frames", "model.ema", "model.optimizers.generator.lr",
            "model.optimizers.generator.betas", "model.discriminators.video.weight", "model.generator.kwargs.width",
            "model.regularizers.0.interval", "schedule.log_every", "data.source", "data.kwargs", "seed", "amp",
            "device", "model", "schedule", "model.optimizers", "model.presets.tiny"]
REAL_KEY = st.sampled_from(SET_KEYS)
VALUES = st.one_of(
    st.integers(-3, 64).map(str), st.integers(-3, 64).map(str), st.floats(-2, 2).map(repr),
    st.integers(-2**70, 2**70).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["true", "none", "[]", "[1, 2]", "[0.5, 0.9]", "{a = 1}", '"x"', '"bf16"', "inf", "-inf", "nan",
                     "1e400", "=", "[", ""]),
    st.text(max_size=12))
KEYS = st.one_of(REAL_KEY, REAL_KEY, REAL_KEY, st.text(max_size=20),  # mostly real keys, so values get checked
                 st.lists(st.sampled_from(["model", "kwargs", "0", "x", "", "lr", "generator"]), max_size=4).map(".".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(KEYS, VALUES), max_size=3), raw=st.booleans())
def test_set_parsing_and_config_loading_never_raise_anything_but_a_ganzoo_error(clean_plugins, pairs, raw):
    """Random ``--set`` keys, values and types: a resolved run, or a GanzooError (one line at the CLI)."""
    overrides = [f"{key}={value}" if not raw else f"{key}{value}" for key, value in pairs]
    try:
        run = config.resolve_run("mocogan", "tiny", overrides=overrides)
    except GanzooError as exc:
        assert "\n" not in str(exc)
        return
    # what resolved must survive the round trip through the file a run writes and reloads
    assert config.from_data(config.to_data(run), config.RunConfig) == run


@settings(max_examples=150, deadline=None)
@given(data=st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
                         lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                 st.dictionaries(st.sampled_from(
                                                     ["model", "data", "schedule", "seed", "name", "frames",
                                                      "batch_size", "lr", "generator", "kwargs", "x"]), inner, max_size=4)),
                         max_leaves=12))
def test_loading_any_plain_data_as_a_run_config_is_a_run_or_a_config_error(data):
    try:
        config.from_data(data, config.RunConfig)
    except GanzooError as exc:
        assert "\n" not in str(exc)


# ---------------------------------------------------------------- 18.2 signals and resume


def _tiny_env(tmp_path):
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    install_tiny_plugin(site)
    return {**os.environ, "PYTHONPATH": str(site), "GANZOO_PLUGINS": "train,tinytest", "OMP_NUM_THREADS": "1"}


def _as_from_a_terminal():
    """Child setup (``preexec_fn``): SIGINT handled as a terminal's job gets it. A test runner
    started in the background by a non-interactive shell inherits SIGINT ignored, and an ignored
    signal stays ignored across exec, so Ctrl-C probes would test nothing (and leave runs behind)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _train(out, env, iterations, resume=False):
    args = ["--model", "tiny-gan", "--data", "tiny-clips", "--seed", "3", "--no-progress",
            "--set", f"model.iterations={iterations}", "--set", "schedule.log_every=1",
            "--set", "schedule.checkpoint_every=1000", "--set", "schedule.sample_every=0"]
    return subprocess.Popen([sys.executable, "-m", "ganzoo", "train", "--out", str(out), *args,
                             *(["--resume"] if resume else [])],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_as_from_a_terminal)


def _stop_after(proc, out, lines, signum):
    """Send ``signum`` once ``out/log.jsonl`` has ``lines`` more lines; (exit code, stderr)."""
    log = out / "log.jsonl"
    start = log.read_text().count("\n") if log.exists() else 0
    deadline = time.monotonic() + 120
    while not (log.exists() and log.read_text().count("\n") >= start + lines):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
        time.sleep(0.01)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    name = signal.Signals(signum).name
    ack = f"ganzoo: {name}: stopping after the current step and saving a checkpoint (send it again to abort at once)"
    assert err.strip().splitlines()[0] == ack, err  # said at once: the step may take a while
    return proc.returncode, err.replace(ack, "", 1)


def _rows(out):
    return [{k: v for k, v in row.items() if not k.startswith("speed")}
            for row in map(json.loads, (out / "log.jsonl").read_text().splitlines())]


def test_sigint_then_sigterm_save_the_step_and_resume_is_bit_identical(tmp_path):
    env = _tiny_env(tmp_path)
    stopped, straight = tmp_path / "stopped", tmp_path / "straight"
    code, err = _stop_after(_train(stopped, env, 10**6), stopped, 3, signal.SIGINT)
    line = one_line_error(err, 130, code, "stopped on SIGINT after step", "--resume")
    first = int(line.split("after step ")[1].split()[0])
    assert [p.name for p in (stopped / "checkpoints").iterdir()] == [f"ckpt-{first:08d}.pt"]  # off schedule: kept

    code, err = _stop_after(_train(stopped, env, 10**6, resume=True), stopped, 2, signal.SIGTERM)
    line = one_line_error(err, 143, code, "stopped on SIGTERM after step")
    second = int(line.split("after step ")[1].split()[0])
    assert second > first
    # the newer stop's checkpoint replaces the older one: a stop leaves one file, not one per stop
    assert [p.name for p in (stopped / "checkpoints").iterdir()] == [f"ckpt-{second:08d}.pt"]

    total = second + 2
    resumed, reference = _train(stopped, env, total, resume=True), _train(straight, env, total)
    results = []
    for proc in (resumed, reference):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "Traceback" not in err, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert results[0]["step"] == results[1]["step"] == total
    assert results[0]["weights_sha256"] == results[1]["weights_sha256"]  # bit-identical networks
    # every step logged once, with the same numbers as the run that was never stopped
    assert [r["step"] for r in _rows(stopped)] == list(range(1, total + 1))
    assert _rows(stopped) == _rows(straight)
    # the stop checkpoints are gone once the run has its own: the same files as the straight run
    assert sorted(os.listdir(stopped / "checkpoints")) == sorted(os.listdir(straight / "checkpoints"))


def test_ctrl_c_during_bench_jobs_stops_each_job_once_and_each_saves_its_step(tmp_path):
    """``bench --jobs 2``: the jobs run in their own sessions, so Ctrl-C reaches ganzoo bench
    only, which asks each job once to stop (a second signal to a job would abort it unsaved)."""
    results = tmp_path / "results"
    proc = subprocess.Popen([sys.executable, "-m", "ganzoo", "bench", "--model", "mocogan", "--seeds", "2",
                             "--preset", "tiny", "--budget", "1000000", "--samples", "8", "--points", "2",
                             "--set", "schedule.log_every=1", "--results", str(results), "--jobs", "2",
                             "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,  # a process group of its own, as a terminal's job
                            preexec_fn=_as_from_a_terminal)
    try:
        deadline = time.monotonic() + 120
        while len(list(results.glob("runs/*/log.jsonl"))) < 2 or not all(
                log.read_text().count("\n") >= 2 for log in results.glob("runs/*/log.jsonl")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole foreground group
        _, err = proc.communicate(timeout=120)
    finally:
        _kill_all(proc, results)
    assert proc.returncode == 130 and "Traceback" not in err, err
    lines = [line for line in err.strip().splitlines() if not line.startswith("bench: ")]  # its progress lines
    assert len(lines) == 1 and lines[0].startswith("ganzoo: interrupted; the running jobs saved their current step; "
                                                   "run the same ganzoo bench command again"), err
    assert "bench: stopping 2 running job(s)" in err, err
    for run in results.glob("runs/*"):
        saved = [p.name for p in (run / "checkpoints").iterdir()]
        assert len(saved) == 1 and saved[0].startswith("ckpt-"), (run, saved)
    for log in (results / "logs").iterdir():
        assert "stopped on SIGTERM after step" in log.read_text(), log.read_text()


def _kill_all(proc, results):
    """A failed probe must not leave bench and its workers (their own sessions) training on."""
    for line in (results / "logs").glob("job-*.log") if (results / "logs").exists() else ():
        pid = line.read_text().split(":")[0].removeprefix("bench worker ")
        if pid.isdigit():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_a_second_signal_aborts_at_once():
    from ganzoo.stopping import StopRequest, Terminated

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)  # SIG_IGN under a background shell
    with StopRequest() as stop:
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.signum == signal.SIGINT  # the first only asks the loop to stop
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    with StopRequest() as stop, pytest.raises(Terminated):
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGTERM)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before  # handlers restored


def test_resume_with_nothing_to_resume_says_so(clean_plugins, capsys, tmp_path):
    code, _, err = main(capsys, "train", *TINY, "--out", str(tmp_path / "empty"), "--resume")
    one_line_error(err, 2, code, "--resume: nothing to resume in", "drop --resume")
    assert not (tmp_path / "empty").exists()


# ---------------------------------------------------------------- 18.4 outputs and pipes


def test_out_naming_a_file_is_one_line_for_train_and_data_prepare(clean_plugins, capsys, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("mine")
    code, _, err = main(capsys, "train", *TINY, "--out", str(taken))
    one_line_error(err, 2, code, "is a file, not a run folder")
    code, _, err = main(capsys, "data", "prepare", "moving-shapes", str(taken), "--dataset", "moving-shapes",
                        "--no-progress")
    one_line_error(err, 2, code, "is a file, not a store folder")
    assert taken.read_text() == "mine"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Three good 40-frame H.264 videos; the same with one cut in half (its header still says 60
    frames: a faststart mp4), with one made of random bytes, and a folder of one video."""
    root = tmp_path_factory.mktemp("videos")
    good = root / "good"
    good.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):
        write_video(good / f"v{i}.mp4", rng.integers(0, 255, (40, 32, 32, 3), dtype=np.uint8), fps=10)
    for name in ("cut", "bad", "one"):
        (root / name).mkdir()
    for i in (0, 2):
        for name in ("cut", "bad"):
            (root / name / f"v{i}.mp4").write_bytes((good / f"v{i}.mp4").read_bytes())
    (root / "one" / "v0.mp4").write_bytes((good / "v0.mp4").read_bytes())
    (root / "bad" / "v1.mp4").write_bytes(rng.integers(0, 255, 4000, dtype=np.uint8).tobytes())
    whole = root / "faststart.mp4"
    with av.open(str(whole), "w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width = stream.height = 32
        stream.pix_fmt = "yuv420p"
        for _ in range(60):
            frame = av.VideoFrame.from_ndarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    data = whole.read_bytes()
    (root / "cut" / "v1.mp4").write_bytes(data[:len(data) // 2])
    return root


def test_eval_output_to_a_full_disk_is_one_line(clean_plugins, capsys, folders, tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "cache"))
    args = ["eval", "--metric", "fid-shapes", str(folders / "good"), str(folders / "cut"), "--n", "3"]
    code, out, err = main(capsys, *args, "--output", "/dev/full")
    one_line_error(err, 2, code, "/dev/full: no space left")
    assert "fid-shapes:" in out  # the score was printed before the write failed
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")  # written straight, never renamed over
    code, _, err = main(capsys, *args, "--output", "/proc/no/such.json")
    one_line_error(err, 2, code, "/proc/no: No such file or directory")


def test_a_closed_pipe_ends_quietly(tmp_path):
    ganzoo = Path(sys.executable).with_name("ganzoo")
    proc = subprocess.Popen([str(ganzoo), "list", "models"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first write, as `| head -1` is after its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert proc.returncode == 141 and err == "", err


# ---------------------------------------------------------------- 18.5 messages and bad videos


def test_random_bytes_and_code_as_checkpoint_or_weights_name_the_problem(clean_plugins, capsys, tmp_path):
    import torch

    noise = tmp_path / "noise.pt"
    noise.write_bytes(np.random.default_rng(1).integers(0, 255, 5000, dtype=np.uint8).tobytes())
    code_file = tmp_path / "code.pt"
    torch.save({"payload": os.system}, code_file)
    probes = [(["eval", "--metric", "fid-shapes", str(noise), "moving-shapes", "--n", "2"],
               ["checkpoint", "noise.pt is not a torch checkpoint, or is corrupt"]),
              (["eval", "--metric", "fid-shapes", str(code_file), "moving-shapes", "--n", "2"],
               ["refusing checkpoint", "loading it would run code (posix.system)"]),
              # the pinned hash stops both first; past it (--allow-unknown-weights) the loader names them
              (["eval", "--metric", "fid-shapes", "moving-shapes", "moving-shapes", "--n", "2", "--weights", str(noise)],
               ["weights file", "noise.pt' has SHA-256", "it is another file"]),
              (["eval", "--metric", "fid-shapes", "moving-shapes", "moving-shapes", "--n", "2", "--weights", str(noise),
                "--allow-unknown-weights"], ["weights file", "not a torch checkpoint"]),
              (["eval", "--metric", "fid-shapes", "moving-shapes", "moving-shapes", "--n", "2", "--weights", str(code_file),
                "--allow-unknown-weights"], ["refusing weights file", "would run code"])]
    for argv, words in probes:
        code, _, err = main(capsys, *argv)
        line = one_line_error(err, 2, code, *words)
        assert "pickled code" not in line and "weights_only" not in line and "likely succeed" not in line


def test_eval_on_a_missing_path_does_not_call_it_an_unknown_dataset_only(clean_plugins, capsys, tmp_path):
    code, _, err = main(capsys, "eval", "--metric", "fid-shapes", str(tmp_path / "nothere"), "moving-shapes")
    assert "unknown dataset" not in one_line_error(err, 2, code, "nothere does not exist")
    code, _, err = main(capsys, "eval", "--metric", "fid-shapes", "nothere", "moving-shapes")  # could be either
    one_line_error(err, 2, code, "no file or folder 'nothere', and unknown dataset 'nothere'")


def test_bad_and_truncated_videos_are_skipped_and_reported_by_eval_and_prepare(clean_plugins, capsys, folders,
                                                                               tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "cache"))
    for name, words in (("bad", "not a readable video"), ("cut", "frames decoded, its header says 60")):
        code, out, err = main(capsys, "eval", "--metric", "fid-shapes", str(folders / name), str(folders / "good"),
                              "--n", "3", "--json")
        assert code == 0 and "Traceback" not in err, err
        assert f"skipped {folders / name / 'v1.mp4'}" in err and words in err
        sets = json.loads(out)["protocol"]["sets"]
        assert sets["a"]["samples"] == 2 and sets["a"]["skipped"][0]["source"] == "v1.mp4"
    code, out, err = main(capsys, "data", "prepare", str(folders / "cut"), str(tmp_path / "store"), "--size", "16",
                          "--frames", "8", "--workers", "0", "--no-progress")
    assert code == 0 and "truncated 1" in out and "truncated: " in out and "its header says 60" in out, out + err


def test_a_one_video_set_names_the_need_for_two(clean_plugins, capsys, folders, tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "cache"))
    code, _, err = main(capsys, "eval", "--metric", "fid-shapes", str(folders / "one"), str(folders / "good"), "--n", "3")
    line = one_line_error(err, 2, code, "set A has 1 usable video(s)", "at least 2 videos per set")
    assert "mu and sigma" not in line


# ---------------------------------------------------------------- 18.7 non-finite training


def test_non_finite_training_stops_naming_step_loss_and_networks_or_skips(clean_plugins, capsys, tmp_path):
    blow_up = ["--set", "model.iterations=3", "--set", "schedule.checkpoint_every=1",
               "--set", "model.optimizers.generator.lr=1e30"]  # G's first step overflows D's next forward
    code, _, err = main(capsys, "train", *TINY, *blow_up, "--out", str(tmp_path / "stop"))
    one_line_error(err, 2, code, "non-finite at step 2, phase D_main (networks image, video)", "loss/D = nan",
                   "ckpt-00000001.pt) is kept")
    assert os.listdir(tmp_path / "stop" / "checkpoints") == ["ckpt-00000001.pt"]
    code, out, err = main(capsys, "train", *TINY, *blow_up, "--out", str(tmp_path / "skip"), "--skip-nonfinite")
    assert code == 0 and json.loads(out)["skipped_nonfinite"] > 0 and "were skipped (--skip-nonfinite)" in err


def test_a_full_disk_while_checkpointing_is_one_line_and_leaves_no_half_written_file(clean_plugins, capsys, tmp_path):
    """A file-size limit fails the checkpoint write as a full disk does (EFBIG rather than ENOSPC)."""
    import resource

    out = tmp_path / "run"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, hard))  # a tiny MoCoGAN checkpoint is ~400 kB
        code, _, err = main(capsys, "train", *TINY, "--set", "model.iterations=1", "--out", str(out))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)
    one_line_error(err, 2, code, "ckpt-00000001.pt: no space left while writing")
    assert os.listdir(out / "checkpoints") == []  # neither the checkpoint nor its temp file
