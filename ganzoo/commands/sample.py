"""`ganzoo sample`: sample videos from a checkpoint (issue #4).

What ``--out`` names decides what is written: a file whose suffix is a container ganzoo writes
(:data:`ganzoo.video.files.WRITE_SUFFIXES`) gets one grid video, with its details in
``FILE.json`` beside it (``s.mp4.json`` and ``s.gif.json`` for two outputs of one name); a path
without a suffix is a folder of one output per sample in ``--format`` (``frames``: one folder of
numbered PNGs per sample, the frame-folder layout ``ganzoo eval`` and the ``frame-folders``
dataset read) with ``samples.json``; any other suffix is an error.
"""

import inspect
import json
from pathlib import Path

from ganzoo.errors import GanzooError
from ganzoo.video.files import WRITE_SUFFIXES

FORMATS = ("mp4", "gif", "frames")


def add_parser(subparsers):
    p = subparsers.add_parser("sample", help="sample videos from a checkpoint", description=(
        "Generate videos with a checkpoint's G_EMA (or G). --out FILE.mp4|.gif|.avi|.mkv|.mov writes one grid "
        "video (details in FILE.mp4.json); --out DIR writes one output per sample in --format (mp4, gif, or "
        "frames: a folder of numbered PNGs per sample), details in DIR/samples.json. The checkpoint's model "
        "card is printed and written into the JSON."))
    p.add_argument("checkpoint", help="checkpoint file or run folder (its newest valid checkpoint)")
    p.add_argument("--n", type=int, default=8, help="number of videos (default 8)")
    p.add_argument("--frames", type=int, default=None, help="frames per video (default: as trained)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--truncation", type=float, default=1.0, metavar="PSI",
                   help="truncation psi for generators whose make_latent takes one (default 1: none)")
    p.add_argument("--out", required=True, help="FILE.mp4 (.gif, .avi, .mkv, .mov) for one grid video, or a folder (no suffix)")
    p.add_argument("--format", default=None, choices=FORMATS,
                   help="what a folder --out holds per sample: mp4 (default), gif or frames (numbered PNGs)")
    p.add_argument("--fps", type=int, default=8)
    p.add_argument("--batch", type=int, default=8, help="videos generated per forward pass")
    p.add_argument("--no-ema", action="store_true", help="use G instead of G_EMA")
    p.add_argument("--device", default="cpu")
    p.set_defaults(func=run)
    return p


def check_out(out, fmt):
    """A one-line error for an ``--out`` whose suffix is no container ganzoo writes, or that
    names one file while ``--format`` asks for a folder's per-sample format."""
    suffix = Path(out).suffix.lower()
    if not suffix:
        return
    if suffix not in WRITE_SUFFIXES:
        raise GanzooError(f"--out {out}: ganzoo sample writes {', '.join(WRITE_SUFFIXES)} grid videos, or a folder "
                          f"(a path without a suffix) with --format {'|'.join(FORMATS)}")
    if fmt is not None and fmt != suffix.lstrip("."):
        raise GanzooError(f"--out {out} is one {suffix} grid video; --format {fmt} is for a folder --out (no suffix)")


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
    from ganzoo.video.frames import write_frames

    if args.n < 1:
        raise GanzooError(f"--n must be >= 1, got {args.n}")
    check_out(args.out, args.format)
    device = resolve_device(args.device)
    found = sources.require(args.checkpoint, (sources.CHECKPOINT, sources.RUN), "ganzoo sample")
    generator, card = load_generator(found.target, ema=not args.no_ema, device=device)
    print(describe_card(card))
    videos = generate(generator, args.n, args.frames, args.seed, args.truncation, args.batch)
    out, files = Path(args.out), []
    if out.suffix:
        out.parent.mkdir(parents=True, exist_ok=True)
        files = [write_video(out, make_grid(videos, padding=1), args.fps)]
        record = out.with_name(out.name + ".json")  # its own: s.mp4.json and s.gif.json never collide
    else:
        out.mkdir(parents=True, exist_ok=True)
        for i, video in enumerate(videos):
            frames = video.permute(1, 2, 3, 0).numpy()
            if (args.format or "mp4") == "frames":
                files.append(write_frames(out / f"sample_{i:04d}", frames))
            else:
                files.append(write_video(out / f"sample_{i:04d}.{args.format or 'mp4'}", frames, args.fps))
        record = out / "samples.json"
    info = {"card": {k: v for k, v in card.items() if k != "config"}, "checkpoint": str(args.checkpoint),
            "n": args.n, "frames": int(videos.shape[2]), "resolution": int(videos.shape[-1]), "seed": args.seed,
            "truncation": args.truncation, "ema": not args.no_ema, "fps": args.fps, "files": [str(f) for f in files],
            "format": out.suffix.lower().lstrip(".") if out.suffix else (args.format or "mp4")}
    record.write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(files)} file(s): {files[0]}{' ...' if len(files) > 1 else ''} (details in {record})")
    return 0
