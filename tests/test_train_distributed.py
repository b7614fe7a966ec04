"""`torchrun --nproc_per_node 2 -m ganzoo train` on CPU (gloo): ranks stay bit-identical, rank 0 writes."""

import json
import os
import subprocess
import sys

import torch

from ganzoo.train.loop import weights_digest
from test_train_tiny import install_tiny_plugin


def test_two_gloo_processes_train_identical_weights(tmp_path):
    (tmp_path / "site").mkdir()
    site = install_tiny_plugin(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(site), "GANZOO_PLUGINS": "train,tinytest", "OMP_NUM_THREADS": "1"}
    out = tmp_path / "run"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               "-m", "ganzoo", "train", "--model", "tiny-gan", "--data", "tiny-clips", "--out", str(out),
               "--no-progress", "--set", "model.iterations=4", "--set", "schedule.checkpoint_every=2",
               "--set", "schedule.sample_every=4", "--set", "schedule.log_every=1"]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = sorted((json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")),
                     key=lambda r: r["rank"])
    assert [r["rank"] for r in results] == [0, 1] and all(r["world_size"] == 2 and r["step"] == 4 for r in results)
    assert results[0]["weights_sha256"] == results[1]["weights_sha256"]  # every rank holds the same weights

    state = torch.load(out / "checkpoints/ckpt-00000004.pt", weights_only=True)
    assert weights_digest(state) == results[0]["weights_sha256"]
    assert len(state["rng"]) == 2 and not torch.equal(state["rng"][0]["torch"], state["rng"][1]["torch"])  # per-rank seeds
    assert state["data"] == {"position": 4, "skipped": 0, "world_size": 2}
    # rank 0 alone writes: one event file, one log line per step
    assert len(list((out / "tb").iterdir())) == 1
    assert [json.loads(line)["step"] for line in (out / "log.jsonl").read_text().splitlines()] == [1, 2, 3, 4]
    # the weights moved from their (shared) initialisation
    first = torch.load(out / "checkpoints/ckpt-00000002.pt", weights_only=True)
    assert weights_digest(first) != weights_digest(state)
