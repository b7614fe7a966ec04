"""Direction statistics of the motion bank (InMoDeGAN Sec. 4.3, Fig. 3a/3b).

For N sampled latents (paper: 10,000) the generator's motion path gives alpha_{t,i}, the
magnitude of direction d_i at step t. Per direction we report the mean over time of alpha_i
and its variance over time, each averaged over the samples; the directions with the largest
values are the ones the paper goes on to read (d0, d1, d511 ...).

Choices the paper leaves open, written down here:
- "Top by mean" ranks by the absolute value of the mean: a direction used with a steady
  negative magnitude moves the video as much as one with a positive magnitude.
- The variance over time is the population variance (divide by T-1 steps, not T-2).
- Only the motion path runs (``alphas``), not the synthesis network, so 10,000 samples are cheap.
"""

import numpy as np
import torch

from ganzoo.interpret import plots
from ganzoo.interpret.motion_bank import n_directions, require_motion_bank
from ganzoo.interpret.outputs import markdown_table, write_csv, write_json
from ganzoo.data.atomic import atomic_write_text
from ganzoo.progress import progress as show_progress


@torch.no_grad()
def direction_statistics(generator, n=10000, batch=500, seed=0, frames=None, keep=3, progress=True):
    """Mean and variance over time of every alpha_i, averaged over ``n`` latents.

    Returns a dict: ``mean``, ``mean_abs``, ``var`` (each ``(N,)`` numpy), ``n``, ``frames``,
    ``seed`` and ``examples``: alpha ``(keep, T-1, N)`` of the first ``keep`` latents (for the
    curves of Fig. 3)."""
    require_motion_bank(generator, analysis="direction statistics")
    count = n_directions(generator)
    rng = torch.Generator().manual_seed(seed)
    sums = {"mean": np.zeros(count), "mean_abs": np.zeros(count), "var": np.zeros(count)}
    examples, done = None, 0
    with show_progress(total=n, desc="alpha statistics", unit="latent", enabled=progress) as bar:
        while done < n:
            size = min(batch, n - done)
            latent = generator.make_latent(size, frames=frames, generator=rng)
            alphas = generator.alphas(latent).double().cpu()  # (B, T-1, N)
            sums["mean"] += alphas.mean(1).sum(0).numpy()
            sums["mean_abs"] += alphas.abs().mean(1).sum(0).numpy()
            sums["var"] += alphas.var(1, unbiased=False).sum(0).numpy()
            if examples is None:
                examples = alphas[:keep].numpy()
            done += size
            bar.update(size)
    result = {key: value / n for key, value in sums.items()}
    result.update(n=n, frames=int(examples.shape[1]) + 1, seed=seed, examples=examples)
    return result


def top_k(values, k, absolute=False):
    """Indices of the ``k`` largest values (by absolute value if asked), largest first."""
    values = np.abs(values) if absolute else np.asarray(values)
    return [int(i) for i in np.argsort(-values, kind="stable")[:k]]


def top_directions(stats, k=4):
    """The default directions of the deactivation study: top by variance, then by |mean|,
    without repeats, ``k`` in all."""
    chosen = []
    for index in top_k(stats["var"], k) + top_k(stats["mean"], k, absolute=True):
        if index not in chosen:
            chosen.append(index)
    return chosen[:k]


def write_statistics(stats, out, top=10, curve_directions=None):
    """Write stats.json, stats.csv (every direction), top.md, the bar charts of Fig. 3a/3b and
    alpha curves over time (PNG) into ``out``; returns the summary dict written as JSON."""
    out.mkdir(parents=True, exist_ok=True)
    count = len(stats["mean"])
    top = min(top, count)
    by_mean = top_k(stats["mean"], top, absolute=True)
    by_var = top_k(stats["var"], top)
    rank_mean = np.empty(count, dtype=int)
    rank_mean[top_k(stats["mean"], count, absolute=True)] = np.arange(count)
    rank_var = np.empty(count, dtype=int)
    rank_var[top_k(stats["var"], count)] = np.arange(count)
    rows = [{"direction": i, "mean": stats["mean"][i], "mean_abs": stats["mean_abs"][i], "var": stats["var"][i],
             "rank_by_mean": int(rank_mean[i]), "rank_by_var": int(rank_var[i])} for i in range(count)]
    write_csv(out / "stats.csv", rows)
    table = [{"rank": r, "by |mean|": f"d{m}", "mean": stats["mean"][m], "by variance": f"d{v}", "variance": stats["var"][v]}
             for r, (m, v) in enumerate(zip(by_mean, by_var))]
    atomic_write_text(out / "top.md", markdown_table(table, ["rank", "by |mean|", "mean", "by variance", "variance"]))
    plots.bars(out / "alpha_mean.png", stats["mean"], f"mean of alpha_i over time ({stats['n']} samples)", "mean alpha", by_mean[:5])
    plots.bars(out / "alpha_variance.png", stats["var"], f"variance of alpha_i over time ({stats['n']} samples)", "variance", by_var[:5])
    curve_directions = list(curve_directions or by_var[:4])
    panels = {f"alpha_t,i of sample {s}": {f"d{i}": e[:, i] for i in curve_directions}
              for s, e in enumerate(stats["examples"])}
    plots.curves(out / "alpha_curves.png", panels)
    summary = {
        "analysis": "stats", "n": stats["n"], "frames": stats["frames"], "seed": stats["seed"],
        "n_directions": count, "top_by_mean": by_mean, "top_by_variance": by_var,
        "top_directions": top_directions(stats), "curve_directions": curve_directions,
        "mean": stats["mean"], "mean_abs": stats["mean_abs"], "variance": stats["var"],
        "examples": {f"sample{s}": {f"d{i}": e[:, i] for i in curve_directions} for s, e in enumerate(stats["examples"])},
        "pictures": ["alpha_mean.png", "alpha_variance.png", "alpha_curves.png"],
    }
    write_json(out / "stats.json", summary)
    return summary
