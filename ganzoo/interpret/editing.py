"""Generation tools on the motion bank (InMoDeGAN Sec. 4.3-4.4, Fig. 4, 6; Sec. A-B): activate only
chosen directions, drive directions along trajectories, make longer videos, interpolate
appearance or motion. Each writes an mp4 and a gif grid with the flow (on the colour wheel)
beside every video, as in Fig. 4 and 6, and its numbers (phi per row) as JSON.
"""

import numpy as np
import torch

from ganzoo.contracts import to_uint8
from ganzoo.errors import GanzooError
from ganzoo.interpret.colorwheel import flow_to_color
from ganzoo.interpret.motion_bank import generate, n_directions, require_motion_bank
from ganzoo.interpret.motion_scores import MotionScorer, ScoreMean
from ganzoo.interpret.outputs import write_json
from ganzoo.interpret.regions import phi
from ganzoo.interpret.trajectory import parse_trajectory


def with_flow(videos, flows, radius):
    """Each video with its flow beside it: uint8 ``(B, 3, T, H, 2W)``.

    ``videos``: ``(B, 3, T, H, W)``; ``flows``: ``(B, T-1, H, W, 2)``. Frame t's flow is the
    motion from t-1 to t; the first frame has none and shows the wheel's white centre."""
    videos = torch.as_tensor(videos)
    uint8 = videos if videos.dtype == torch.uint8 else to_uint8(videos.float())
    colours = flow_to_color(flows, max_flow=radius)  # (B, T-1, H, W, 3)
    white = np.full_like(colours[:, :1], 255)
    colours = torch.from_numpy(np.concatenate([white, colours], axis=1)).permute(0, 4, 1, 2, 3)
    return torch.cat([uint8.cpu(), colours], dim=-1)


def write_grid(out, stem, videos, flows, radius, ncol, fps=8):
    """``stem``.mp4 and ``stem``.gif: the videos with flow beside, ``ncol`` per row."""
    from ganzoo.video import make_grid, write_video

    grid = make_grid(with_flow(videos, flows, radius), ncol=ncol)
    return [write_video(out / f"{stem}.{ext}", grid, fps=fps).name for ext in ("mp4", "gif")]


def _rows(generator, rows, scorer, out, stem, per_row):
    """Generate each named row of latents, score it, write one grid; rows: {name: latent}."""
    videos, flows, numbers = [], [], {}
    for name, latent in rows.items():
        batch = generate(generator, latent)
        scores, field = scorer.score(batch)
        mean = ScoreMean()
        mean.add(scores)
        numbers[name] = {"mean": mean.mean(), "per_video": scores}
        videos.append(batch)
        flows.append(field)
    width = videos[0].shape[-1]
    pictures = write_grid(out, stem, torch.cat(videos), np.concatenate(flows), scorer.radius(width), ncol=per_row)
    return numbers, pictures, width


def activate(generator, directions, out, n=4, seed=0, frames=None, scorer=None):
    """Rows: every direction active, then each chosen direction alone (others alpha = 0)."""
    require_motion_bank(generator, analysis="activate")
    scorer = scorer or MotionScorer()
    latent = generator.make_latent(n, frames=frames, generator=torch.Generator().manual_seed(seed))
    rows = {"all": latent, **{f"only d{k}": generator.edit(latent, only=[k]) for k in directions}}
    numbers, pictures, width = _rows(generator, rows, scorer, out, "activate", n)
    return _finish(out, "activate", {"directions": list(directions), "n": n, "seed": seed, "rows": numbers,
                                     "grid": f"one row per condition ({', '.join(rows)}), {n} videos each, flow beside",
                                     "protocol": scorer.protocol(width), "pictures": pictures})


@torch.no_grad()
def default_amplitude(generator, index, seed=0, samples=256, frames=None):
    """3 standard deviations of alpha_index over ``samples`` latents (see trajectory.py)."""
    latent = generator.make_latent(samples, frames=frames, generator=torch.Generator().manual_seed(seed + 7))
    return float(3 * generator.alphas(latent)[..., index].float().std())


def trajectory(generator, spec, out, n=4, seed=0, frames=None, amplitude=None, scorer=None):
    """Drive the directions of ``spec`` along their trajectories, every other direction off
    (Sec. 4.3, last paragraph); one row per sample."""
    require_motion_bank(generator, analysis="trajectory")
    scorer = scorer or MotionScorer()
    with torch.no_grad():
        latent = generator.make_latent(n, frames=frames, generator=torch.Generator().manual_seed(seed))
        steps = generator.alphas(latent).shape[1]  # T - 1 motion steps
    amp = amplitude if amplitude is not None else (lambda i: default_amplitude(generator, i, seed, frames=frames))
    paths = parse_trajectory(spec, steps, n_directions(generator), amp)
    edited = generator.edit(latent, only=list(paths), trajectory=paths)
    numbers, pictures, width = _rows(generator, {"trajectory": edited}, scorer, out, "trajectory", n)
    return _finish(out, "trajectory", {"spec": str(spec), "trajectories": {f"d{k}": v for k, v in paths.items()},
                                       "n": n, "seed": seed, "rows": numbers,
                                       "protocol": scorer.protocol(width), "pictures": pictures})


def longer(generator, out, frames=32, n=4, seed=0, scorer=None):
    """Videos longer than the trained length (the paper shows 32 and 45 frames), with the
    motion (Phi) of every frame pair so one can see whether motion carries on."""
    require_motion_bank(generator, analysis="longer")
    scorer = scorer or MotionScorer()
    latent = generator.make_latent(n, frames=frames, generator=torch.Generator().manual_seed(seed))
    batch = generate(generator, latent)
    scores, field = scorer.score(batch)
    radius = scorer.radius(batch.shape[-1])
    pictures = write_grid(out, "longer", batch, field, radius, ncol=min(n, 4))
    per_step = [float(np.mean([phi(f[s:s + 1], radius, normalize=scorer.normalize)[1] for f in field]))
                for s in range(field.shape[1])]
    mean = ScoreMean()
    mean.add(scores)
    return _finish(out, "longer", {"frames": frames, "trained_frames": generator.frames, "n": n, "seed": seed,
                                   "mean": mean.mean(), "Phi_per_step": per_step, "per_video": scores,
                                   "protocol": scorer.protocol(batch.shape[-1]), "pictures": pictures})


def interpolate(generator, out, part="appearance", steps=5, n=3, seed=0, frames=None, scorer=None):
    """Interpolate appearance (z_a) or motion (z_m) between two latents: one row per pair,
    ``steps`` videos from t = 0 to 1 (Sec. 4.4)."""
    require_motion_bank(generator, analysis="interpolate")
    if part not in ("appearance", "motion"):
        raise GanzooError(f"--part must be 'appearance' or 'motion', got {part!r}")
    scorer = scorer or MotionScorer()
    rng = torch.Generator().manual_seed(seed)
    a = generator.make_latent(n, frames=frames, generator=rng)
    b = generator.make_latent(n, frames=frames, generator=rng)
    ts = np.linspace(0, 1, steps)
    batches = [generate(generator, generator.interpolate(a, b, float(t), part=part)) for t in ts]
    videos = torch.stack(batches, 1).flatten(0, 1)  # row = pair, column = t
    scores, field = scorer.score(videos)
    radius = scorer.radius(videos.shape[-1])
    pictures = write_grid(out, f"interpolate_{part}", videos, field, radius, ncol=steps)  # row = pair, column = t
    table = [[scores[r * steps + c]["frame"]["Phi"] for c in range(steps)] for r in range(n)]
    return _finish(out, f"interpolate_{part}", {"part": part, "t": ts, "n": n, "seed": seed, "Phi": table,
                                                 "protocol": scorer.protocol(videos.shape[-1]), "pictures": pictures})


def _finish(out, name, data):
    write_json(out / f"{name}.json", {"analysis": name, **data})
    return data
