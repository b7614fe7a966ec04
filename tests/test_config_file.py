"""`ganzoo train --config` / `ganzoo bench --config`: a run reproduced from its own config.toml."""

import json

from ganzoo import cli
from ganzoo.bench.records import ResultsStore

TINY_RUN = ["--model", "mocogan", "--disc", "tpd", "--preset", "tiny", "--set", "model.iterations=3",
            "--set", "schedule.log_every=1", "--no-progress"]


def losses(run_dir):
    """Every logged loss of every line of a run's log.jsonl, in order."""
    lines = [json.loads(line) for line in (run_dir / "log.jsonl").read_text().splitlines()]
    return [{k: v for k, v in line.items() if k.startswith("loss/")} for line in lines]


def test_train_config_reproduces_a_run_from_its_own_config_toml(tmp_path, capsys):
    first, again = tmp_path / "first", tmp_path / "again"
    assert cli.main(["train", *TINY_RUN, "--out", str(first)]) == 0
    assert cli.main(["train", "--config", str(first / "config.toml"), "--out", str(again), "--no-progress"]) == 0
    capsys.readouterr()
    assert len(losses(first)) == 3 and losses(first)[0]["loss/D/video"] > 0
    assert losses(again) == losses(first)
    assert (again / "config.toml").read_text() == (first / "config.toml").read_text()
    results = [json.loads((d / "result.json").read_text()) for d in (first, again)]
    assert results[0]["weights_sha256"] == results[1]["weights_sha256"]

    # --set still overrides the file; the run records what it used
    changed = tmp_path / "changed"
    assert cli.main(["train", "--config", str(first / "config.toml"), "--set", "model.iterations=2",
                     "--seed", "1", "--out", str(changed), "--no-progress"]) == 0
    assert len(losses(changed)) == 2 and losses(changed)[0] != losses(first)[0]
    assert 'iterations = 2' in (changed / "config.toml").read_text()
    assert 'seed = 1' in (changed / "config.toml").read_text()


def test_unknown_keys_and_conflicting_flags_are_one_line_errors(tmp_path, capsys):
    from ganzoo.config import resolve_run, save_run

    good = tmp_path / "config.toml"
    save_run(resolve_run("mocogan", "tiny"), good)
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("log_every", "log_evry"))
    cases = {
        ("train", "--config", str(bad)): "bad.toml: unknown key 'schedule.log_evry'; did you mean 'schedule.log_every'",
        ("train", "--config", str(good), "--set", "model.framez=8"):
            "--set: unknown config key 'model.framez'; did you mean 'model.frames'",
        ("train", "--config", str(good), "--model", "vgan"): "drop --model",
        ("train", "--config", str(tmp_path / "missing.toml")): "cannot read config file",
        ("bench", "--config", str(bad), "--plan"): "unknown key 'schedule.log_evry'",
        ("bench", "--config", str(good), "--table", "2", "--plan"): "drop --table",
    }
    for args, message in cases.items():
        out = ["--out", str(tmp_path / "run")] if args[0] == "train" else ["--results", str(tmp_path / "results")]
        assert cli.main([*args, *out]) == 2, args
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1, (args, err)
    assert not (tmp_path / "run").exists()


def test_bench_config_trains_the_files_model(tmp_path, capsys):
    from ganzoo.config import resolve_run, save_run

    path = tmp_path / "config.toml"
    save_run(resolve_run("mocogan", "tiny", "tpd", ["model.generator.kwargs.width=4"]), path)
    results = tmp_path / "results"
    assert cli.main(["bench", "--config", str(path), "--budget", "2", "--samples", "4", "--points", "1",
                     "--results", str(results), "--no-progress", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["model"] == "mocogan" and summary["disc"] == "tpd" and summary["preset"] == "tiny"
    [record] = ResultsStore(results).records()
    [run_dir] = (results / "runs").iterdir()
    trained = (run_dir / "config.toml").read_text()
    assert "width = 4" in trained and record.iterations == 2
