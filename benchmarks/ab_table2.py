"""A/B wall time of the Tab. 2 small run (issue 17.4): an older commit's code against this checkout.

A is the issue's command on the old code (``ganzoo bench --table 2 --preset small``, one
process); B the same table on this checkout with ``--jobs 2`` (two single-threaded worker processes).
Same cells (the two plans are compared first), seeds and budget, each into a fresh results
folder, A and B in turn (A B, then B A, ...) so a change in the machine's load hits both; the
ratio B / A is printed per pair with the load average. Run it on a quiet machine::

    git worktree add /tmp/wt-b7568ac b7568ac
    (cd /tmp/wt-b7568ac && python3.11 -m venv .venv && .venv/bin/pip install torch==2.14.1 torchvision==0.29.1 \\
        && .venv/bin/pip install -e '.[test]')
    .venv/bin/python benchmarks/ab_table2.py --old /tmp/wt-b7568ac --budget 50 --seeds 3 --pairs 1

(``--budget 500 --seeds 3`` is the full table: about an hour for A.) Nothing here asserts a time.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def ganzoo(root):
    return str(Path(root) / ".venv" / "bin" / "ganzoo")


def plan(root, seeds):
    out = subprocess.run([ganzoo(root), "bench", "--table", "2", "--preset", "small", "--seeds", str(seeds),
                          "--plan", "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def timed(cmd, log):
    start = time.perf_counter()
    with open(log, "w") as out:
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        sys.exit(f"{' '.join(cmd)} failed (exit {done.returncode}); see {log}")
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="/tmp/wt-b7568ac", help="checkout of the old commit, with its own .venv")
    parser.add_argument("--budget", default="50")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=1, help="A/B pairs, the order reversed every pair")
    parser.add_argument("--jobs", type=int, default=2, help="B's --jobs")
    args = parser.parse_args()
    if plan(args.old, args.seeds) != plan(HERE, args.seeds):
        sys.exit("the two checkouts plan different Tab. 2 cells: the A/B would not compare the same work")
    common = ["bench", "--table", "2", "--preset", "small", "--seeds", str(args.seeds), "--budget", args.budget,
              "--no-progress"]
    work = Path(tempfile.mkdtemp(prefix="ganzoo-ab-"))
    print(f"A: {args.old} (one process); B: {HERE} (--jobs {args.jobs}); budget {args.budget}, seeds {args.seeds}; "
          f"logs in {work}", flush=True)
    for pair in range(args.pairs):
        load = os.getloadavg()[0]
        times = {}
        for side in ("A", "B") if pair % 2 == 0 else ("B", "A"):
            root, extra = (args.old, []) if side == "A" else (HERE, ["--jobs", str(args.jobs)])
            results = work / f"{side}{pair}"
            times[side] = timed([ganzoo(root), *common, "--results", str(results), *extra], work / f"{side}{pair}.log")
        print(f"pair {pair}: A {times['A']:.0f} s, B {times['B']:.0f} s, B / A = {times['B'] / times['A']:.2f} "
              f"(load before {load:.2f}, after {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
