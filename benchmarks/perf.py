"""Shared measuring tools for the benchmarks: the machine's GEMM rate, FLOP counts, engine steps.

Benchmarks report achieved GFLOP/s as a share of this machine's float32 matmul rate measured in
the same run, so a figure means the same on a noisy shared machine as on a quiet one.
"""

import tempfile
import time

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import flop_registry


def sync(device):
    if str(device).startswith("cuda"):
        torch.cuda.synchronize()


def matmul_gflops(device="cpu", dtype=torch.float32, n=2048, repeats=5):
    """The machine's dense GEMM rate (best of ``repeats``), GFLOP/s."""
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    best = float("inf")
    for _ in range(repeats + 1):
        sync(device)
        start = time.perf_counter()
        a @ b
        sync(device)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def peak_rss_mib():
    """This process's peak resident set size (MiB), from ``VmHWM``. Not ``ru_maxrss``: Linux
    carries it over fork + exec, so a case run in a child of a big pytest process would report
    the parent's size; VmHWM belongs to this process's own memory map."""
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    return int(hwm.split()[1]) / 1024


def best_of(fn, rounds=3):
    """The shortest wall time of ``rounds`` calls of ``fn`` (seconds): the least-disturbed run."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


class FlopCounter(TorchDispatchMode):
    """torch's per-op FLOP formulas (``flop_registry``) summed over everything dispatched.

    Unlike ``FlopCounterMode`` it installs no module hooks, so it also counts inside
    ``autograd.grad(create_graph=True)`` (the R1 penalty) and on any device.
    """

    def __init__(self):
        super().__init__()
        self.total = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func._overloadpacket in flop_registry:
            self.total += flop_registry[func._overloadpacket](*args, **kwargs, out_val=out)
        return out


def count_flops(fn):
    """FLOPs of one call of ``fn``."""
    with FlopCounter() as counter:
        fn()
    return counter.total


def make_trainer(model, disc=None, preset="small", overrides=(), data="moving-shapes", out_dir=None):
    """The engine's real Trainer for one model/discriminator at a preset, ready to step."""
    from ganzoo.config import DataConfig, resolve_run
    from ganzoo.train import distributed, feed
    from ganzoo.train.loop import Trainer

    run = resolve_run(model, preset, disc, overrides=overrides, data=DataConfig(source=data, kwargs={"size": 64}))
    world = distributed.setup(run.device)
    trainer = Trainer(run, out_dir or tempfile.mkdtemp(prefix="ganzoo-bench-"), world, progress=False)
    trainer.batches = feed.batches(trainer.dataset, run.model.batch_size, run.seed, world.rank, world.size, 0, 0)
    return trainer


def engine_iteration(trainer):
    """One engine iteration (every due phase), as the training loop runs it."""
    trainer.iteration()
    trainer.step += 1


def report(benchmark, flops, rate, **extra):
    """Put the standard figures into the benchmark JSON and return them."""
    seconds = benchmark.stats.stats.min
    achieved = flops / seconds / 1e9
    figures = {"gflop": flops / 1e9, "seconds": seconds, "achieved_gflops": achieved, "matmul_gflops": rate,
               "share_of_matmul": achieved / rate, "threads": torch.get_num_threads(), **extra}
    benchmark.extra_info.update(figures)
    return figures
