"""Engine benchmarks: per-iteration overhead over the bare forward+backward of the same nets
(target <= 5% on the small preset), and checkpoint write time and size at the paper preset.

Run: ``pytest benchmarks/test_bench_engine.py --benchmark-only -p no:randomly``; figures land in
the benchmark JSON's ``extra_info``.
"""


import pytest
import torch

from ganzoo.contracts import FRAME, to_float
from ganzoo import checkpoints
from perf import best_of, engine_iteration, make_trainer

MODELS = ["inmodegan", "mocogan", "tgan"]
NO_REG = ["model.regularizers=[]"]  # both sides do the same maths: adversarial losses only


def bare_iteration(trainer, reals):
    """The same nets, losses and optimizer steps written straight, without the engine:
    D step over all roles, then G step; no EMA, logging, checks or bookkeeping."""
    spec, G, Ds, loss, opts = trainer.spec, trainer.G, trainer.Ds, trainer.loss, trainer.opts

    def view(d, video):
        if d.consumes != FRAME:
            return video
        return video[:, :, 0]  # one frame per video

    def total(logits, fn):
        return sum(fn(x) for x in logits) if isinstance(logits, list) else fn(logits)

    for net in Ds.values():
        net.requires_grad_(True)
    G.requires_grad_(False)
    with torch.no_grad():
        fakes = G(G.make_latent(reals.shape[0]))
    d_loss = 0
    for role, d in Ds.items():
        real_logits, fake_logits = d(view(d, reals)), d(view(d, fakes))
        if isinstance(real_logits, list):
            d_loss = d_loss + spec.discriminators[role].weight * sum(loss.d_loss(a, b) for a, b in zip(real_logits, fake_logits))
        else:
            d_loss = d_loss + spec.discriminators[role].weight * loss.d_loss(real_logits, fake_logits)
    for role in Ds:
        opts[role].zero_grad(set_to_none=True)
    d_loss.backward()
    for role in Ds:
        opts[role].step()
    for net in Ds.values():
        net.requires_grad_(False)
    G.requires_grad_(True)
    fakes = G(G.make_latent(reals.shape[0]))
    g_loss = sum(spec.discriminators[r].weight * total(d(view(d, fakes)), loss.g_loss) for r, d in Ds.items())
    opts["generator"].zero_grad(set_to_none=True)
    g_loss.backward()
    opts["generator"].step()


@pytest.mark.parametrize("model", MODELS)
def test_engine_overhead_small_preset(benchmark, model, tmp_path):
    trainer = make_trainer(model, preset="small", overrides=NO_REG, out_dir=tmp_path)
    reals = to_float(next(trainer.batches))
    bare_iteration(trainer, reals)  # warm up both
    engine_iteration(trainer)
    benchmark.pedantic(engine_iteration, args=(trainer,), rounds=8, iterations=1, warmup_rounds=1)
    bare = best_of(lambda: bare_iteration(trainer, reals), rounds=8)
    engine = benchmark.stats.stats.min
    benchmark.extra_info.update({"model": model, "preset": "small", "engine_s": engine, "bare_s": bare,
                                 "overhead": engine / bare - 1, "threads": torch.get_num_threads()})


@pytest.mark.parametrize("model", ["inmodegan"])
def test_checkpoint_write_paper_preset(benchmark, model, tmp_path):
    trainer = make_trainer(model, preset="paper", out_dir=tmp_path)
    trainer.step = 1

    def write():
        return checkpoints.save_checkpoint(trainer.state(), tmp_path, trainer.step, keep=1)

    path = benchmark.pedantic(write, rounds=3, iterations=1)
    params = sum(p.numel() for net in trainer.modules() for p in net.parameters())
    benchmark.extra_info.update({"model": model, "preset": "paper", "size_mb": path.stat().st_size / 2**20,
                                 "parameters_incl_ema": params})
