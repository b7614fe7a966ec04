"""One function per ``ganzoo interpret`` analysis: read the sources, run the analysis, write
its numbers (JSON, CSV, markdown) next to its pictures and videos, print a short summary."""

from pathlib import Path

import numpy as np
import torch

from ganzoo.errors import GanzooError
from ganzoo.interpret import ANALYSES, DEFAULT_N, alignment, deactivation, editing, stats
from ganzoo.interpret.masks import load_provider
from ganzoo.interpret.motion_bank import n_directions, parse_directions, require_motion_bank
from ganzoo.interpret.motion_scores import MotionScorer, ScoreMean
from ganzoo.interpret.outputs import markdown_table, write_csv, write_json
from ganzoo.interpret.regions import REGION_NAMES, draw_regions
from ganzoo.interpret.sources import is_checkpoint, load_model, real_videos

#: latents used to pick the default directions (top of the statistics) when --directions is absent
PICK_N = 2000


def scorer_from(args):
    return MotionScorer(args.flow_method, args.max_flow, load_provider(args.masks),
                        normalize=args.normalize)


def _model(args, analysis):
    if len(args.sources) != 1:
        raise GanzooError(f"'ganzoo interpret ... {analysis}' takes one checkpoint (a checkpoint file or a run folder), "
                          f"got {' '.join(map(str, args.sources))}")
    generator, card = load_model(args.sources[0], ema=not args.no_ema, device=args.device,
                                 what=f"'ganzoo interpret ... {analysis}'")
    require_motion_bank(generator, model=card.get("model"), analysis=f"'interpret {analysis}'")
    return generator, card


def _directions(args, generator):
    count = n_directions(generator)
    chosen = parse_directions(args.directions, count)
    if chosen is None:
        picked = stats.direction_statistics(generator, n=PICK_N, batch=500, seed=args.seed, frames=args.frames,
                                            progress=False)
        chosen = stats.top_directions(picked, min(args.top, count))
        print(f"directions (top {len(chosen)} by alpha variance and mean over {PICK_N} latents): "
              f"{', '.join(f'd{k}' for k in chosen)}")
    return chosen


def run_stats(args, out):
    generator, _ = _model(args, "stats")
    result = stats.direction_statistics(generator, n=args.n, batch=max(args.batch, 500), seed=args.seed, frames=args.frames)
    curve = parse_directions(args.directions, n_directions(generator))
    summary = stats.write_statistics(result, out, top=max(args.top, 10), curve_directions=curve)
    print((out / "top.md").read_text(), end="")
    return summary


def run_flow(args, out):
    scorer = scorer_from(args)
    rows, mean, width = [], ScoreMean(), None
    shown, shown_flows = [], []
    per_video_dir = out / "per_video"
    if len(args.sources) == 1 and is_checkpoint(args.sources[0]):
        generator, card = load_model(args.sources[0], ema=not args.no_ema, device=args.device)
        items = _generated(generator, args)
        origin = {"checkpoint": str(args.sources[0]), "model": card.get("model")}
    else:
        items = real_videos(args.sources, args.frames, args.resolution, args.n)
        origin = {"videos": [str(s) for s in args.sources]}
    from ganzoo.progress import progress

    for index, (name, video, info) in enumerate(progress(items, total=args.n, desc="flow", unit="video")):
        scores, flows = scorer.score(video[None])
        width = video.shape[-1]
        mean.add(scores)
        record = {"name": name, "index": index, "frames": int(video.shape[1]), "resolution": list(video.shape[2:]),
                  "scores": scores[0], "info": info}
        write_json(per_video_dir / f"{index:05d}.json", record)
        rows.append({"index": index, "name": name, **{r: scores[0]["frame"]["phi"][i] for i, r in enumerate(REGION_NAMES)},
                     "Phi": scores[0]["frame"]["Phi"]})
        if len(shown) < 8 and (not shown or video.shape == shown[0].shape):
            shown.append(video)
            shown_flows.append(flows[0])
    if not rows:
        raise GanzooError(f"no videos found in {' '.join(map(str, args.sources))}")
    write_csv(out / "flow.csv", rows)
    draw_regions(out / "regions.png")
    pictures = ["regions.png", *editing.write_grid(out, "flow", torch.stack(shown), np.stack(shown_flows),
                                                   scorer.radius(width), ncol=min(4, len(shown)))]
    summary = {"analysis": "flow", **origin, "n": len(rows), "mean": mean.mean(), "protocol": scorer.protocol(width),
               "per_video": "per_video/*.json", "pictures": pictures}
    write_json(out / "flow.json", summary)
    print(markdown_table([{"area": a, **{r: v["phi"][i] for i, r in enumerate(REGION_NAMES)}, "Phi": v["Phi"]}
                          for a, v in summary["mean"].items()], ["area", *REGION_NAMES, "Phi"]), end="")
    return summary


def _generated(generator, args):
    rng = torch.Generator().manual_seed(args.seed)
    done = 0
    with torch.no_grad():
        while done < args.n:
            size = min(args.batch, args.n - done)
            videos = generator(generator.make_latent(size, frames=args.frames, generator=rng)).float().cpu()
            for b, video in enumerate(videos):
                yield f"sample{done + b}", video, {"seed": args.seed, "sample": done + b}
            done += size


def run_deactivate(args, out):
    generator, _ = _model(args, "deactivate")
    chosen = _directions(args, generator)
    result = deactivation.deactivation_study(generator, chosen, n=args.n, batch=args.batch, seed=args.seed,
                                             frames=args.frames, scorer=scorer_from(args))
    path = deactivation.write_study(result, out)
    print(path.read_text(), end="")
    return result


def run_activate(args, out):
    generator, _ = _model(args, "activate")
    return editing.activate(generator, _directions(args, generator), out, n=args.n, seed=args.seed,
                            frames=args.frames, scorer=scorer_from(args))


def run_trajectory(args, out):
    generator, _ = _model(args, "trajectory")
    return editing.trajectory(generator, args.trajectory, out, n=args.n, seed=args.seed, frames=args.frames,
                              amplitude=args.amplitude, scorer=scorer_from(args))


def run_longer(args, out):
    generator, _ = _model(args, "longer")
    frames = args.frames or 2 * generator.frames
    result = editing.longer(generator, out, frames=frames, n=args.n, seed=args.seed, scorer=scorer_from(args))
    print(f"{frames} frames (trained on {generator.frames}); mean Phi {result['mean']['frame']['Phi']:.4f}")
    return result


def run_interpolate(args, out):
    generator, _ = _model(args, "interpolate")
    return editing.interpolate(generator, out, part=args.part, steps=args.steps, n=args.n, seed=args.seed,
                               frames=args.frames, scorer=scorer_from(args))


def run_align(args, out):
    generator, card = _model(args, "align")
    chosen = _directions(args, generator)
    result = alignment.align(generator, chosen, n=args.n, batch=args.batch, seed=args.seed, frames=args.frames,
                             method=args.flow_method, bins=args.bins)
    check = None
    if args.data != "none":
        from ganzoo.data import open_dataset

        frames = args.frames or generator.frames
        dataset = open_dataset(args.data, frames, generator.resolution)
        check = alignment.estimator_check(dataset, n=min(args.n, 256), method=args.flow_method, label=f"--data {args.data}")
    path = alignment.write_alignment(result, out, check=check)
    print(path.read_text(), end="")
    return result


RUNS = {name: globals()[f"run_{name}"] for name in ANALYSES}


def run(args):
    """Dispatch ``args.analysis``; ``args.out`` defaults to ``interpret/<analysis>``."""
    if args.n is None:
        args.n = DEFAULT_N[args.analysis]
    if args.n < 1:
        raise GanzooError(f"--n must be >= 1, got {args.n}")
    out = Path(args.out or Path("interpret") / args.analysis)
    out.mkdir(parents=True, exist_ok=True)
    RUNS[args.analysis](args, out)
    print(f"wrote {out}")
    return 0
