"""The benchmark matrix: every registered model x every compatible video discriminator.

Generated from the registry at collection time, so a third-party plugin's models and
discriminators join the matrix by being installed. For each pair, at the ``small`` preset and
the model's own batch size: generator forward, the video discriminator's forward, and one
engine train iteration (D step over all roles, due regularizers, G step), each as GFLOP/s
and its share of this machine's float32 matmul rate measured in the same run.

Run: ``tox -e bench`` (or ``pytest benchmarks/test_matrix.py -o addopts= --benchmark-only``).
"""

import pytest
import torch

from ganzoo import registry
from ganzoo.config import resolve_run
from ganzoo.errors import GanzooError

from perf import count_flops, engine_iteration, make_trainer, matmul_gflops, report

PRESET = "small"


def compatible_pairs():
    """(model, disc) for each model with its own video D (disc None) and each other video D it can take."""
    video_ds = [e.name for e in registry.get_registry("discriminators").entries()
                if getattr(e.factory, "consumes", "video") == "video"]
    pairs = []
    for model in registry.get_registry("models").names():
        own = resolve_run(model, PRESET).model.discriminators.get("video")
        pairs.append((model, None))
        for disc in video_ds:
            if own is not None and disc == own.name:
                continue
            try:
                resolve_run(model, PRESET, disc)
            except GanzooError:
                continue  # the swap's check refuses it: not a cell of the matrix
            pairs.append((model, disc))
    return pairs


PAIRS = compatible_pairs()
IDS = [f"{m}-{d or 'own'}" for m, d in PAIRS]


@pytest.fixture(scope="module")
def matmul_rate():
    return matmul_gflops()


@pytest.fixture(scope="module")
def trainers():
    cache = {}

    def get(model, disc):
        if (model, disc) not in cache:
            torch.manual_seed(0)
            cache.clear()  # one model in memory at a time
            cache[(model, disc)] = make_trainer(model, disc, PRESET)
        return cache[(model, disc)]

    return get


@pytest.mark.parametrize("model,disc", PAIRS, ids=IDS)
def test_generator_forward(benchmark, trainers, matmul_rate, model, disc):
    trainer = trainers(model, disc)
    g, batch = trainer.G, trainer.spec.batch_size
    latent = g.make_latent(batch, None, torch.Generator().manual_seed(0))

    @torch.no_grad()
    def forward():
        g(latent)

    flops = count_flops(forward)
    benchmark.pedantic(forward, rounds=3, iterations=1, warmup_rounds=1)
    fig = report(benchmark, flops, matmul_rate, model=model, disc=disc or "own", part="G forward", batch=batch)
    print(f"\n[{model}/{disc or 'own'} G forward] {fig['achieved_gflops']:.1f} GFLOP/s = {fig['share_of_matmul']:.0%} of matmul")


@pytest.mark.parametrize("model,disc", PAIRS, ids=IDS)
def test_video_discriminator_forward(benchmark, trainers, matmul_rate, model, disc):
    trainer = trainers(model, disc)
    d = trainer.Ds["video"]
    videos = torch.rand(trainer.spec.batch_size, 3, trainer.spec.frames, trainer.spec.resolution,
                        trainer.spec.resolution) * 2 - 1

    @torch.no_grad()
    def forward():
        d(videos)

    flops = count_flops(forward)
    benchmark.pedantic(forward, rounds=3, iterations=1, warmup_rounds=1)
    fig = report(benchmark, flops, matmul_rate, model=model, disc=disc or "own", part="video D forward")
    print(f"\n[{model}/{disc or 'own'} video D forward] {fig['achieved_gflops']:.1f} GFLOP/s = {fig['share_of_matmul']:.0%} of matmul")


@pytest.mark.parametrize("model,disc", PAIRS, ids=IDS)
def test_train_iteration(benchmark, trainers, matmul_rate, model, disc):
    trainer = trainers(model, disc)
    flops = count_flops(lambda: engine_iteration(trainer))
    benchmark.pedantic(lambda: engine_iteration(trainer), rounds=3, iterations=1, warmup_rounds=0)
    fig = report(benchmark, flops, matmul_rate, model=model, disc=disc or "own", part="train iteration",
                 batch=trainer.spec.batch_size, frames=trainer.spec.frames, resolution=trainer.spec.resolution)
    print(f"\n[{model}/{disc or 'own'} train iteration] {fig['gflop']:.1f} GFLOP in {fig['seconds']:.2f} s = "
          f"{fig['achieved_gflops']:.1f} GFLOP/s = {fig['share_of_matmul']:.0%} of matmul")
