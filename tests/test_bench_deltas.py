"""`ganzoo bench --table 4/5`: the deactivation deltas of InMoDeGAN's directions beside the
paper's, end to end on the tiny preset (a few seconds of training), and the stand-in rule."""

import json

import numpy as np
import pytest

from ganzoo import cli
from ganzoo.bench import deltas, paper
from ganzoo.bench.records import ResultsStore
from ganzoo.interpret.masks import foreground

TINY = ["--preset", "tiny", "--budget", "4", "--samples", "8", "--points", "1", "--no-progress"]


def fake_face(videos):
    """A stand-in face parser for the test: the shape is the "head", its lower half the "mouth"."""
    head = foreground(videos)["foreground"]
    mouth = head.copy()
    mouth[..., : head.shape[-2] // 2, :] = False
    return {"head": head, "mouth": mouth}


def stats(var, mean):
    return {"var": np.array(var, dtype=float), "mean": np.array(mean, dtype=float)}


def test_stand_ins_follow_the_statistic_the_paper_chose_each_direction_by():
    # variance ranks 1, 2, 3, 0, 4; |mean| ranks 2, 1, 4, 3, 0
    ranked = stats([0.1, 0.9, 0.3, 0.2, 0.05], [0.0, 0.5, -2.0, 0.1, 0.3])
    assert deltas.stand_ins(ranked, 4) == [("d1", 2, "mean"), ("d2", 3, "top"), ("d116", 0, "top"),
                                           ("d511", 1, "variance")]
    assert [k for _, k, _ in deltas.stand_ins(ranked, 5)] == [2, 3, 0, 1]  # d0, d112, d114, d511
    # the largest |mean| is also the largest variance: d511 keeps it, d1 takes the next |mean|
    same = stats([0.9, 0.1, 0.2], [3.0, 0.5, 0.1])
    assert deltas.stand_ins(same, 4) == [("d1", 1, "mean"), ("d2", 2, "top"), ("d116", None, "top"),
                                         ("d511", 0, "variance")]


def test_tab5_without_masks_stops_before_training(tmp_path, capsys):
    assert cli.main(["bench", "--table", "5", *TINY, "--results", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--table 5 needs head and mouth masks from a face parser" in err and "--masks package.module:function" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "runs").exists()
    assert cli.main(["bench", "--table", "4", "--masks", "foreground", *TINY, "--results", str(tmp_path)]) == 2
    assert "--masks is for --table 5" in capsys.readouterr().err
    assert cli.main(["bench", "--table", "5", "--masks", "nomodule_xyz:f", *TINY, "--results", str(tmp_path)]) == 2
    assert "cannot import 'nomodule_xyz'" in capsys.readouterr().err
    assert not (tmp_path / "runs").exists()


@pytest.fixture(scope="module")
def tab4(tmp_path_factory):
    results = tmp_path_factory.mktemp("deltas")
    assert cli.main(["bench", "--table", "4", *TINY, "--results", str(results)]) == 0
    return results


def test_tab4_end_to_end_writes_md_and_json_beside_the_paper(tab4, capsys):
    text = (tab4 / "table4-tiny.md").read_text()
    data = json.loads((tab4 / "table4-tiny.json").read_text())
    assert [r["paper_row"] for r in data["rows"]] == ["d1", "d2", "d116", "d511"]
    chosen = [r["stand_ins"][0]["ours"] for r in data["rows"]]
    assert len(set(chosen)) == 4 and all(0 <= k < 8 for k in chosen)  # tiny: 8 directions
    study = data["studies"][0]
    assert study["n_directions"] == 8 and study["study"]["n"] == 8
    variances = {s["ours"]: s["variance"] for s in study["stand_ins"]}
    assert variances[chosen[3]] == max(variances.values())  # d511's stand-in: the largest variance of the four
    for row in data["rows"]:
        k = row["stand_ins"][0]["ours"]
        phi = study["study"]["delta"][f"d{k} off"]["frame"]["phi"]
        assert [row["ours"][c]["values"][0] for c in paper.DELTA_PHI] == pytest.approx(phi)
        assert f"| {row['paper_row']} | d{k} (seed 0); " in text
        assert row["ours"]["delta phi_1"]["summary"] in text  # the md shows what the json holds
    assert data["rows"][3]["paper"]["delta phi_1"] == -0.087
    assert "| delta phi_1 on moving-shapes (ours, CPU) | delta phi_1, BAIR-robot (paper) |" in text
    assert "Paper: delta phi_i of Eq. 6" in text and "BAIR-robot" in text.splitlines()[-1]
    page = (tab4 / "table4-tiny.html").read_text()  # the results page: the table and the model's samples
    assert "<td>-0.087</td>" in page and page.count("src='data:image/gif;base64,") == 1


def test_tab5_reuses_the_trained_cell_and_computes_mouth_minus_head(tab4):
    masks = f"{__name__}:fake_face"
    assert cli.main(["bench", "--table", "5", "--masks", masks, *TINY, "--results", str(tab4)]) == 0
    assert len(ResultsStore(tab4).records()) == 1  # Tab. 1's InMoDeGAN record, trained once for both tables
    data = json.loads((tab4 / "table5-tiny.json").read_text())
    text = (tab4 / "table5-tiny.md").read_text()
    assert [r["paper_row"] for r in data["rows"]] == ["d0", "d112", "d114", "d511"]
    for row in data["rows"]:
        head, mouth = (row["ours"][c]["values"][0] for c in (paper.HEAD, paper.MOUTH))
        assert row["ours"][paper.DIFFERENCE]["values"][0] == pytest.approx(mouth - head)
    d112 = next(r for r in data["rows"] if r["paper_row"] == "d112")
    assert d112["paper"][paper.DIFFERENCE] == -0.005
    assert d112["paper_computed"][paper.DIFFERENCE] == pytest.approx(-0.004)
    assert "-0.005 (its columns give -0.004)" in text
    assert data["ours"]["masks"] == masks


def test_tab5_masks_without_head_and_mouth_are_named(tab4, capsys):
    assert cli.main(["bench", "--table", "5", "--masks", "foreground", *TINY, "--results", str(tab4)]) == 2
    assert "mask provider 'foreground' returned regions ['foreground']; Tab. 5 needs 'head' and 'mouth'" in \
        capsys.readouterr().err
