"""Reproduce ``shapes_net.pt``, the shipped weights of the offline shapes metrics.

    OMP_NUM_THREADS=1 python -m ganzoo_metrics.train_shapes_net --out plugins/ganzoo_metrics/shapes_net.pt

Data: ``moving-shapes`` at 16 frames, 64x64; ``--train`` clips of seed 0 and ``--val`` clips of
seed 1 (held out). Loss: mean squared error on the 11 targets of
:func:`ganzoo_metrics.shapes_net.targets_of`. Adam (lr 1e-3, cosine decay to 0), batch 32,
random horizontal flips of the whole clip with dx negated (the only augmentation that keeps the
targets exact). Deterministic on CPU with one thread: ``torch.manual_seed(--seed)``, clips are
deterministic per (seed, index). Prints the validation R^2 per target at the end and writes
the state dict (float32) and a JSON report beside it.
"""

import argparse
import json
import math
import time
from pathlib import Path

import torch

from ganzoo.data import open_dataset
from ganzoo_metrics.shapes_net import FRAMES, RESOLUTION, TARGETS, ShapesNet, targets_of


def load(size, seed):
    data = open_dataset("moving-shapes", FRAMES, RESOLUTION, size=size, seed=seed)
    clips = torch.stack([data[i] for i in range(size)])
    targets = torch.stack([targets_of(clips[i], data.info(i)["factors"]) for i in range(size)])
    return clips, targets


def to_input(clips):
    return clips.float().div(127.5).sub(1.0)


@torch.no_grad()
def r2_scores(net, clips, targets, batch=64):
    net.eval()
    pred = torch.cat([net.outputs(to_input(clips[i:i + batch])) for i in range(0, len(clips), batch)])
    residual = ((pred - targets) ** 2).sum(0)
    total = ((targets - targets.mean(0)) ** 2).sum(0)
    return {name: float(1 - r / t) for name, r, t in zip(TARGETS, residual, total)}


def train(train_size=2048, val_size=256, epochs=10, batch=32, lr=1e-3, seed=0, log=print):
    torch.manual_seed(seed)
    clips, targets = load(train_size, 0)
    val_clips, val_targets = load(val_size, 1)
    scale = targets.std(0).clamp_min(1e-3)  # every target weighs the same in the loss
    net = ShapesNet()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    steps = epochs * (train_size // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    start = time.time()
    for epoch in range(epochs):
        net.train()
        order = torch.randperm(train_size)
        total = 0.0
        for i in range(0, train_size - batch + 1, batch):
            idx = order[i:i + batch]
            x, y = to_input(clips[idx]), targets[idx].clone()
            flip = torch.rand(len(idx)) < 0.5
            x[flip] = x[flip].flip(-1)
            y[flip, 0] = -y[flip, 0]  # a mirrored clip moves the other way in x
            loss = (((net.outputs(x) - y) / scale) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        log(f"epoch {epoch + 1}/{epochs}: loss {total / (train_size // batch):.4f} ({time.time() - start:.0f} s)")
    return net, r2_scores(net, val_clips, val_targets)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).with_name("shapes_net.pt")))
    parser.add_argument("--train", type=int, default=2048)
    parser.add_argument("--val", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    net, r2 = train(args.train, args.val, args.epochs, seed=args.seed)
    out = Path(args.out)
    torch.save({k: v.detach().clone() for k, v in net.state_dict().items()}, out)
    report = {"r2_validation": r2, "train_clips": args.train, "val_clips": args.val, "epochs": args.epochs, "seed": args.seed,
              "parameters": sum(p.numel() for p in net.parameters()), "bytes": out.stat().st_size}
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
