"""`ganzoo sample`: sample videos from a checkpoint (issue #4)."""

import inspect
import json
from pathlib import Path

from ganzoo.errors import GanzooError


def add_parser(subparsers):
    p = subparsers.add_parser("sample", help="sample videos from a checkpoint", description=(
        "Generate videos with a checkpoint's G_EMA (or G). --out FILE.mp4|FILE.gif writes one grid "
        "video; --out DIR writes one file per sample. The checkpoint's model card is printed and "
        "written as JSON beside the videos."))
    p.add_argument("checkpoint", help="checkpoint file or run folder (its newest valid checkpoint)")
    p.add_argument("--n", type=int, default=8, help="number of videos (default 8)")
    p.add_argument("--frames", type=int, default=None, help="frames per video (default: as trained)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--truncation", type=float, default=1.0, metavar="PSI",
                   help="truncation psi for generators whose make_latent takes one (default 1: none)")
    p.add_argument("--out", required=True, help="FILE.mp4, FILE.gif or a folder")
    p.add_argument("--format", default="mp4", choices=["mp4", "gif"], help="file type when --out is a folder")
    p.add_argument("--fps", type=int, default=8)
    p.add_argument("--batch", type=int, default=8, help="videos generated per forward pass")
    p.add_argument("--no-ema", action="store_true", help="use G instead of G_EMA")
    p.add_argument("--device", default="cpu")
    p.set_defaults(func=run)
    return p


def latent_for(generator, batch, frames, gen, truncation):
    """A latent, with ``truncation`` passed only to generators that accept it."""
    if truncation == 1.0:
        return generator.make_latent(batch, frames, generator=gen)
    if "truncation" not in inspect.signature(generator.make_latent).parameters:
        raise GanzooError(f"{type(generator).__name__} does not support --truncation "
                          f"(its make_latent takes no 'truncation'); leave it at 1")
    return generator.make_latent(batch, frames, generator=gen, truncation=truncation)


def generate(generator, n, frames, seed, truncation=1.0, batch=8):
    """uint8 ``(n, 3, T, H, W)`` videos; the same seed gives the same videos on any device."""
    import torch

    from ganzoo.contracts import to_uint8

    frames = generator.check_frames(frames)
    gen = torch.Generator().manual_seed(seed)
    out = []
    with torch.no_grad():
        for start in range(0, n, batch):
            latent = latent_for(generator, min(batch, n - start), frames, gen, truncation)
            out.append(to_uint8(generator(latent).float()).cpu())
    return torch.cat(out)


def run(args):
    from ganzoo import sources
    from ganzoo.checkpoints import describe_card, load_generator
    from ganzoo.train.distributed import resolve_device
    from ganzoo.video import make_grid, write_video

    if args.n < 1:
        raise GanzooError(f"--n must be >= 1, got {args.n}")
    device = resolve_device(args.device)
    found = sources.require(args.checkpoint, (sources.CHECKPOINT, sources.RUN), "ganzoo sample")
    generator, card = load_generator(found.target, ema=not args.no_ema, device=device)
    print(describe_card(card))
    videos = generate(generator, args.n, args.frames, args.seed, args.truncation, args.batch)
    out = Path(args.out)
    if out.suffix.lower() in (".mp4", ".gif"):
        out.parent.mkdir(parents=True, exist_ok=True)
        files = [write_video(out, make_grid(videos, padding=1), args.fps)]
        record = out.with_suffix(".json")
    else:
        out.mkdir(parents=True, exist_ok=True)
        files = [write_video(out / f"sample_{i:04d}.{args.format}", v.permute(1, 2, 3, 0).numpy(), args.fps)
                 for i, v in enumerate(videos)]
        record = out / "samples.json"
    info = {"card": {k: v for k, v in card.items() if k != "config"}, "checkpoint": str(args.checkpoint),
            "n": args.n, "frames": int(videos.shape[2]), "resolution": int(videos.shape[-1]), "seed": args.seed,
            "truncation": args.truncation, "ema": not args.no_ema, "fps": args.fps, "files": [str(f) for f in files]}
    record.write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(files)} file(s): {files[0]}{' ...' if len(files) > 1 else ''} (details in {record})")
    return 0
