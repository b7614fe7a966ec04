"""Ground-truth alignment of the motion bank (beyond the paper): on moving-shapes the motion
factors are known (dx, dy, rotation, scale, brightness), so "is this direction
interpretable?" gets a number.

Procedure.
1. Factor estimators read a video's flow and frames (no network, no download):
   dx / dy = mean horizontal / vertical flow, rotation = mean curl / 2 over the shapes
   (angular velocity of a rigid turn), scale = mean divergence / 2 over the shapes (rate of
   an isotropic zoom), brightness =
   relative change of the mean intensity from the first to the last frame; each summed over
   the video's frame pairs into one signed number per video. Uniform translation has no curl
   or divergence and a turn or zoom about a shape's centre no mean flow, so each estimator
   answers to its own factor. :func:`estimator_check` measures that on real moving-shapes
   clips (Spearman correlation of each estimate with each true amplitude) and is reported
   beside the score, so the estimators are checked before the directions are judged.
2. Each chosen direction d_k is driven alone at a constant magnitude alpha_k = a * A_k for
   every step (all other directions off), a ~ U[-1, 1] per video, A_k = 3 standard
   deviations of the model's own alpha_k.
3. The directions x factors matrix holds the normalised mutual information
   NMI(k, f) = I(a; estimate_f) / H(estimate_f), both cut into ``bins`` equal-count bins,
   over the videos of direction k, corrected for chance (see :func:`nmi_row`).
4. The score is the mutual-information gap (Chen et al. 2018, "Isolating Sources of
   Disentanglement in VAEs", Eq. 8) over those directions: per factor, the NMI of the best
   direction minus that of the second best, averaged over factors. 0: no factor has a direction
   of its own; 1: every factor is captured by exactly one direction.
5. Random baseline: as many random directions as chosen ones, each a random unit
   combination r = sum_j c_j d_j of the chosen directions driven the same way
   (alpha_j = a c_j A_j), scored identically. A learned bank that is no more aligned than
   random mixtures of itself scores like the baseline.

Choices: moving-shapes' own clips move along one sinusoid; a constant magnitude is the
simplest drive that moves every direction monotonically over a short clip. Default 5 bins
keep the plug-in MI estimate's positive bias small for ~100 videos per direction.
"""

import numpy as np
import torch

from ganzoo.contracts import to_uint8
from ganzoo.errors import GanzooError
from ganzoo.interpret import plots
from ganzoo.interpret.editing import default_amplitude
from ganzoo.interpret.flow import get_method, video_flow
from ganzoo.interpret.masks import foreground
from ganzoo.interpret.motion_bank import generate, require_motion_bank
from ganzoo.interpret.outputs import markdown_table, write_json
from ganzoo.data.atomic import atomic_write_text
from ganzoo.progress import progress as show_progress

FACTORS = ("dx", "dy", "rotation", "scale", "brightness")


def factor_estimates(videos, flows):
    """uint8 ``(B, 3, T, H, W)`` and their flows ``(B, T-1, H, W, 2)`` -> ``(B, 5)`` signed
    estimates of (dx, dy, rotation, scale, brightness) per video (see module doc).

    Curl and divergence are averaged over the shapes only (the ``foreground`` mask of each
    frame pair's first frame): the flow's fall-off at a translating shape's border has curl and
    divergence of both signs that would otherwise drown a shape's turn or zoom (on 64 px
    moving-shapes this raises the rotation estimator's Spearman correlation from ~0 to ~0.8)."""
    flows = np.asarray(flows, dtype=np.float64)
    mask = foreground(torch.as_tensor(videos))["foreground"][:, :-1]  # (B, T-1, H, W)
    area = np.maximum(mask.sum(axis=(2, 3)), 1)
    on_shapes = lambda x: ((x * mask).sum(axis=(2, 3)) / area).sum(axis=1)  # noqa: E731
    u, v = flows[..., 0], flows[..., 1]
    du_dy, du_dx = np.gradient(u, axis=(2, 3))
    dv_dy, dv_dx = np.gradient(v, axis=(2, 3))
    curl = 0.5 * (dv_dx - du_dy)
    div = 0.5 * (du_dx + dv_dy)
    per_video = lambda x: x.mean(axis=(2, 3)).sum(axis=1)  # noqa: E731
    intensity = torch.as_tensor(videos).float().mean(dim=(1, 3, 4)).numpy()  # (B, T)
    brightness = (intensity[:, -1] - intensity[:, 0]) / np.maximum(intensity[:, 0], 1.0)
    return np.stack([per_video(u), per_video(v), on_shapes(curl), on_shapes(div), brightness], axis=1)


def _flows(videos, estimate):
    uint8 = videos if videos.dtype == torch.uint8 else to_uint8(videos)
    return uint8, np.stack([video_flow(v, estimate) for v in uint8])


def _discretise_quantile(x, bins):
    ranks = np.argsort(np.argsort(x, kind="stable"), kind="stable")
    return (ranks * bins // len(x)).astype(int)


def entropy(labels):
    _, counts = np.unique(labels, return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def mutual_information(a, b):
    """Plug-in MI (nats) of two integer label arrays."""
    joint = {}
    for pair in zip(a.tolist(), b.tolist()):
        joint[pair] = joint.get(pair, 0) + 1
    n = len(a)
    pa = {k: c / n for k, c in zip(*np.unique(a, return_counts=True))}
    pb = {k: c / n for k, c in zip(*np.unique(b, return_counts=True))}
    return float(sum(c / n * np.log((c / n) / (pa[x] * pb[y])) for (x, y), c in joint.items()))


def nmi_row(drive, estimates, bins, permutations=20, seed=0):
    """Chance-corrected NMI(drive; estimate_f) for each factor column of ``estimates (n, F)``.

    Both sides are cut into ``bins`` equal-count bins (a monotone relation scores 1). The
    plug-in MI of a few dozen samples is biased upward, so the chance level E0 is estimated
    by shuffling the drive ``permutations`` times and the score is
    (MI - E0) / (H(estimate) - E0), clipped at 0: the correction of adjusted mutual
    information (Vinh, Epps, Bailey 2010) with the expectation taken by permutation.
    """
    a = _discretise_quantile(drive, bins)
    rng = np.random.default_rng(seed)
    shuffles = [rng.permutation(a) for _ in range(permutations)]
    row = []
    for column in estimates.T:
        f = _discretise_quantile(column, bins)
        h = entropy(f)
        if h <= 0:
            row.append(0.0)
            continue
        chance = float(np.mean([mutual_information(s, f) for s in shuffles]))
        row.append(max(0.0, (mutual_information(a, f) - chance) / (h - chance)))
    return np.array(row)


def mig(matrix):
    """Mutual-information gap of a directions x factors NMI matrix: mean over factors of
    (best - second best) NMI over directions (Chen et al. 2018, Eq. 8)."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.shape[0] < 2:
        return float(matrix.max(axis=0).mean())
    top2 = -np.sort(-matrix, axis=0)[:2]
    return float((top2[0] - top2[1]).mean())


def _drive(generator, latent, weights, drive):
    """Edit ``latent`` so the directions in ``weights`` {j: scale} move at alpha_j = drive * scale."""
    steps = generator.alphas(latent).shape[1]
    trajectory = {j: (drive[:, None] * scale).expand(-1, steps).float() for j, scale in weights.items()}
    return generator.edit(latent, only=list(weights), trajectory=trajectory)


@torch.no_grad()
def _responses(generator, weights, n, batch, rng, frames, estimate, drive_rng):
    drives, estimates = [], []
    done = 0
    while done < n:
        size = min(batch, n - done)
        latent = generator.make_latent(size, frames=frames, generator=rng)
        drive = torch.rand(size, generator=drive_rng) * 2 - 1
        videos = generate(generator, _drive(generator, latent, weights, drive))
        uint8, flows = _flows(videos, estimate)
        drives.append(drive.numpy())
        estimates.append(factor_estimates(uint8, flows))
        done += size
    return np.concatenate(drives), np.concatenate(estimates)


def align(generator, directions, n=128, batch=32, seed=0, frames=None, method="farneback", bins=5,
          random_directions=None, progress=True):
    """Directions x factors NMI matrix, its MIG, and the same for random directions.

    Returns plain data: ``matrix`` (K, 5), ``mig``, ``random_matrix``, ``random_mig``,
    ``per_direction`` (best factor, its NMI, gap to the next), ``amplitudes``."""
    require_motion_bank(generator, analysis="ground-truth alignment")
    estimate = get_method(method)
    amplitudes = {k: default_amplitude(generator, k, seed, frames=frames) for k in directions}
    count = random_directions or max(len(directions), 2)
    mixer = torch.Generator().manual_seed(seed + 1)
    mixes = []
    for _ in range(count):
        c = torch.randn(len(directions), generator=mixer)
        mixes.append(c / c.norm())
    conditions = [(f"d{k}", {k: amplitudes[k]}) for k in directions]
    conditions += [(f"random{r}", {k: float(c[j]) * amplitudes[k] for j, k in enumerate(directions)})
                   for r, c in enumerate(mixes)]
    rows = {}
    for name, weights in show_progress(conditions, desc="alignment", unit="direction", enabled=progress):
        rng = torch.Generator().manual_seed(seed)  # the same latents for every direction
        drive_rng = torch.Generator().manual_seed(seed + 2)
        drive, estimates = _responses(generator, weights, n, batch, rng, frames, estimate, drive_rng)
        rows[name] = nmi_row(drive, estimates, bins)
    learned = np.stack([rows[f"d{k}"] for k in directions])
    random = np.stack([rows[f"random{r}"] for r in range(count)])
    per_direction = []
    for k, row in zip(directions, learned):
        order = np.argsort(-row)
        per_direction.append({"direction": k, "best_factor": FACTORS[order[0]], "nmi": float(row[order[0]]),
                              "gap": float(row[order[0]] - row[order[1]])})
    return {"analysis": "align", "directions": list(directions), "factors": list(FACTORS), "n": n, "seed": seed,
            "bins": bins, "flow_method": method, "amplitudes": {f"d{k}": a for k, a in amplitudes.items()},
            "matrix": learned, "mig": mig(learned), "random_matrix": random, "random_mig": mig(random),
            "random_mixes": [m.tolist() for m in mixes], "per_direction": per_direction,
            "mean_gap": float(np.mean([p["gap"] for p in per_direction])),
            "random_mean_gap": float(np.mean([np.sort(r)[-1] - np.sort(r)[-2] for r in random]))}


def spearman(x, y):
    rx = np.argsort(np.argsort(x)).astype(float)
    ry = np.argsort(np.argsort(y)).astype(float)
    if rx.std() == 0 or ry.std() == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])


def estimator_check(dataset, n=64, method="farneback", progress=True, label="the dataset"):
    """Spearman correlation of each estimator with each true factor on real clips whose
    ``info(i)["factors"]`` are known (the dataset's ``factor_names`` include :data:`FACTORS`):
    ``(5 estimators, 5 factors)``; the diagonal should be high."""
    known = tuple(getattr(dataset, "factor_names", ()))
    if not set(FACTORS) <= set(known):
        raise GanzooError(f"{label} does not declare the motion factors the estimator check needs "
                          f"({', '.join(FACTORS)}; it has {', '.join(known) or 'none'}): use a dataset that "
                          f"knows them, such as moving-shapes, or --data none")
    estimate = get_method(method)
    n = min(n, len(dataset))
    truth, estimates = [], []
    for i in show_progress(range(n), desc="estimator check", unit="clip", enabled=progress):
        clip = dataset[i]
        flows = video_flow(clip, estimate)[None]
        estimates.append(factor_estimates(clip[None], flows)[0])
        factors = dataset.info(i)["factors"]
        truth.append([factors[f] for f in FACTORS])
    truth, estimates = np.array(truth), np.array(estimates)
    return np.array([[spearman(estimates[:, e], truth[:, f]) for f in range(len(FACTORS))] for e in range(len(FACTORS))])


def write_alignment(result, out, check=None):
    """align.json, align.md (matrix, scores, baseline) and the heat maps."""
    out.mkdir(parents=True, exist_ok=True)
    rows = [{"direction": f"d{k}", **{f: float(v) for f, v in zip(FACTORS, row)}}
            for k, row in zip(result["directions"], result["matrix"])]
    random_rows = [{"direction": f"random{r}", **{f: float(v) for f, v in zip(FACTORS, row)}}
                   for r, row in enumerate(result["random_matrix"])]
    text = (f"Ground-truth alignment: {result['n']} videos per direction, NMI(drive; factor estimate), {result['bins']} bins.\n\n"
            + markdown_table(rows + random_rows, ["direction", *FACTORS])
            + f"\n| score | learned directions | random directions |\n|---|---|---|\n"
            f"| MIG | {result['mig']:.4f} | {result['random_mig']:.4f} |\n"
            f"| mean gap per direction | {result['mean_gap']:.4f} | {result['random_mean_gap']:.4f} |\n")
    pictures = [plots.heatmap(out / "align_matrix.png", np.concatenate([result["matrix"], result["random_matrix"]]),
                              [r["direction"] for r in rows + random_rows], list(FACTORS),
                              f"NMI: MIG {result['mig']:.3f} (random {result['random_mig']:.3f})").name]
    data = dict(result)
    if check is not None:
        data["estimator_check"] = {"spearman": check, "estimators": list(FACTORS), "factors": list(FACTORS)}
        text += ("\nEstimator check on real clips (Spearman of estimator row vs true factor column):\n\n"
                 + markdown_table([{"estimator": e, **{f: float(v) for f, v in zip(FACTORS, row)}}
                                   for e, row in zip(FACTORS, check)], ["estimator", *FACTORS], digits=2))
        pictures.append(plots.heatmap(out / "estimator_check.png", np.abs(check), list(FACTORS), list(FACTORS),
                                      "|Spearman| estimator vs true factor").name)
    atomic_write_text(out / "align.md", text)
    write_json(out / "align.json", {**data, "pictures": pictures})
    return out / "align.md"
