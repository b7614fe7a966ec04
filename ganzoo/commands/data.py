"""`ganzoo data`: prepare a clip store, print its manifest, render a grid of its clips."""

import json
import os
from pathlib import Path

from ganzoo.data.atomic import atomic_write_text
from ganzoo.errors import GanzooError


def add_parser(subparsers):
    parser = subparsers.add_parser("data", help="prepare, inspect and show video data")
    commands = parser.add_subparsers(dest="data_command", metavar="ACTION", required=True)

    prep = commands.add_parser("prepare", help="decode a dataset once into a memory-mapped clip store")
    prep.add_argument("src", help="dataset folder (or the dataset name for synthetic data, e.g. moving-shapes)")
    prep.add_argument("out", help="store folder to write")
    prep.add_argument("--dataset", default=None,
                      help="registered dataset name (default: frame-folders for frame folders or a .zip of them, else video-folder)")
    prep.add_argument("--size", type=int, default=64, help="clip height and width in pixels (default 64)")
    prep.add_argument("--frames", type=int, default=16, help="frames per clip (default 16)")
    prep.add_argument("--stride", type=int, default=None, help="keep every K-th frame (default 1)")
    prep.add_argument("--split", default=None, help="dataset split (ucf101: train1/test1/...; bair, voxceleb2: train/test)")
    prep.add_argument("--short", choices=("skip", "loop"), default=None, help="videos shorter than a clip: skip (default) or loop")
    prep.add_argument("--clips-per-video", type=int, default=None, help="at most N evenly spaced clips per video (default: all)")
    prep.add_argument("--opt", action="append", default=[], metavar="KEY=VALUE", help="other dataset option (JSON value), repeatable")
    prep.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="decoding processes (0: in this process)")
    prep.add_argument("--overwrite", action="store_true", help="replace a store of other options at OUT")
    prep.add_argument("--no-progress", action="store_true", help="no progress bar")
    prep.set_defaults(func=run_prepare)

    info = commands.add_parser("info", help="print a store's manifest")
    info.add_argument("store")
    info.add_argument("--json", action="store_true", help="print the whole manifest as JSON")
    info.add_argument("--verify", action="store_true", help="list the source folder again: are the files still the ones prepared?")
    info.set_defaults(func=run_info)

    show = commands.add_parser("show", help="render a grid of clips as mp4 or gif")
    show.add_argument("store", help="store folder (or a registered dataset name)")
    show.add_argument("--out", required=True, help="grid.mp4 or grid.gif")
    show.add_argument("--count", type=int, default=16, help="clips in the grid (default 16)")
    show.add_argument("--seed", type=int, default=None, help="pick clips at random with this seed (default: the first ones)")
    show.add_argument("--fps", type=float, default=8.0)
    show.set_defaults(func=run_show)
    return parser


def parse_options(pairs):
    """``["key=value", ...]`` -> dict; values are JSON when they parse, strings otherwise."""
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise GanzooError(f"--opt {pair!r}: expected KEY=VALUE")
        try:
            options[key.replace("-", "_")] = json.loads(value)
        except ValueError:
            options[key.replace("-", "_")] = value
    return options


def default_dataset(src):
    """The dataset SRC is read as without --dataset: frame-folders when :func:`ganzoo.sources.resolve`
    names it frame folders (a folder or a .zip), else video-folder (which reports what is wrong)."""
    from ganzoo import sources

    try:
        found = sources.resolve(src)
    except GanzooError:
        return "video-folder"
    return "frame-folders" if found.kind == sources.FRAME_FOLDERS else "video-folder"


def run_prepare(args):
    from ganzoo import registry
    from ganzoo.data.prepare import prepare

    args.dataset = args.dataset or default_dataset(args.src)
    registry.get("datasets", args.dataset)  # unknown names fail here, with suggestions
    options = parse_options(args.opt)
    for key in ("stride", "split", "short", "clips_per_video"):
        if getattr(args, key) is not None:
            options[key] = getattr(args, key)
    root = None if args.src in ("-", args.dataset) else args.src
    manifest = prepare(args.dataset, root, args.out, resolution=args.size, frames=args.frames, workers=args.workers,
                       overwrite=args.overwrite, progress=not args.no_progress, **options)
    print(summary(manifest, args.out))
    return 0


def summary(manifest, path):
    counts = manifest["counts"]
    n, _, t, h, w = manifest["shape"]
    lines = [f"{path}: {manifest['dataset']} store, {n} clips of {t}x{h}x{w}, fingerprint {manifest['fingerprint']}",
             f"  sources {counts['sources']}, used {counts['used']}, skipped {counts['skipped']} "
             f"(short {counts['short']}, truncated {counts.get('truncated', 0)}), looped {counts['looped']}"]
    lines += [f"  skipped {s['source']}: {s['reason']}" for s in manifest["skipped"]]
    return "\n".join(lines)


def run_info(args):
    from ganzoo.data.store import read_manifest

    manifest = read_manifest(args.store)
    if args.json:
        print(json.dumps(manifest, indent=2))
        return 0
    print(summary(manifest, args.store))
    print(f"  options: {json.dumps(manifest['options'], sort_keys=True)}")
    for split, sha in manifest.get("split_sha256", {}).items():
        print(f"  file list {split}: sha256 {sha}")
    print(f"  made {manifest['created']} by ganzoo {manifest['ganzoo_version']}")
    if args.verify:
        from ganzoo.data.prepare import check_sources

        same, message = check_sources(manifest)
        print(f"  verify: {message}")
        return 0 if same else 1
    return 0


def run_show(args):
    import torch

    from ganzoo.data.open import open_dataset
    from ganzoo.data.store import read_manifest
    from ganzoo.video import make_grid, write_video

    path = Path(args.store)
    if path.exists():
        manifest = read_manifest(path)
        frames, resolution = manifest["shape"][2], manifest["shape"][3]
    else:
        frames, resolution = 16, 64
    data = open_dataset(args.store, frames, resolution)
    count = max(1, min(args.count, len(data)))
    if args.seed is None:
        picks = list(range(count))
    else:
        picks = torch.randperm(len(data), generator=torch.Generator().manual_seed(args.seed))[:count].tolist()
    out = Path(args.out)
    if out.suffix.lower() not in (".mp4", ".gif"):
        raise GanzooError(f"--out {out}: give a .mp4 or .gif file")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_video(out, make_grid(torch.stack([data[i] for i in picks])), fps=args.fps)
    record = {"source": str(args.store), "fingerprint": data.fingerprint, "clips": [{"index": i, **data.info(i)} for i in picks]}
    atomic_write_text(out.with_suffix(".json"), json.dumps(record, indent=2))
    print(f"wrote {out} ({len(picks)} clips) and {out.with_suffix('.json')}")
    return 0
