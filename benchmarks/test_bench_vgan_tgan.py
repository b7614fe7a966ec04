"""VGAN and TGAN train-iteration speed and memory (issue #6), measured, never asserted.

One iteration of the engine's own training loop (``ganzoo.train.loop.Trainer``: data batch, D
step, G step, and TGAN's singular value clipping when due, every 5th step) at the ``paper``
preset with batch 4, float32, 2 threads, CPU, for each model with its own 3D discriminator
and with TPD swapped in (``--disc tpd``). VGAN: 32 frames, BCE, Adam. TGAN: 16 frames, WGAN,
RMSprop.

Each case runs in a fresh process (so its peak resident set size is its own): build, one
warm-up iteration (skipped with ``--no-warmup``: TPD at the paper preset costs minutes per
iteration on 2 cores), then ``rounds`` timed iterations with their FLOPs counted (torch's
per-op formulas, ``benchmarks/perf.py``), and this machine's float32 matmul rate (2048^2 GEMM)
measured before and after; the best is the reference. Reported per case in the benchmark JSON
(``extra_info``) and printed as a table: GFLOP per iteration, best seconds, GFLOP/s, share of
the matmul rate, peak RSS. ``tox -e bench -- -k vgan_tgan``; one case alone:
``python benchmarks/test_bench_vgan_tgan.py case vgan 3d [--no-warmup] [--rounds N]``.

Measured 2026-11-29 on the 2-core development machine (shared with other jobs; each share is
against the matmul rate measured in the same process):

| model | video D | GFLOP / iter | s / iter | GFLOP/s | share of matmul | peak RSS MiB |
|---|---|---|---|---|---|---|
| vgan | 3D | 202.0 | 35.45 | 5.7 | 20% | 1549 |
| tgan | 3D | 135.9 | 21.95 | 6.2 | 26% | 1386 |
| tgan | tpd | 4305.9 | 298.11 | 14.4 | 45% | 4088 |
| vgan | tpd | 4314.9 | 224.22 | 19.2 | 46% | 4276 |

Below the issue's 60% target with the 3D discriminators: on this CPU, torch's 3D convolutions
with few channels (D's 3->64 input layer, G's 64->3+1 output layer) and the weight gradients
of 3D (transposed) convolutions run at a few percent of the GEMM rate.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))
from perf import count_flops, engine_iteration, make_trainer, matmul_gflops, peak_rss_mib  # noqa: E402

BATCH, THREADS = 4, 2
# (model, video D, warm-up): TPD's paper-preset iterations are too long to repeat on 2 cores
CASES = [("vgan", None, True), ("tgan", None, True), ("tgan", "tpd", False), ("vgan", "tpd", False)]
RESULTS = {}


def measure(model, disc, warmup=True, rounds=1):
    """The figures of one case, in this process (run it in a fresh one for its peak RSS)."""
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    trainer = make_trainer(model, disc, preset="paper", overrides=[f"model.batch_size={BATCH}"])
    if warmup:
        engine_iteration(trainer)
    rate = matmul_gflops()
    best, flops = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        flops = count_flops(lambda: engine_iteration(trainer))
        best = min(best, time.perf_counter() - start)
    rate = max(rate, matmul_gflops())
    achieved = flops / best / 1e9
    return {"model": model, "disc": disc or "3D", "gflop": flops / 1e9, "seconds": best, "achieved_gflops": achieved,
            "matmul_gflops": rate, "share_of_matmul": achieved / rate, "threads": THREADS, "batch_videos": BATCH,
            "frames": trainer.cfg.model.frames, "warmup": warmup, "rounds": rounds,
            "peak_rss_mib": peak_rss_mib()}


def run_case(model, disc, warmup):
    args = [sys.executable, __file__, "case", model, disc or "3d"] + ([] if warmup else ["--no-warmup"])
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(results):
    rows = ["| model | video D | GFLOP / iter | s / iter | GFLOP/s | share of matmul | peak RSS MiB |",
            "|---|---|---|---|---|---|---|"]
    for r in results.values():
        rows.append(f"| {r['model']} | {r['disc']} | {r['gflop']:.1f} | {r['seconds']:.2f} | {r['achieved_gflops']:.1f} "
                    f"| {r['share_of_matmul']:.0%} | {r['peak_rss_mib']:.0f} |")
    return "\n".join(rows)


@pytest.fixture(scope="module")
def results():
    yield RESULTS
    if RESULTS:
        print("\n" + table(RESULTS))


@pytest.mark.parametrize("model,disc,warmup", CASES, ids=[f"{m}-{d or '3d'}" for m, d, _ in CASES])
def test_train_iteration(benchmark, results, model, disc, warmup):
    figures = benchmark.pedantic(run_case, args=(model, disc, warmup), rounds=1, iterations=1)
    benchmark.extra_info.update(figures)
    results[(model, disc)] = figures


if __name__ == "__main__" and sys.argv[1:2] == ["case"]:
    parser = argparse.ArgumentParser()
    parser.add_argument("what")
    parser.add_argument("model")
    parser.add_argument("disc")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--rounds", type=int, default=1)
    opts = parser.parse_args()
    figures = measure(opts.model, None if opts.disc == "3d" else opts.disc, not opts.no_warmup, opts.rounds)
    print(json.dumps(figures))
