import json

import attrs
import pytest

from ganzoo.bench import records as rec
from ganzoo.bench.runner import BenchOptions
from ganzoo.bench.tables import check_protocols, mean_std, render_markdown, table
from ganzoo.errors import GanzooError

PROTOCOL = {"network": "shapes-net", "weights": {"sha256": "ab"}, "frames": 16, "resolution": 32,
            "sets": {"a": {"samples": 64, "clips": "64 of 2048 clips by seed 0"}, "b": {"samples": 64}}}


def make_record(model="mocogan", disc="tpd", seed=0, value=1.0, **changes):
    base = rec.Record(
        model=model, disc=disc, overrides=(), data="moving-shapes", data_fingerprint="f", preset="small",
        config_hash="h", seed=seed, budget="100", iterations=100, wall_time_s=1.0, device="cpu", metric="fid-shapes",
        value=value, samples=64, protocol=dict(PROTOCOL), checkpoint="c.pt", curve=[(50, 2.0), (100, value)],
        ganzoo_version="0.1.0",
    )
    return attrs.evolve(base, **changes)


def test_store_round_trip_and_lookup(tmp_path):
    store = rec.ResultsStore(tmp_path)
    assert store.records() == []
    a, b = make_record(seed=0), make_record(seed=1, value=3.0)
    store.append(a)
    store.append(b)
    assert store.records() == [a, b]
    assert store.find(b.key()) == b
    assert store.find(make_record(seed=2).key()) is None


def test_partial_last_line_is_ignored_and_repaired(tmp_path):
    store = rec.ResultsStore(tmp_path)
    store.append(make_record(seed=0))
    with open(store.path, "a") as handle:
        handle.write('{"model": "moc')  # a kill in the middle of an append
    assert len(store.records()) == 1
    store.append(make_record(seed=1))
    assert [r.seed for r in store.records()] == [0, 1]


def test_other_format_version_is_a_clear_error(tmp_path):
    store = rec.ResultsStore(tmp_path)
    data = attrs.asdict(make_record())
    data["format"] = 0
    store.path.write_text(json.dumps(data) + "\n")
    with pytest.raises(GanzooError, match=r"results.jsonl:1: record format 0, this ganzoo reads format 1"):
        store.records()


def test_tables_have_the_papers_cells():
    assert [(c.model, c.disc) for c in table(2).cells] == [
        (m, d) for m in ("vgan", "tgan", "mocogan", "g3an") for d in (None, "tpd")
    ]
    speeds = [c.overrides for c in table(3).cells]
    assert speeds[0] == ("model.discriminators.video.kwargs.speeds=[1]",)
    assert speeds[3] == ("model.discriminators.video.kwargs.speeds=[1, 3, 5, 7]",)
    assert {c.model for c in table(1).cells} == {"vgan", "tgan", "mocogan", "g3an", "inmodegan"}
    for number in (4, 5):
        assert [(c.model, c.disc) for c in table(number).cells] == [("inmodegan", None)]
    assert table(4).cells[0] == table(1).cells[-1]  # Tab. 4/5 reuse Tab. 1's InMoDeGAN record
    with pytest.raises(GanzooError, match="unknown table 6"):
        table(6)


def test_mixed_protocols_are_refused_naming_fields():
    other = make_record(model="g3an", protocol={**PROTOCOL, "resolution": 64, "weights": {"sha256": "cd"}})
    with pytest.raises(GanzooError, match=r"weights.sha256: 'ab' vs 'cd', resolution: 32 vs 64"):
        check_protocols([make_record(), other])
    check_protocols([make_record(), make_record(model="g3an")])  # same protocol: fine


def test_markdown_has_mean_std_and_paper_marked():
    tab = table(2, models=("mocogan",))
    cells = {tab.cells[0]: [make_record(disc="mocogan-video", value=v) for v in (1.0, 3.0)],
             tab.cells[1]: [make_record(value=2.0)]}
    text = render_markdown(tab, cells, BenchOptions())
    # ours (mean ± std), the paper's Tab. 2 per dataset, for 3D then TPD, then TPD vs 3D
    assert ("| mocogan | 2.00 ± 1.41 (n=2) | 12.69 | 13.68 | 2.00 ± 0.00 (n=1) | 7.07 | 3.16 "
            "| +0.0% | -44% | -77% |") in text
    assert "| 3D: fid-shapes on moving-shapes (ours, CPU) | 3D: video FID, ResNeXt-101, VoxCeleb2-mini (paper) |" \
        in text
    assert mean_std([1.0, 3.0]) == (2.0, pytest.approx(2 ** 0.5))


def test_curve_plot_is_a_png_and_goes_log_when_a_row_diverges(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ganzoo.bench.plots import _log_scale_if_spread, plot_curves

    path = plot_curves({"a": [make_record(value=2.0)], "b": [make_record(value=300.0)]}, tmp_path / "c.png",
                       "fid-shapes", "title")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fig, ax = plt.subplots()
    ax.plot([1, 2], [2.0, 3.0])
    _log_scale_if_spread(ax)
    assert ax.get_yscale() == "linear"
    ax.plot([1, 2], [300.0, 400.0])
    _log_scale_if_spread(ax)
    assert ax.get_yscale() == "log"
    plt.close(fig)


def test_a_role_at_chance_is_a_warning_naming_it_and_old_records_still_load(tmp_path):
    from ganzoo.bench.runner import stalled_warnings

    record = make_record(disc="tpd", d_accuracy={"image": {"mean": 0.91, "se": 0.01, "lines": 12},
                                                 "video": {"mean": 0.512, "se": 0.01, "lines": 12}})
    (line,) = stalled_warnings(record)
    assert "mocogan/tpd seed 0" in line and "role 'video' did not tell real from fake" in line and "0.51 +- 0.01" in line
    assert stalled_warnings(make_record(d_accuracy={"video": {"mean": 0.8, "se": 0.01, "lines": 12}})) == []
    store = rec.ResultsStore(tmp_path)
    data = attrs.asdict(make_record())
    del data["d_accuracy"]  # a record written before the separation was measured
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(json.dumps(data) + "\n")
    assert store.records()[0].d_accuracy == {}


def test_config_hash_follows_what_trains_not_the_alternatives_it_did_not_take():
    from ganzoo.bench.runner import config_hash
    from ganzoo.config import resolve_run

    own = resolve_run("vgan", "tiny").model
    other_swap = attrs.evolve(own, video_alternatives={}, presets={}, description="changed")
    assert config_hash(own) == config_hash(other_swap)
    assert config_hash(own) != config_hash(attrs.evolve(own, batch_size=own.batch_size + 1))
    assert config_hash(own) != config_hash(resolve_run("vgan", "tiny", "tpd").model)
