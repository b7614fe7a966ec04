"""MoCoGAN and G3AN train-iteration speed and memory (issue #6), measured, never asserted.

One train iteration at the ``paper`` preset, float32, 2 threads, CPU: a D step (video D +
image D, BCE, Adam), then a G step against both (the same fake batch, as G3AN's official
trainer does), for each model with its own 3D video D and with TPD swapped in (``--disc tpd``).
Batch: 4 videos of 16 frames at 64x64; MoCoGAN's D_I sees 4 frames of each (16 images, the
issue's reference run of the official MoCoGAN), G3AN's D_I one frame of each.

Reported per case in the benchmark JSON (``extra_info``) and printed as a table:
FLOPs of the iteration (``torch.utils.flop_counter.FlopCounterMode``), median seconds,
GFLOP/s, that as a share of this machine's float32 matmul rate measured in the same run
(a 2048^2 GEMM, best of before and after), and the peak resident set size of a fresh
process running one iteration. ``tox -e bench -- -k mocogan_g3an``; or
``python benchmarks/test_bench_mocogan_g3an.py peak MODEL DISC`` for one peak-RSS figure.
"""

import json
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from ganzoo import config
from ganzoo.contracts import FRAME
from ganzoo.build import build_discriminators, build_generator, build_optimizer

from perf import matmul_gflops, peak_rss_mib

BATCH, THREADS = 4, 2
CASES = [("mocogan", None), ("mocogan", "tpd"), ("g3an", None), ("g3an", "tpd")]
IMAGES_PER_VIDEO = {"mocogan": 4, "g3an": 1}
RESULTS = {}


def make_case(model, disc):
    """Networks, optimizers and a real batch of one paper-preset case; returns ``iteration()``."""
    torch.manual_seed(0)
    spec = config.resolve_run(model, "paper", disc=disc).model
    g, ds = build_generator(spec), build_discriminators(spec)
    ds["image"].frames_per_video = IMAGES_PER_VIDEO[model]
    adam = spec.optimizer_for("generator")
    opt_g = build_optimizer(adam, g.parameters())  # the engine's optimizers (fused Adam)
    opt_d = build_optimizer(adam, [p for d in ds.values() for p in d.parameters()])
    weights = {role: r.weight for role, r in spec.discriminators.items()}
    real = torch.rand(BATCH, 3, spec.frames, spec.resolution, spec.resolution) * 2 - 1

    def inputs(role, video):
        d = ds[role]
        if d.consumes != FRAME:
            return video
        k = d.frames_per_video
        picks = torch.rand(BATCH, video.shape[2]).argsort(1)[:, :k]
        return video.transpose(1, 2)[torch.arange(BATCH)[:, None], picks].flatten(0, 1)

    def bce(logits, target):
        logits = logits if isinstance(logits, list) else [logits]
        return sum(F.binary_cross_entropy_with_logits(x, torch.full_like(x, target)) for x in logits)

    def iteration():
        fake = g(g.make_latent(BATCH))
        d_loss = sum(
            w * (bce(ds[r](inputs(r, real)), 1.0) + bce(ds[r](inputs(r, fake.detach())), 0.0)) for r, w in weights.items()
        )
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        for d in ds.values():  # as the engine's G phase (Trainer._train_only): no D weight gradients
            d.requires_grad_(False)
        g_loss = sum(w * bce(ds[r](inputs(r, fake)), 1.0) for r, w in weights.items())
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        for d in ds.values():
            d.requires_grad_(True)

    return iteration


def child_peak_rss_mib(model, disc):
    """Peak RSS of a fresh process that builds one case and runs one iteration."""
    out = subprocess.run(
        [sys.executable, __file__, "peak", model, disc or "3d"], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mib"]


@pytest.fixture(scope="module")
def threads():
    old = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    yield THREADS
    torch.set_num_threads(old)
    if RESULTS:
        print("\n" + table(RESULTS))


def table(results):
    rows = ["| model | video D | GFLOP / iter | s / iter | GFLOP/s | share of matmul | peak RSS MiB |", "|---|---|---|---|---|---|---|"]
    for (model, disc), r in results.items():
        rows.append(
            f"| {model} | {disc or '3D'} | {r['gflop_per_iter']:.1f} | {r['seconds']:.2f} | {r['gflops']:.1f} "
            f"| {r['share_of_matmul']:.0%} | {r['peak_rss_mib']:.0f} |"
        )
    return "\n".join(rows)


@pytest.mark.parametrize("model,disc", CASES, ids=[f"{m}-{d or '3d'}" for m, d in CASES])
def test_train_iteration(benchmark, threads, model, disc):
    iteration = make_case(model, disc)
    with FlopCounterMode(display=False) as counter:
        iteration()  # also the warm-up
    flops = counter.get_total_flops()
    rate_before = matmul_gflops()
    benchmark.pedantic(iteration, rounds=2, warmup_rounds=0, iterations=1)
    rate = max(rate_before, matmul_gflops())
    seconds = benchmark.stats.stats.median
    info = {
        "gflop_per_iter": flops / 1e9,
        "seconds": seconds,
        "gflops": flops / seconds / 1e9,
        "matmul_gflops": rate,
        "threads": threads,
        "batch_videos": BATCH,
        "images_per_video": IMAGES_PER_VIDEO[model],
        "peak_rss_mib": child_peak_rss_mib(model, disc),
    }
    info["share_of_matmul"] = info["gflops"] / rate
    benchmark.extra_info.update(info)
    RESULTS[(model, disc)] = info
    print("\n" + table({(model, disc): info}).splitlines()[-1], flush=True)  # each row as soon as it is measured


if __name__ == "__main__" and sys.argv[1:2] == ["peak"]:
    torch.set_num_threads(THREADS)
    model, disc = sys.argv[2], None if sys.argv[3] == "3d" else sys.argv[3]
    make_case(model, disc)()
    print(json.dumps({"peak_rss_mib": peak_rss_mib()}))
