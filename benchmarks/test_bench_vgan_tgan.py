"""VGAN and TGAN train-iteration speed and memory (issue #6), measured, never asserted.

One iteration of the engine's own training loop (``ganzoo.train.loop.Trainer``: data batch, D
step, G step, and TGAN's singular value clipping when due, every 5th step) at the ``paper``
preset with batch 4, float32, 2 threads, CPU, for each model with its own 3D discriminator
and with TPD swapped in (``--disc tpd``). VGAN: 32 frames, BCE, Adam. TGAN: 16 frames, WGAN,
RMSprop.

Reported per case in the benchmark JSON (``extra_info``) and printed as a table: FLOPs of the
iteration (torch's per-op formulas, ``benchmarks/perf.py``), best seconds of 3, GFLOP/s, that as
a share of this machine's float32 matmul rate measured in the same run (a 2048^2 GEMM, best of
before and after), and the peak resident set size of a fresh process that builds the case and
runs one iteration. ``tox -e bench -- -k vgan_tgan``; or
``python benchmarks/test_bench_vgan_tgan.py peak MODEL DISC`` for one peak-RSS figure.
"""

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))
from perf import count_flops, engine_iteration, make_trainer, matmul_gflops, report  # noqa: E402

BATCH, THREADS = 4, 2
CASES = [("vgan", None), ("vgan", "tpd"), ("tgan", None), ("tgan", "tpd")]
RESULTS = {}


def make_case(model, disc, preset="paper"):
    """The engine's Trainer for one case at batch 4, warmed up by one iteration."""
    torch.manual_seed(0)
    trainer = make_trainer(model, disc, preset=preset, overrides=[f"model.batch_size={BATCH}"])
    engine_iteration(trainer)
    return trainer


def peak_rss_mib(model, disc):
    """Peak RSS of a fresh process that builds one case and runs one iteration."""
    out = subprocess.run([sys.executable, __file__, "peak", model, disc or "3d"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mib"]


def table(results):
    rows = ["| model | video D | GFLOP / iter | s / iter | GFLOP/s | share of matmul | peak RSS MiB |",
            "|---|---|---|---|---|---|---|"]
    for (model, disc), r in results.items():
        rows.append(f"| {model} | {disc or '3D'} | {r['gflop']:.1f} | {r['seconds']:.2f} | {r['achieved_gflops']:.1f} "
                    f"| {r['share_of_matmul']:.0%} | {r['peak_rss_mib']:.0f} |")
    return "\n".join(rows)


@pytest.fixture(scope="module")
def threads():
    old = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    yield THREADS
    torch.set_num_threads(old)
    if RESULTS:
        print("\n" + table(RESULTS))


@pytest.mark.parametrize("model,disc", CASES, ids=[f"{m}-{d or '3d'}" for m, d in CASES])
def test_train_iteration(benchmark, threads, model, disc):
    trainer = make_case(model, disc)
    flops = count_flops(lambda: engine_iteration(trainer))
    rate_before = matmul_gflops()
    benchmark.pedantic(engine_iteration, args=(trainer,), rounds=3, warmup_rounds=0, iterations=1)
    rate = max(rate_before, matmul_gflops())
    RESULTS[(model, disc)] = report(benchmark, flops, rate, batch_videos=BATCH, frames=trainer.cfg.model.frames,
                                    peak_rss_mib=peak_rss_mib(model, disc))


if __name__ == "__main__" and sys.argv[1:2] == ["peak"]:
    torch.set_num_threads(THREADS)
    make_case(sys.argv[2], None if sys.argv[3] == "3d" else sys.argv[3])
    print(json.dumps({"peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
