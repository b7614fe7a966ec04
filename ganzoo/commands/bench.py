"""`ganzoo bench`: train a model with a chosen discriminator, score it, record it, tabulate it.

With no options beyond ``--model mocogan --disc tpd`` it runs what a new user can afford on
2 CPU cores (a few minutes): moving-shapes, the ``tiny`` preset trained for 1,000 iterations,
the offline ``fid-shapes`` metric. The models' ``small`` presets are 32-pixel models (InMoDeGAN's
2,500 iterations take about 27 minutes on 2 idle cores; a baseline iteration 0.06-0.4 s): ask
for them with ``--preset small`` (1,000 iterations) or ``--preset small --budget preset``.
"""

import argparse
import contextlib
import json
import signal
import sys
from pathlib import Path

from ganzoo.bench.lengths import parse_lengths, score_lengths
from ganzoo.bench.records import ResultsStore
from ganzoo import registry
from ganzoo.bench.runner import (BenchOptions, check_frames_for_metric, check_metric_ready, job_key, resolve,
                                 run_job, stalled_warnings)
from ganzoo.bench.tables import Cell, check_protocols, format_cell, render_markdown, table
from ganzoo.data.atomic import atomic_write_text
from ganzoo.errors import GanzooError
from ganzoo.stopping import Interrupted, Terminated


def add_parser(subparsers):
    p = subparsers.add_parser("bench", help="train, score and tabulate models (the paper's Tab. 1-5)")
    what = p.add_argument_group("what to run")
    what.add_argument("--model", help="a registered model (ganzoo list models)")
    what.add_argument("--disc", help="discriminator for the model's video role (e.g. tpd)")
    what.add_argument("--table", type=int, choices=(1, 2, 3, 4, 5),
                      help="run and render the paper's table (4, 5: deactivation deltas of InMoDeGAN's directions)")
    what.add_argument("--config", metavar="FILE.toml",
                      help="one model from a run config in the schema of a run's DIR/config.toml (instead of "
                           "--model/--disc/--preset); --set and --data still override it")
    what.add_argument("--masks", help="--table 5: head/mouth mask provider, package.module:function")
    how = p.add_argument_group("how")
    how.add_argument("--data", help="dataset name or clip store (default: moving-shapes, or --config's)")
    how.add_argument("--preset", help="model preset (default: tiny)")
    how.add_argument("--metric", default="fid-shapes", help="metric (default: fid-shapes, offline)")
    how.add_argument("--weights", help="weights file of the metric's feature network")
    how.add_argument("--allow-unknown-weights", action="store_true",
                     help="score with a weights file whose SHA-256 is not the published one (recorded as unverified)")
    how.add_argument("--seeds", type=int, default=1, help="seeds per cell (default 1)")
    how.add_argument("--budget", default="1000",
                     help="training iterations per run, or 'preset' for the preset's own (default: 1000)")
    how.add_argument("--samples", type=int, default=256, help="generated videos scored per checkpoint")
    how.add_argument("--points", type=int, default=4, help="checkpoints scored along training (the curve)")
    how.add_argument("--device", default="cpu")
    how.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    how.add_argument("--results", default="results", help="results directory (default: ./results)")
    out = p.add_argument_group("scaling out and output")
    out.add_argument("--plan", action="store_true", help="list the jobs (cells x seeds) and exit")
    out.add_argument("--cell", type=int, help="run only job K of --plan (for a Slurm array)")
    out.add_argument("--jobs", type=int, default=1,
                     help="run the plan's jobs N at a time on N single-threaded worker processes")
    out.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)  # one of --jobs N's processes
    out.add_argument("--lengths", help="also score the trained model at these video lengths, e.g. 16,32,48")
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=run)
    return p


def _cells(args):
    if args.table in (4, 5) or args.masks:
        from ganzoo.bench.deltas import check_masks

        check_masks(args.table, args.masks)  # Tab. 5 without masks stops here, before any training
    if args.table:
        if args.model or args.disc:
            raise GanzooError("--table runs fixed cells; drop --model/--disc (or run them without --table)")
        tab = table(args.table)
        return tab, list(tab.cells)
    if not args.model:
        raise GanzooError("ganzoo bench needs --model M (e.g. --model mocogan --disc tpd) or --table 1|2|3|4|5")
    return None, [Cell(args.model, args.disc or "own D", args.model, args.disc)]


def _jobs(cells, seeds):
    if seeds < 1:
        raise GanzooError(f"--seeds {seeds}: need at least 1")
    return [(cell, seed) for cell in cells for seed in range(seeds)]


def _from_config(args):
    """--config: the file's model, preset and data stand in for --model/--disc/--preset/--data."""
    from ganzoo.config import run_from_file

    given = [flag for flag, value in (("--model", args.model), ("--disc", args.disc), ("--table", args.table),
                                      ("--preset", args.preset)) if value is not None]
    if given:
        raise GanzooError(f"--config {args.config} names one model, its preset and discriminators: drop {', '.join(given)}")
    run = run_from_file(args.config, args.overrides, args.data)
    video = run.model.discriminators.get("video")
    disc = video.name if video else None  # a label only: the file's spec is trained as it is
    return run.model.preset, run.data.source, Cell(run.model.name, disc or "own D", run.model.name, disc)


def run(args):
    preset, data, cells = args.preset or "tiny", args.data or "moving-shapes", None
    if args.config:
        preset, data, cell = _from_config(args)
        cells = [cell]
    options = BenchOptions(preset, data, args.metric, args.budget, args.samples, args.points,
                           args.device, args.weights, tuple(args.overrides), args.config, args.allow_unknown_weights)
    tab, cells = (None, cells) if cells else _cells(args)
    if args.lengths and tab is not None:
        raise GanzooError("--lengths scores one model: use it with --model, not --table")
    jobs = _jobs(cells, args.seeds)
    if args.jobs < 1:
        raise GanzooError(f"--jobs {args.jobs}: need at least 1")
    # unknown names, presets and incompatible swaps fail here, before any work
    runs = [resolve(cell, 0, options) for cell in cells]
    registry.get("metrics", options.metric)
    store = ResultsStore(args.results)
    if args.plan:
        return _print_plan(jobs, args.json)
    if args.cell is not None:
        if not 0 <= args.cell < len(jobs):
            raise GanzooError(f"--cell {args.cell}: this plan has jobs 0..{len(jobs) - 1}")
        jobs = [jobs[args.cell]]
    metric = check_metric_ready(options)  # missing weights stop here, before any training
    for run_config in runs:
        check_frames_for_metric(run_config, metric)
    if args.worker:
        return _serve(args, jobs, options, store)
    try:
        if args.jobs > 1 and args.cell is None:
            _run_in_parallel(args, jobs, options, store)  # records land in the store; _run_jobs reuses them
        results = _run_jobs(jobs, options, store, progress=not args.no_progress)
    except Interrupted as exc:
        raise Interrupted(f"{exc}; run the same ganzoo bench command again to continue (its finished runs "
                          f"are reused from {args.results}, stopped ones resume)", exc.signum) from None
    if args.cell is not None:
        record = results[0][1]
        print(json.dumps({"cell": args.cell, "value": record.value, "metric": record.metric}) if args.json
              else f"job {args.cell}: {record.model}/{record.disc} seed {record.seed}: {record.metric} = {record.value:.4f}")
        return 0
    if tab is not None:
        return _render_table(tab, results, options, Path(args.results), args.json, masks=args.masks,
                             progress=not args.no_progress)
    if args.lengths:
        return _lengths(cells[0], results[0][1], parse_lengths(args.lengths), options, Path(args.results), args.json)
    return _summary(cells[0], [r for _, r in results], options, Path(args.results), args.json)


def _print_plan(jobs, as_json):
    rows = [{"cell": k, "model": c.model, "disc": c.disc, "overrides": list(c.overrides), "seed": s,
             "row": c.row, "column": c.column} for k, (c, s) in enumerate(jobs)]
    if as_json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(f"{row['cell']:3d}  {row['model']:10s} {row['disc'] or 'own':6s} seed {row['seed']}  {' '.join(row['overrides'])}")
    return 0


def _worker_command(args):
    """The ``ganzoo bench ... --worker`` line of one ``--jobs`` worker, with this call's options."""
    cmd = [sys.executable, "-m", "ganzoo", "bench", "--worker", "--no-progress"]
    for flag, value in (("--table", args.table), ("--model", args.model), ("--disc", args.disc),
                        ("--masks", args.masks), ("--data", args.data), ("--preset", args.preset),
                        ("--metric", args.metric), ("--weights", args.weights), ("--seeds", args.seeds),
                        ("--budget", args.budget), ("--samples", args.samples), ("--points", args.points),
                        ("--device", args.device), ("--results", args.results), ("--config", args.config)):
        if value is not None:
            cmd += [flag, str(value)]
    if args.allow_unknown_weights:
        cmd.append("--allow-unknown-weights")
    for item in args.overrides:
        cmd += ["--set", item]
    return cmd


class _Worker:
    """One single-threaded ``--worker`` process of ``--jobs N`` and the job it runs (None: idle)."""

    def __init__(self, args, number, logs, env):
        import subprocess

        self.log = open(logs / f"worker-{number}.log", "w")  # anything said outside a job
        self.proc = subprocess.Popen(_worker_command(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, env=env, text=True, bufsize=1, start_new_session=True)
        self.job, self.widened = None, False

    def give(self, k):
        self.proc.stdin.write(f"{k}\n")
        self.proc.stdin.flush()
        self.job = k

    def widen(self):
        """Let its job use every core from now on (once): the other workers have nothing left."""
        if not self.widened and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGUSR1)
            self.widened = True

    def finish(self):
        """No more jobs: the worker exits when it reads the end of its input."""
        if self.proc.poll() is None:
            self.proc.stdin.close()

    def close(self):
        """Its pipes and log closed; the log removed if the worker said nothing outside its jobs."""
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:  # a pipe to a worker that is gone
                pass
        self.log.close()
        path = Path(self.log.name)
        if path.exists() and path.stat().st_size == 0:
            path.unlink()


def _run_in_parallel(args, jobs, options, store):
    """Issue 17.4: the table's jobs on ``args.jobs`` single-threaded worker processes. Each worker
    imports torch and the plugins once and runs the jobs it is handed one after another, in
    process (as a serial call does), each job's output in ``RESULTS/logs/job-K.log``. Jobs with TPD
    start first (most are the long ones), and the last job left running is given every core
    (:meth:`_Worker.widen`).

    The workers run in their own sessions, so a terminal's Ctrl-C reaches only this process, which
    then stops each worker once, as a preemption does (its job finishes its step and writes a
    checkpoint; the next call resumes it). A second Ctrl-C kills them at once."""
    import os
    import select

    todo = [k for k, (cell, seed) in enumerate(jobs)
            if store.find(job_key(cell, seed, options, resolve(cell, seed, options))) is None]
    todo.sort(key=lambda k: jobs[k][0].disc != "tpd")  # stable: plan order within each group
    logs = Path(args.results) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    workers, failed, started = [], [], 0
    print(f"bench: {len(todo)} of {len(jobs)} jobs to run, {args.jobs} at a time (single-threaded worker processes; "
          f"logs in {logs})", file=sys.stderr, flush=True)
    ignored = signal.signal(signal.SIGUSR1, signal.SIG_IGN)  # inherited: a worker still starting ignores widen()
    try:
        while any(w.job is not None for w in workers) or todo:
            while todo and len(workers) < args.jobs:
                workers.append(_Worker(args, started, logs, env))
                started += 1
            for w in workers:
                if w.job is None and todo:
                    if w.proc.poll() is not None:
                        raise GanzooError(f"bench --jobs: a worker exited ({w.proc.returncode}) between jobs; "
                                          f"see {w.log.name}")
                    w.give(todo.pop(0))
            busy = [w for w in workers if w.job is not None]
            if not todo and len(busy) == 1 and len(workers) > 1:
                busy[0].widen()  # the last job: the idle workers' cores are its
            ready, _, _ = select.select([w.proc.stdout for w in busy], [], [], 0.5)
            for w in busy:
                if w.proc.stdout not in ready:
                    continue
                line = w.proc.stdout.readline()
                cell, seed = jobs[w.job]
                if line:
                    status = int(line.split()[1])
                    state = "done" if status == 0 else f"FAILED (see {logs / f'job-{w.job}.log'})"
                else:  # the worker itself died
                    status = w.proc.wait()
                    state = f"FAILED (worker exited {status}; see {logs / f'job-{w.job}.log'} and {w.log.name})"
                    workers.remove(w)  # the next round starts another if jobs are left
                    w.close()
                print(f"bench: job {w.job} {cell.model}/{cell.disc or 'own'} seed {seed}: {state}",
                      file=sys.stderr, flush=True)
                if status != 0:
                    failed.append(w.job)
                w.job = None
        for w in workers:
            w.finish()
        for w in workers:
            w.proc.wait()
    except (KeyboardInterrupt, Terminated) as exc:
        _stop_workers(workers)
        workers = []
        signum = signal.SIGINT if isinstance(exc, KeyboardInterrupt) else signal.SIGTERM
        raise Interrupted("interrupted; the running jobs saved their current step", signum) from None
    finally:
        _stop_workers(workers)  # anything else went wrong: stop what is left
        signal.signal(signal.SIGUSR1, ignored)
    if failed:
        raise GanzooError(f"bench --jobs: jobs {sorted(failed)} failed; their output is in {logs}/job-K.log")


def _stop_workers(workers):
    """Stop workers still running: one SIGTERM each (a worker's job saves its step and it exits;
    an idle one just exits), then wait; a second Ctrl-C while waiting kills them."""
    running = [w for w in workers if w.proc.poll() is None]
    for w in running:
        w.proc.send_signal(signal.SIGTERM)
    busy = sum(w.job is not None for w in running)
    if busy:
        print(f"bench: stopping {busy} running job(s): each finishes its step and saves a checkpoint "
              f"(Ctrl-C again to kill them)", file=sys.stderr, flush=True)
    try:
        for w in running:
            w.proc.wait()
    except BaseException:
        for w in running:
            w.proc.kill()
            w.proc.wait()
        raise
    finally:
        for w in workers:
            w.close()


def _serve(args, jobs, options, store):
    """``--worker``: run the jobs whose numbers arrive on stdin, one per line, in this process,
    each with its output in ``RESULTS/logs/job-K.log``; answer ``K STATUS`` on stdout (0 done,
    2 a GanzooError, 1 anything else) as each ends. SIGINT/SIGTERM stop the job (it saves its
    step) and the worker; SIGUSR1 gives the job every core (the other workers are done)."""
    import os
    import traceback

    import torch

    # SIGUSR1 from ganzoo bench: this is the last job running, take every core this process may use
    # (its CPU affinity where the OS has one, as on Linux; all cores elsewhere, e.g. macOS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    signal.signal(signal.SIGUSR1, lambda signum, frame: torch.set_num_threads(cores))
    logs = Path(args.results) / "logs"
    with os.fdopen(os.dup(1), "w", buffering=1) as report:
        while line := sys.stdin.readline():
            k, stopped = int(line), None
            with open(logs / f"job-{k}.log", "w") as log, _output_to(log):
                print(f"bench worker {os.getpid()}: job {k}", flush=True)
                try:
                    cell, seed = jobs[k]
                    record = _run_jobs([jobs[k]], options, store, progress=False)[0][1]
                    print(f"job {k}: {cell.model}/{cell.disc or 'own'} seed {seed}: {record.metric} = {record.value:.4f} "
                          f"(threads at the end: {torch.get_num_threads()})")
                    status = 0
                except GanzooError as exc:  # said in the job's log, as the CLI would say it
                    print(f"ganzoo: {exc.prefix}{exc}", file=sys.stderr)
                    status, stopped = 2, exc if isinstance(exc, Interrupted) else None
                except Exception:
                    traceback.print_exc()
                    status = 1
            if stopped is not None:  # a signal: the job saved its step; the worker stops too
                return stopped.exit_code
            report.write(f"{k} {status}\n")
    return 0


@contextlib.contextmanager
def _output_to(log):
    """File descriptors 1 and 2 (so also warnings and C-level output) into ``log`` for a while."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, target in zip(saved, (1, 2)):
            os.dup2(fd, target)
            os.close(fd)


def _run_jobs(jobs, options, store, progress):
    from ganzoo.progress import progress as show_progress

    results = []
    bar = show_progress(jobs, desc="bench", unit="run", enabled=progress)
    for cell, seed in bar:
        bar.set_postfix_str(f"{cell.model}/{cell.disc or 'own'} seed {seed}")
        record, reused = run_job(cell, seed, options, store, progress=progress)
        for line in stalled_warnings(record):
            bar.write(line, file=sys.stderr)
        results.append((cell, record))
    return results


def _summary(cell, records, options, results_dir, as_json):
    check_protocols(records)
    values = [r.value for r in records]
    summary = {
        "model": cell.model, "disc": records[0].disc, "preset": options.preset, "data": options.data,
        "metric": options.metric, "values": values, "summary": format_cell(values),
        "seeds": [r.seed for r in records], "iterations": records[0].iterations,
        "wall_time_s": [r.wall_time_s for r in records], "protocol": records[0].protocol,
        "checkpoints": [r.checkpoint for r in records],
    }
    path = results_dir / f"summary-{cell.model}-{cell.disc or 'own'}-{options.preset}.json"
    atomic_write_text(path, json.dumps(summary, indent=2, default=str) + "\n")
    if as_json:
        print(json.dumps(summary, indent=2, default=str))
        return 0
    print(f"{cell.model} with video D {records[0].disc} ({options.preset} preset, {records[0].iterations} iterations, "
          f"data {options.data}):")
    print(f"  {options.metric} = {summary['summary']}  (lower is better)")
    print(f"  protocol: {json.dumps(records[0].protocol, sort_keys=True, default=str)}")
    print(f"  written: {path}")
    return 0


def _render_table(tab, results, options, results_dir, as_json, masks=None, progress=True):
    """Tab. 1-3: ours beside the paper's, each metric named (.md, .json, curves PNG; Tab. 2 also
    its grouped bars). Tab. 4/5: the deactivation deltas (:mod:`ganzoo.bench.deltas`)."""
    from ganzoo.bench import paper
    from ganzoo.bench.plots import plot_curves, plot_tpd_bars
    from ganzoo.bench.report import cells_data
    from ganzoo.bench.tables import ours_label, table_rows

    by_cell = {}
    for cell, record in results:
        by_cell.setdefault(cell, []).append(record)
    if tab.number in (4, 5):
        return _render_deltas(tab, by_cell, options, results_dir, as_json, masks, progress)
    text = render_markdown(tab, by_cell, options)
    rows = table_rows(tab, by_cell)
    stem = results_dir / f"table{tab.number}-{options.preset}"
    pictures = [plot_curves({f"{c.row} / {c.column}": rs for c, rs in by_cell.items()},
                            results_dir / f"{stem.name}-curves.png", options.metric, tab.title)]
    if tab.change:
        pictures.insert(0, plot_tpd_bars(rows, stem.with_suffix(".png"), ours_label(options), tab.title))
    data = {"table": tab.number, "title": tab.title, "ours": _ours_data(options), "rows": rows,
            "paper": {"metric": paper.METRIC, "description": paper.METRIC_DESCRIPTION},
            "note": text.rstrip().splitlines()[-1], "protocol": results[0][1].protocol,
            "pictures": [str(p) for p in pictures], "cells": cells_data(by_cell)}
    return _write_table(stem, text, data, as_json, device=options.device)


def _ours_data(options):
    return {"metric": options.metric, "data": options.data, "preset": options.preset, "device": options.device,
            "samples": options.samples, "budget": options.budget}


def _render_deltas(tab, by_cell, options, results_dir, as_json, masks, progress):
    from ganzoo.bench import deltas, paper
    from ganzoo.bench.report import cells_data

    studies = [deltas.study(record, tab.number, options, masks, progress)
               for records in by_cell.values() for record in records]
    rows = deltas.delta_rows(tab.number, studies)
    text = deltas.render_deltas(tab, rows, studies, options)
    data = {"table": tab.number, "title": tab.title, "ours": {**_ours_data(options), "masks": masks},
            "rule": deltas.RULE, "rows": rows, "note": text.rstrip().splitlines()[-1],
            "paper": {"description": paper.DELTA_DESCRIPTION[tab.number], "figures": paper.figures(tab.number),
                      "printed_vs_computed": paper.PRINTED_VS_COMPUTED if tab.number == 5 else {}},
            "studies": studies, "cells": cells_data(by_cell)}
    return _write_table(results_dir / f"table{tab.number}-{options.preset}", text, data, as_json,
                        device=options.device)


def _write_table(stem, text, data, as_json, device="cpu"):
    """``stem``.md and ``stem``.json side by side, and the results page made of them
    (``stem``.html, :mod:`ganzoo.bench.report`); print the one asked for."""
    from ganzoo.bench.report import write_page
    from ganzoo.interpret.outputs import write_json

    atomic_write_text(stem.with_suffix(".md"), text)
    write_json(stem.with_suffix(".json"), data)
    page = write_page(stem.with_suffix(".json"), device=device)
    print(json.dumps(data["rows"], indent=2, default=str) if as_json else text)
    if not as_json:
        written = [stem.with_suffix(".md"), stem.with_suffix(".json"), *data.get("pictures", []), page]
        print(f"written: {', '.join(map(str, written))}")
    return 0


def _lengths(cell, record, lengths, options, results_dir, as_json):
    from ganzoo.bench.plots import plot_lengths

    points = score_lengths(record.checkpoint, lengths, options)
    stem = results_dir / f"lengths-{cell.model}-{cell.disc or 'own'}-{options.preset}"
    rows = [{"frames": length, "value": value, "protocol": protocol} for length, value, protocol in points]
    atomic_write_text(stem.with_suffix(".json"), json.dumps({"model": cell.model, "metric": options.metric,
                                                    "checkpoint": record.checkpoint, "lengths": rows},
                                                   indent=2, default=str) + "\n")
    plot_lengths([(r["frames"], r["value"]) for r in rows], stem.with_suffix(".png"), options.metric,
                 f"{cell.model}: {options.metric} of the last frames vs video length")
    if as_json:
        print(json.dumps([{k: r[k] for k in ("frames", "value")} for r in rows], indent=2))
    else:
        for r in rows:
            print(f"{r['frames']:4d} frames: {options.metric} = {r['value']:.4f}")
        print(f"written: {stem.with_suffix('.json')}, {stem.with_suffix('.png')}")
    return 0
