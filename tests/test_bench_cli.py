"""`ganzoo bench` end to end on the tiny preset: train, score, record, reuse, plan, errors."""

import json

import pytest

from ganzoo import cli
from ganzoo.bench.records import ResultsStore

from conftest import run_ganzoo

TINY = ["--preset", "tiny", "--budget", "4", "--samples", "8", "--points", "2", "--no-progress"]


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    results = tmp_path_factory.mktemp("results")
    first = run_ganzoo("bench", "--model", "mocogan", "--disc", "tpd", *TINY, "--results", str(results), "--json")
    return results, first


def test_bench_trains_scores_and_records(bench_run):
    results, first = bench_run
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["model"] == "mocogan" and summary["disc"] == "tpd" and summary["metric"] == "fid-shapes"
    assert summary["protocol"]["network"].startswith("ganzoo ShapesNet") and len(summary["values"]) == 1
    assert summary["protocol"]["weights"]["sha256"]
    [record] = ResultsStore(results).records()
    assert record.value == summary["values"][0] and record.value > 0
    assert [step for step, _ in record.curve] == [2, 4]  # a score per kept checkpoint (4 iterations, 2 points)
    assert record.curve[-1][1] == record.value
    assert (results / "summary-mocogan-tpd-tiny.json").exists()


def test_second_call_reuses_the_record(bench_run):
    results, first = bench_run
    again = run_ganzoo("bench", "--model", "mocogan", "--disc", "tpd", *TINY, "--results", str(results), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["values"] == json.loads(first.stdout)["values"]
    assert len(ResultsStore(results).records()) == 1


def test_plan_lists_cells_for_a_scheduler(capsys):
    assert cli.main(["bench", "--table", "2", "--seeds", "3", "--plan", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 4 * 2 * 3
    assert rows[0] == {"cell": 0, "model": "vgan", "disc": None, "overrides": [], "seed": 0, "row": "vgan", "column": "3D"}
    assert rows[5]["disc"] == "tpd" and rows[5]["seed"] == 2


def test_bad_input_fails_before_any_work(tmp_path, capsys):
    cases = {
        ("--model", "mocogn"): "unknown model 'mocogn'; did you mean 'mocogan'?",
        ("--model", "mocogan", "--disc", "tpdd"): "unknown discriminator 'tpdd'; did you mean 'tpd'?",
        ("--model", "mocogan", "--preset", "huge"): "model 'mocogan' has no preset 'huge'; its presets: paper, small, tiny",
        ("--model", "mocogan", "--metric", "fid-shape"): "unknown metric 'fid-shape'; did you mean 'fid-shapes'",
        ("--model", "vgan", "--disc", "tpd", "--set", "model.frames=4"): "tpd speed v=5 needs at least 6 frames",
    }
    for args, message in cases.items():
        assert cli.main(["bench", *args, "--results", str(tmp_path), "--plan"]) == 2, args
        assert message in capsys.readouterr().err, args


def test_missing_metric_weights_stop_before_training(tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_WEIGHTS_DIR", str(tmp_path / "no-weights"))
    result = run_ganzoo("bench", "--model", "mocogan", "--metric", "fid-resnext101", *TINY, "--results", str(tmp_path))
    assert result.returncode == 2
    assert "resnext" in result.stderr.lower() and "Traceback" not in result.stderr
    assert not (tmp_path / "runs").exists()  # nothing was trained


def test_a_model_that_cannot_make_the_metrics_frames_is_refused_before_training(tmp_path, capsys):
    """VGAN makes a fixed length with its 3D deconvolutions: at 8 frames it cannot make fid-shapes' 16."""
    assert cli.main(["bench", "--model", "vgan", *TINY, "--set", "model.frames=8", "--results", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "vgan (tiny preset) trains on 8 frames and metric fid-shapes takes 16" in err
    assert "--set model.frames=16" in err
    assert not (tmp_path / "runs").exists()


def test_jobs_runs_the_plan_on_single_threaded_worker_processes(tmp_path):
    """Issue 17.4: ``--jobs 2`` runs the three jobs on two worker processes (each imports once
    and takes the next job when it is free) and then reports from the records they left, as a
    serial call would, with the same values; a second call reuses them all."""
    args = ["bench", "--model", "mocogan", "--seeds", "3", *TINY, "--results", str(tmp_path), "--json"]
    first = run_ganzoo(*args, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["seeds"] == [0, 1, 2] and len(summary["values"]) == 3
    assert sorted(r.seed for r in ResultsStore(tmp_path).records()) == [0, 1, 2]
    logs = tmp_path / "logs"
    assert sorted(p.name for p in logs.iterdir()) == ["job-0.log", "job-1.log", "job-2.log"]  # workers said nothing else
    workers = {(logs / f"job-{k}.log").read_text().split(":")[0] for k in range(3)}
    assert len(workers) == 2 and all(w.startswith("bench worker ") for w in workers)
    assert "3 of 3 jobs to run, 2 at a time" in first.stderr
    serial = run_ganzoo(*args[:-3], "--results", str(tmp_path / "serial"), "--json")
    assert json.loads(serial.stdout)["values"] == summary["values"]
    again = run_ganzoo(*args, "--jobs", "2")
    assert again.returncode == 0 and json.loads(again.stdout)["values"] == summary["values"]
    assert "0 of 3 jobs to run" in again.stderr and len(ResultsStore(tmp_path).records()) == 3


def test_the_last_job_left_running_gets_every_core(tmp_path):
    """Issue 17.4: a ``--jobs`` worker is single-threaded until ganzoo bench widens it (SIGUSR1,
    sent when the other workers have nothing left); a worker still starting ignores the signal."""
    import os
    import signal
    import time

    from ganzoo.commands.bench import _Worker

    args = cli.build_parser().parse_args(["bench", "--model", "mocogan", "--seeds", "1", *TINY,
                                          "--results", str(tmp_path)])
    (tmp_path / "logs").mkdir()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    ignored = signal.signal(signal.SIGUSR1, signal.SIG_IGN)  # as _run_in_parallel starts its workers
    try:
        worker = _Worker(args, 0, tmp_path / "logs", env)
    finally:
        signal.signal(signal.SIGUSR1, ignored)
    log = tmp_path / "logs" / "job-0.log"
    try:
        worker.widen()  # at once: the worker is still importing, and must live on
        worker.give(0)
        deadline = time.monotonic() + 60
        while not (log.exists() and log.read_text().startswith("bench worker")):  # the job has begun
            assert worker.proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        worker.widened = False
        worker.widen()
        assert worker.proc.stdout.readline() == "0 0\n"
        worker.finish()
        assert worker.proc.wait(timeout=60) == 0
    finally:
        worker.close()
    text = log.read_text()
    assert f"(threads at the end: {len(os.sched_getaffinity(0))})" in text, text
    assert not (tmp_path / "logs" / "worker-0.log").exists()  # it said nothing outside its job
