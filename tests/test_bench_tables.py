"""Rendered Tab. 1-3: ours beside the paper's figures, each metric named, Tab. 2's relative
changes and grouped bars; made from fake records, no training."""

import pytest

from ganzoo.bench import plots
from ganzoo.bench.runner import BenchOptions
from ganzoo.bench.tables import format_change, relative_change, render_markdown, table, table_rows

from test_bench_records import make_record

TAB2_VALUES = {"vgan": ((310.0, 295.0, 330.0), (140.0, 160.0, 151.0)), "tgan": ((80.0, 85.0, 90.0), (70.0, 72.0, 81.0)),
               "mocogan": ((12.1, 14.0, 13.2), (9.5, 10.1, 8.7)), "g3an": ((6.1, 5.5, 7.0), (6.3, 5.9, 6.6))}


def tab2_records():
    tab = table(2)
    return tab, {c: [make_record(model=c.model, seed=s, value=v)
                     for s, v in enumerate(TAB2_VALUES[c.model][0 if c.column == "3D" else 1])] for c in tab.cells}


def test_relative_change_and_its_format():
    assert relative_change(38.13, 16.33) == pytest.approx(-0.5717, abs=1e-4)
    assert format_change(relative_change(38.13, 16.33)) == "-57%"
    assert format_change(relative_change(120.22, 120.04)) == "-0.1%"  # under 1%: one decimal
    assert format_change(0.5) == "+50%"
    assert relative_change(None, 2.0) is None and relative_change(0.0, 2.0) is None and format_change(None) == "—"


def test_tab2_shows_ours_beside_the_paper_with_the_change_per_row():
    tab, records = tab2_records()
    text = render_markdown(tab, records, BenchOptions())
    assert ("| vgan | 311.67 ± 17.56 (n=3) | 38.13 | 147.23 | 150.33 ± 10.02 (n=3) | 16.33 | 93.71 "
            "| -52% | -57% | -36% |") in text
    assert "| tgan |" in text and "| -13% | -8% | -0.1% |" in text
    for header in ("3D: fid-shapes on moving-shapes (ours, CPU)", "TPD: video FID, ResNeXt-101, BAIR-robot (paper)",
                   "TPD vs 3D (ours)", "TPD vs 3D, VoxCeleb2-mini (paper)"):
        assert f"| {header} |" in text, header
    note = text.rstrip().splitlines()[-1]
    assert note.startswith("Ours: fid-shapes on moving-shapes (tiny preset, 100 iterations, 256 samples, cpu")
    assert "ResNeXt-101 (Kinetics-400)" in note and "only the direction of a change" in note


def test_headers_name_the_benchs_metric_and_data():
    tab = table(1, models=("mocogan",))
    options = BenchOptions(metric="fvd-i3d", data="my-clips", device="cuda")
    text = render_markdown(tab, {tab.cells[0]: [make_record(metric="fvd-i3d", value=5.0)]}, options)
    assert "| model | fvd-i3d on my-clips (ours, CUDA) | video FID, ResNeXt-101, VoxCeleb2-mini (paper) |" in text
    assert "| mocogan | 5.00 ± 0.00 (n=1) | 12.69 | 13.68 |" in text
    assert "fid-shapes" not in text


def test_tab3_rows_map_speed_sets_to_the_papers_rows():
    tab = table(3)
    records = {cell: [make_record(model="inmodegan", value=2.0 + k)] for k, cell in enumerate(tab.cells)}
    text = render_markdown(tab, records, BenchOptions())
    assert "| TPD speeds 1 (paper: D_V0) | 2.00 ± 0.00 (n=1) | 2.84 | 1.58 |" in text
    assert "| TPD speeds 1,3,5 (paper: D_V0, D_V1, D_V2) | 4.00 ± 0.00 (n=1) | 2.65 | 1.31 |" in text
    assert "| TPD speeds 1,3,5,7 (paper: D_V0, D_V1, D_V2, D_V3) | 5.00 ± 0.00 (n=1) | 2.37 | 1.56 |" in text


def test_a_row_without_records_shows_dashes_and_no_change():
    tab = table(2, models=("g3an",))
    rows = table_rows(tab, {tab.cells[0]: [make_record(model="g3an", value=4.0)]})
    assert rows[0]["ours"]["TPD"] == {"values": [], "mean": None, "std": None, "summary": "—"}
    assert rows[0]["change"]["ours"] is None
    assert rows[0]["change"]["BAIR-robot"] == pytest.approx((1.50 - 1.58) / 1.58)


def test_tab2_bars_png_labels_each_pair_with_both_changes(tmp_path):
    tab, records = tab2_records()
    rows = table_rows(tab, records)
    assert plots._pair_label(rows[0]) == "vgan\nours -52%\npaper VoxCeleb2 -57%, BAIR -36%"
    path = plots.plot_tpd_bars(rows, tmp_path / "table2-tiny.png", "fid-shapes on moving-shapes (ours, CPU)", tab.title)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a baseline with only its 3D run still draws (no TPD bar, no error bar for one seed)
    one = table_rows(table(2, models=("mocogan",)), {table(2, models=("mocogan",)).cells[0]: [make_record(value=3.0)]})
    assert plots.plot_tpd_bars(one, tmp_path / "one.png", "x", "t").exists()


def test_rendering_a_table_writes_md_json_bars_and_curves(tmp_path, capsys):
    import json

    from ganzoo.commands.bench import _render_table

    tab, records = tab2_records()
    results = [(cell, r) for cell, rs in records.items() for r in rs]
    assert _render_table(tab, results, BenchOptions(), tmp_path, as_json=False) == 0
    printed = capsys.readouterr().out
    stem = tmp_path / "table2-tiny"
    for suffix in (".md", ".json", ".png", "-curves.png"):
        assert (tmp_path / f"{stem.name}{suffix}").exists(), suffix
    data = json.loads(stem.with_suffix(".json").read_text())
    vgan = data["rows"][0]
    assert vgan["ours"]["3D"]["values"] == [310.0, 295.0, 330.0] and vgan["paper"]["TPD"]["VoxCeleb2-mini"] == 16.33
    assert vgan["change"]["VoxCeleb2-mini"] == pytest.approx((16.33 - 38.13) / 38.13)
    assert data["paper"]["metric"]["samples"] == 10000 and data["ours"]["metric"] == "fid-shapes"
    assert data["note"] in printed and stem.with_suffix(".md").read_text() in printed
