"""InMoDeGAN speed and memory at the paper preset (issue #5), measured, never asserted.

- Generator forward, 4 videos x 16 frames at 64x64, for both modulated-conv formulations
  (``modconv="scaled"`` and ``"grouped"``): model FLOPs counted with
  ``torch.utils.flop_counter.FlopCounterMode`` (on the meta device: counting costs no compute),
  achieved GFLOP/s, and that as a fraction of this machine's float32 matmul rate measured in
  the same run (a 2048^2 GEMM, best of before and after the timed runs).
- Peak memory of one paper-preset train iteration (G, D_I, TPD; batch 4): a D step, the lazy
  R1 step that runs every 16 iterations, and a G step, in a fresh subprocess. CPU: peak
  resident set size; CUDA: ``torch.cuda.max_memory_allocated``.
- On CUDA, also bf16 autocast, and the train iteration's model-FLOP utilisation against the
  measured bf16 GEMM rate.

Every figure lands in the benchmark JSON (``extra_info``): ``tox -e bench -- -k inmodegan``.
The standalone ``python benchmarks/test_bench_inmodegan.py train-step [cuda]`` prints the
train-iteration figures as JSON.
"""

import contextlib
import json
import resource
import subprocess
import sys
import time

import pytest
import torch
from torch.multiprocessing.reductions import StorageWeakRef
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves
from torch.utils.flop_counter import FlopCounterMode, flop_registry

from ganzoo import registry
from ganzoo_inmodegan import InMoDeGANGenerator, StyleGAN2ImageDiscriminator
from ganzoo_tpd import TemporalPyramidDiscriminator

from perf import matmul_gflops, sync as _sync

BATCH, FRAMES, RES = 4, 16, 64
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def autocast(device, amp):
    """bf16 autocast when ``amp``, else nothing (autocast refuses the meta device)."""
    return torch.autocast(device_type=device, dtype=torch.bfloat16) if amp else contextlib.nullcontext()


def count_flops(fn):
    """FLOPs of ``fn()`` (which builds its own meta-device modules and inputs)."""
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()


class _Trace(TorchDispatchMode):
    """Model FLOPs and peak live tensor bytes of whatever runs inside it (use it on the meta device).

    FLOPs use FlopCounterMode's per-op formulas (``flop_registry``) without its module tracker,
    whose backward hooks fail inside ``autograd.grad(create_graph=True)`` (the R1 step). Live
    bytes: every storage an op creates is held by a weak reference until it is freed, so the
    peak is what an exact allocator would need (parameters, activations saved for backward,
    gradients, Adam state) -- like CUDA's ``max_memory_allocated`` without block rounding, and
    a lower bound of a CPU process's resident set.
    """

    def __init__(self, tensors=()):
        super().__init__()
        self.flops, self.live = 0, {}
        for tensor in tensors:
            self._hold(tensor)
        self.peak_bytes = self._live_bytes()

    def _hold(self, tensor):
        if isinstance(tensor, torch.Tensor):
            storage = tensor.untyped_storage()
            key = storage._cdata
            if key not in self.live or self.live[key][0].expired():  # addresses are reused after a free
                self.live[key] = (StorageWeakRef(storage), storage.nbytes())

    def _live_bytes(self):
        for key in [k for k, (ref, _) in self.live.items() if ref.expired()]:
            del self.live[key]
        return sum(n for _, n in self.live.values())

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func._overloadpacket in flop_registry:
            self.flops += flop_registry[func._overloadpacket](*args, **kwargs, out_val=out)
        for tensor in tree_leaves(out):
            self._hold(tensor)
        self.peak_bytes = max(self.peak_bytes, self._live_bytes())
        return out


def generator_forward_flops(modconv):
    with torch.device("meta"):
        g = InMoDeGANGenerator(modconv=modconv).eval().requires_grad_(False)
    latent = {k: v.to("meta") for k, v in g.make_latent(BATCH).items()}
    return count_flops(lambda: g(latent))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("precision", ["float32", "bf16"])
@pytest.mark.parametrize("modconv", ["scaled", "grouped"])
def test_generator_forward_paper(benchmark, modconv, precision, device):
    if precision == "bf16" and device == "cpu":
        pytest.skip("bf16 autocast figures are for GPUs")
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    rate_before = matmul_gflops(device, dtype)
    torch.manual_seed(0)
    g = InMoDeGANGenerator(modconv=modconv).to(device).eval().requires_grad_(False)
    latent = g.make_latent(BATCH, FRAMES, generator=torch.Generator().manual_seed(0))

    def forward():
        with autocast(device, precision == "bf16"):
            g(latent)
        _sync(device)

    rounds = 1 if device == "cpu" else 10
    benchmark.pedantic(forward, rounds=rounds, iterations=1, warmup_rounds=1 if device != "cpu" else 0)
    rate = max(rate_before, matmul_gflops(device, dtype))
    flops = generator_forward_flops(modconv)
    seconds = benchmark.stats.stats.min
    achieved = flops / seconds / 1e9
    benchmark.extra_info.update({
        "model_gflop": flops / 1e9, "seconds": seconds, "achieved_gflops": achieved,
        "matmul_gflops": rate, "fraction_of_matmul": achieved / rate, "modconv": modconv,
        "precision": precision, "device": device, "videos": BATCH, "frames": FRAMES, "resolution": RES,
        "threads": torch.get_num_threads(),
    })
    print(f"\n[inmodegan G forward {modconv} {precision} {device}] {flops / 1e9:.0f} GFLOP in {seconds:.2f} s = "
          f"{achieved:.1f} GFLOP/s; matmul {rate:.1f} GFLOP/s; ratio {achieved / rate:.1%}")


# ---------------------------------------------------------------- one paper train iteration


def build_paper_nets(device):
    g = InMoDeGANGenerator(frames=FRAMES, resolution=RES).to(device).train()
    d_image = StyleGAN2ImageDiscriminator(frames=FRAMES, resolution=RES).to(device).train()
    tpd = TemporalPyramidDiscriminator(frames=FRAMES, resolution=RES, speeds=(1, 3, 5, 7)).to(device).train()
    return g, d_image, tpd


def train_iteration(g, d_image, tpd, real, opt_g, opt_d, amp=False):
    """A D step, the lazy R1 step (gamma 0.0256, x16) and a G step, as the engine runs them (Eq. 5)."""
    loss = registry.get("losses", "non-saturating").factory()
    r1 = registry.get("regularizers", "r1").factory(gamma=0.0256)
    device = real.device.type
    pick = torch.randint(FRAMES, (BATCH,), device=real.device)
    rows = torch.arange(BATCH, device=real.device)

    def logits(video):
        with autocast(device, amp):
            return d_image(video[rows, :, pick]), tpd(video)

    def d_total(real_l, fake_l):
        return loss.d_loss(real_l[0].float(), fake_l[0].float()) + 0.5 * sum(
            loss.d_loss(r.float(), f.float()) for r, f in zip(real_l[1], fake_l[1]))

    g.requires_grad_(False)  # as no_grad (which FlopCounterMode's module tracker trips over)
    with autocast(device, amp):
        fake = g(g.make_latent(BATCH))
    g.requires_grad_(True)
    opt_d.zero_grad(set_to_none=True)
    d_total(logits(real), logits(fake.float())).backward()
    opt_d.step()

    opt_d.zero_grad(set_to_none=True)
    real_in = real.detach().requires_grad_(True)
    frames_in = real_in[rows, :, pick].detach().requires_grad_(True)
    penalty = r1.penalty(d_image, frames_in, d_image(frames_in)) + r1.penalty(tpd, real_in, tpd(real_in))
    (penalty * 16).backward()
    opt_d.step()

    opt_g.zero_grad(set_to_none=True)
    with autocast(device, amp):
        fake = g(g.make_latent(BATCH))
    image_l, video_l = logits(fake.float())
    (loss.g_loss(image_l.float()) + 0.5 * sum(loss.g_loss(v.float()) for v in video_l)).backward()
    opt_g.step()


def trace_train_iteration(amp=False):
    """``(model FLOPs, peak live bytes)`` of one paper train iteration, traced on the meta device."""
    with torch.device("meta"):
        g, d_image, tpd = build_paper_nets("meta")
        real = torch.rand(BATCH, 3, FRAMES, RES, RES) * 2 - 1
    opt = lambda params: torch.optim.Adam(params, lr=0.002, betas=(0.0, 0.99))  # noqa: E731
    opt_g, opt_d = opt(g.parameters()), opt([*d_image.parameters(), *tpd.parameters()])
    make = g.make_latent
    g.make_latent = lambda b, frames=None, generator=None: {k: v.to("meta") for k, v in make(b).items()}
    with _Trace([*g.parameters(), *d_image.parameters(), *tpd.parameters(), real]) as trace:
        train_iteration(g, d_image, tpd, real, opt_g, opt_d, amp)
    return trace.flops, trace.peak_bytes


def measure_train_step(device="cpu", amp=False):
    """Figures of one paper train iteration in this process (run in a fresh one: peak RSS is per process)."""
    torch.manual_seed(0)
    g, d_image, tpd = build_paper_nets(device)
    opt = lambda params: torch.optim.Adam(params, lr=0.002, betas=(0.0, 0.99))  # noqa: E731
    opt_g, opt_d = opt(g.parameters()), opt([*d_image.parameters(), *tpd.parameters()])
    real = torch.rand(BATCH, 3, FRAMES, RES, RES, device=device) * 2 - 1
    params = {name: sum(p.numel() for p in net.parameters()) for name, net in
              (("G", g), ("D_I", d_image), ("TPD", tpd))}
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    if device == "cuda":
        train_iteration(g, d_image, tpd, real, opt_g, opt_d, amp)  # warm-up: kernels, Adam state
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    train_iteration(g, d_image, tpd, real, opt_g, opt_d, amp)
    _sync(device)
    seconds = time.perf_counter() - start
    out = {"device": device, "amp_bf16": amp, "seconds": seconds, "parameters": params,
           "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
           "rss_before_iteration_gib": baseline_rss}
    if device == "cuda":
        out["peak_cuda_gib"] = torch.cuda.max_memory_allocated() / 2**30
    flops, _ = trace_train_iteration()
    rate = matmul_gflops(device, torch.bfloat16 if amp else torch.float32)
    out.update(model_tflop=flops / 1e12, matmul_gflops=rate, mfu=flops / seconds / 1e9 / rate)
    return out


def test_train_iteration_memory_traced(benchmark):
    """Peak live tensor memory and FLOPs of a paper train iteration, from a meta-device trace
    (exact allocator bytes, no compute: a real CPU iteration is ~18 TFLOP)."""
    flops, peak = benchmark.pedantic(trace_train_iteration, rounds=1, iterations=1)
    params = {name: sum(p.numel() for p in net.parameters()) for name, net in
              zip(("G", "D_I", "TPD"), build_paper_nets("meta"))}
    benchmark.extra_info.update(model_tflop=flops / 1e12, peak_live_gib=peak / 2**30, parameters=params, batch=BATCH)
    print(f"\n[inmodegan train iteration, traced] {flops / 1e12:.2f} TFLOP, peak live tensors {peak / 2**30:.2f} GiB, "
          f"parameters {params}")


@pytest.mark.parametrize("device, amp", [("cpu", False), ("cuda", False), ("cuda", True)])
def test_train_iteration_share_of_matmul(benchmark, device, amp):
    """One paper train iteration in a fresh process: seconds, peak memory and its share of the
    matmul rate (``mfu``: model FLOPs / seconds / matmul rate; issue 17.3 reports it)."""
    if device not in DEVICES:
        pytest.skip("needs a GPU")

    def run():
        args = [sys.executable, __file__, "train-step", device] + (["amp"] if amp else [])
        done = subprocess.run(args, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    figures = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update(figures)
    print(f"\n[inmodegan train iteration {device}{' bf16' if amp else ''}] {json.dumps(figures)}")


if __name__ == "__main__" and sys.argv[1:2] == ["train-step"]:
    print(json.dumps(measure_train_step(sys.argv[2] if len(sys.argv) > 2 else "cpu", "amp" in sys.argv[3:])))
