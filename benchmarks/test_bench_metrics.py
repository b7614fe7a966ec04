"""Metric feature networks: videos per second, and the time to score the paper's protocol.

For each network (3D ResNeXt-101 of fid-resnext101, C3D of is-c3d, the shapes network of the
offline metrics) the whole per-video path is timed: a batch of generator-sized uint8 videos
(16 frames, 64x64) through the protocol's resize/crop and the network (random weights: speed
does not depend on them). CPU runs with 2 threads in float32; on CUDA also bf16 and fp16
autocast. FVD's I3D is a user-given TorchScript file and is not benchmarked here.

``extra_info`` holds videos/s, the parameter count and the estimated time to score the paper's
10,000-video protocol (10,000 generated videos encoded; real statistics cached), plus the
Frechet distance itself at that feature size (measured separately in ``test_frechet_time``).
Run: ``tox -e bench -- -k metrics``.
"""

import contextlib
import time

from perf import matmul_gflops

import numpy as np
import pytest
import torch

from ganzoo.metrics import feature_moments, frechet_distance
from ganzoo_metrics.c3d import C3D
from ganzoo_metrics.protocols import FidResNeXt101, FidShapes, IsC3D
from ganzoo_metrics.resnext import ResNeXt3D
from ganzoo_metrics.shapes_net import ShapesNet

PAPER_SAMPLES = 10_000

NETWORKS = {
    "resnext101": (FidResNeXt101, ResNeXt3D, 4),
    "c3d": (IsC3D, C3D, 4),
    "shapes": (FidShapes, ShapesNet, 32),
}


def settings():
    out = [("cpu", None)]
    if torch.cuda.is_available():
        out += [("cuda", None), ("cuda", torch.bfloat16), ("cuda", torch.float16)]
    return out


def metric_with(metric_class, net, device):
    metric = metric_class(device=device)
    if metric_class is IsC3D:
        net.register_buffer("bgr_mean", torch.full((3, 1, 1, 1), 100.0), persistent=False)
    net = net.eval()
    metric._net = (net.for_inference() if hasattr(net, "for_inference") else net).to(device)  # as metric.build does
    return metric


@pytest.mark.parametrize("device,dtype", settings(), ids=lambda v: str(v).replace("torch.", ""))
@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_feature_network_speed(benchmark, two_threads, name, device, dtype):
    metric_class, net_class, batch = NETWORKS[name]
    torch.manual_seed(0)
    metric = metric_with(metric_class, net_class(), device)
    if device == "cuda":
        batch *= 8
    videos = torch.randint(0, 256, (batch, 3, 16, 64, 64), dtype=torch.uint8)
    autocast = torch.autocast("cuda", dtype=dtype) if dtype is not None else contextlib.nullcontext()

    def encode():
        with autocast, torch.no_grad():
            out = metric.embed(metric.net, metric.prepare(videos).to(device))
        if device == "cuda":
            torch.cuda.synchronize()
        return out

    encode()  # warm-up (cuDNN autotuning, allocator)
    result = benchmark.pedantic(encode, rounds=3, iterations=1)
    assert result.shape[0] == batch
    per_second = batch / benchmark.stats.stats.min
    benchmark.extra_info.update({
        "network": name, "device": device, "dtype": str(dtype or torch.float32), "batch": batch,
        "videos_per_s": round(per_second, 2),
        "parameters": sum(p.numel() for p in metric.net.parameters()),
        "paper_protocol_s": round(PAPER_SAMPLES / per_second, 1),
        "gemm_gflops": round(matmul_gflops(device), 1),  # this machine's float32 GEMM rate right now (load varies)
    })


@pytest.mark.parametrize("dim", [128, 2048])
def test_frechet_time(benchmark, dim):
    rng = np.random.default_rng(0)
    a = feature_moments(rng.normal(size=(4 * dim, dim)))
    b = feature_moments(rng.normal(0.1, 1.0, size=(4 * dim, dim)))
    value = benchmark.pedantic(lambda: frechet_distance(*a, *b), rounds=1, iterations=1)
    assert value > 0
    benchmark.extra_info.update({"dim": dim, "seconds": round(benchmark.stats.stats.min, 3)})


if __name__ == "__main__":  # quick figures without pytest-benchmark
    torch.set_num_threads(2)
    for name, (metric_class, net_class, batch) in NETWORKS.items():
        metric = metric_with(metric_class, net_class(), "cpu")
        videos = torch.randint(0, 256, (batch, 3, 16, 64, 64), dtype=torch.uint8)
        with torch.no_grad():
            metric.embed(metric.net, metric.prepare(videos))
            start = time.perf_counter()
            metric.embed(metric.net, metric.prepare(videos))
        rate = batch / (time.perf_counter() - start)
        params = sum(p.numel() for p in metric.net.parameters())
        print(f"{name}: {rate:.2f} videos/s on 2 CPU threads, {params:,} parameters, 10k videos in {PAPER_SAMPLES / rate / 60:.1f} min")
