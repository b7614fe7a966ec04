"""Interpretability speed on CPU (issue #8), measured, never asserted.

- Flow + phi throughput: moving-shapes clips through :class:`MotionScorer` (dense flow between
  consecutive frames, regions R0..R3, phi / Phi of Eq. 6-7), in videos per second, for each
  installed flow method at the small (8 x 32 px) and paper (16 x 64 px) clip sizes.
- The deactivation study of Tab. 4/5 as the issue sizes it: 1,000 videos, four directions
  (5,000 generated and scored videos) on a small-preset InMoDeGAN generator (untrained: the
  time does not depend on the weights).

``tox -e bench -- -k interpret``; ``python benchmarks/test_bench_interpret.py [n]`` prints the
figures as JSON without pytest-benchmark (``n`` videos for the study, default 1000).
"""

import json
import sys
import time

import pytest
import torch

from ganzoo.config import resolve_run
from ganzoo.data import open_dataset
from ganzoo.interpret.deactivation import deactivation_study
from ganzoo.interpret.motion_scores import MotionScorer
from ganzoo.build import build_generator

SIZES = {"small": (8, 32), "paper": (16, 64)}
CLIPS = 16


def clips(frames, resolution, n=CLIPS):
    dataset = open_dataset("moving-shapes", frames, resolution, size=n, seed=0)
    return torch.stack([dataset[i] for i in range(n)])  # uint8 (n, 3, T, H, W)


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("method", ["farneback", "dis"])
def test_flow_phi_throughput(benchmark, two_threads, method, size):
    frames, resolution = SIZES[size]
    videos = clips(frames, resolution)
    scorer = MotionScorer(method)
    benchmark.pedantic(lambda: scorer.score(videos), rounds=3, iterations=1)
    benchmark.extra_info.update({"method": method, "frames": frames, "resolution": resolution, "videos": CLIPS,
                                 "videos_per_s": round(CLIPS / benchmark.stats.stats.min, 1)})


def small_generator():
    torch.manual_seed(0)
    return build_generator(resolve_run("inmodegan", preset="small").model).eval()


def study(n=1000, directions=(0, 1, 2, 3)):
    generator = small_generator()
    start = time.perf_counter()
    deactivation_study(generator, list(directions), n=n, batch=50, seed=0, progress=False)
    seconds = time.perf_counter() - start
    videos = n * (len(directions) + 1)
    return {"n": n, "directions": len(directions), "videos": videos, "seconds": round(seconds, 1),
            "videos_per_s": round(videos / seconds, 1), "frames": generator.frames, "resolution": generator.resolution}


def test_deactivation_study_small_preset(benchmark, two_threads):
    result = benchmark.pedantic(study, rounds=1, iterations=1)
    benchmark.extra_info.update(result)


if __name__ == "__main__":
    torch.set_num_threads(2)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    figures = {}
    for method in ("farneback", "dis"):
        for size, (frames, resolution) in SIZES.items():
            videos, scorer = clips(frames, resolution), MotionScorer(method)
            start = time.perf_counter()
            scorer.score(videos)
            figures[f"flow_phi/{method}/{size}"] = round(CLIPS / (time.perf_counter() - start), 1)
    figures["deactivation"] = study(n)
    print(json.dumps(figures, indent=2))
