"""kill -9 at random moments, including in the middle of a checkpoint write, then --resume:
the run ends bit-identical to one that was never killed (same losses at every step, same weights)."""

import json
import os
import random
import signal
import subprocess
import sys
import time

import torch

from test_train_tiny import install_tiny_plugin

STEPS = 16
ARGS = ["--model", "tiny-gan", "--data", "tiny-clips", "--seed", "5", "--no-progress",
        "--set", f"model.iterations={STEPS}", "--set", "schedule.checkpoint_every=1", "--set", "schedule.log_every=1",
        "--set", "schedule.keep_checkpoints=2", "--set", "schedule.sample_every=0",
        "--set", "model.generator.kwargs.width=128"]  # a ~3 MB checkpoint: a write takes long enough to be hit


def start(out, env):
    """A fresh run, or ``--resume`` once the folder holds one (``--resume`` on nothing is an error)."""
    resume = ["--resume"] if (out / "config.toml").exists() else []
    return subprocess.Popen([sys.executable, "-m", "ganzoo", "train", "--out", str(out), *ARGS, *resume], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc):
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])


def temp_files(out):
    folder = out / "checkpoints"
    return [n for n in os.listdir(folder) if n.endswith(".tmp")] if folder.is_dir() else []


def logged_steps(out):
    path = out / "log.jsonl"
    return path.read_text().count("\n") if path.exists() else 0


def kill_when(proc, ready, timeout=120):
    """SIGKILL ``proc`` as soon as ``ready()`` is true; False if it exited first."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def test_sigkill_at_random_moments_then_resume_is_bit_identical(tmp_path):
    (tmp_path / "site").mkdir()
    site = install_tiny_plugin(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(site), "GANZOO_PLUGINS": "train,tinytest", "OMP_NUM_THREADS": "1"}
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    first = start(reference, env)  # the uninterrupted run, in parallel with the killing below

    mid_write = False
    for _ in range(6):  # killed while a checkpoint temp file exists (mid-write); retried if the write won
        proc = start(killed, env)
        if not kill_when(proc, lambda: bool(temp_files(killed))):
            break
        if temp_files(killed):
            mid_write = True
            break
    rng = random.Random(0)
    for _ in range(2):  # and at random moments between/within steps
        proc = start(killed, env)
        target = logged_steps(killed) + rng.randint(1, 6)
        kill_when(proc, lambda: logged_steps(killed) >= target)
        time.sleep(rng.uniform(0, 0.02))
    result = finish(start(killed, env))
    assert mid_write, "no kill landed during a checkpoint write"
    assert temp_files(killed) == []  # the resume cleaned the dead process's temp file
    assert result["step"] == STEPS and finish(first)["step"] == STEPS

    a = torch.load(reference / f"checkpoints/ckpt-{STEPS:08d}.pt", weights_only=True)
    b = torch.load(killed / f"checkpoints/ckpt-{STEPS:08d}.pt", weights_only=True)
    for part in ("generator", "generator_ema"):
        for name, tensor in a[part].items():
            assert torch.equal(tensor, b[part][name]), f"{part}.{name}"
    for role, weights in a["discriminators"].items():
        for name, tensor in weights.items():
            assert torch.equal(tensor, b["discriminators"][role][name]), f"{role}.{name}"
    assert a["optimizers"]["image"]["state"][0]["exp_avg_sq"].equal(b["optimizers"]["image"]["state"][0]["exp_avg_sq"])

    expected = {row["step"]: row for row in map(json.loads, (reference / "log.jsonl").read_text().splitlines())}
    rows = [json.loads(line) for line in (killed / "log.jsonl").read_text().splitlines()]  # no torn lines
    assert [row["step"] for row in rows] == list(range(1, STEPS + 1))  # steps that ran twice are logged once
    for row in rows:
        strip = lambda r: {k: v for k, v in r.items() if not k.startswith("speed")}  # noqa: E731
        assert strip(row) == strip(expected[row["step"]]), f"step {row['step']} differs after a kill"
