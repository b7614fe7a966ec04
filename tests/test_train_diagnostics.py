"""D's real/fake separation (ganzoo.train.diagnostics): the numbers that show a D at chance."""

import json

import pytest
import torch

from ganzoo.train import diagnostics


def test_pair_accuracy_counts_correctly_ordered_pairs_and_ties_half():
    # pairs (real, fake): (2, 1) yes, (2, 2.5) no, (3, 1) yes, (3, 2.5) yes -> 3 of 4
    assert diagnostics.pair_accuracy(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 2.5])).item() == 0.75
    assert diagnostics.pair_accuracy(torch.tensor([1.0]), torch.tensor([1.0])).item() == 0.5
    assert diagnostics.pair_accuracy(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 2.0])).item() == 0.0


def test_separation_of_a_pyramid_has_one_entry_per_speed_and_their_mean():
    real = [torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0])]
    fake = [torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0])]
    out = diagnostics.separation("video", real, fake, names=[1, 3])
    assert out["d_acc/video/1"].item() == 1.0 and out["d_acc/video/3"].item() == 0.0
    assert out["d_acc/video"].item() == 0.5
    assert out["d_gap/video/1"].item() == 1.5 and out["d_gap/video/3"].item() == -1.0
    assert out["d_gap/video"].item() == pytest.approx(0.25)
    single = diagnostics.separation("image", torch.tensor([1.0]), torch.tensor([-1.0]))
    assert set(single) == {"d_acc/image", "d_gap/image"} and single["d_gap/image"].item() == 2.0


def test_window_averages_the_steps_since_the_last_read_and_resets():
    window = diagnostics.Window()
    assert window.means() == {}
    window.add({"d_acc/x": torch.tensor(1.0)})
    window.add({"d_acc/x": torch.tensor(0.5)})
    assert window.means() == {"d_acc/x": 0.75}
    window.add({"d_acc/x": torch.tensor(0.25)})
    assert window.means() == {"d_acc/x": 0.25}


def test_a_role_at_chance_over_the_last_quarter_is_named(tmp_path):
    log = tmp_path / "log.jsonl"
    lines = []
    for step in range(10, 101, 10):
        late = step > 75
        lines.append({"step": step, "d_acc/image": 0.9, "d_acc/video": 0.51 if late else 0.95,
                      "d_acc/video/3": 0.9})  # per-speed entries do not count as roles
    lines.append({"step": 100, "metric/fid-shapes": 3.0})
    log.write_text("".join(json.dumps(entry) + "\n" for entry in lines) + '{"step": 1')  # a torn last line
    accuracy = diagnostics.role_accuracy(log, total_steps=100)
    assert accuracy["image"] == {"mean": pytest.approx(0.9), "se": pytest.approx(0.0), "lines": 3}
    assert accuracy["video"]["mean"] == pytest.approx(0.51) and accuracy["video"]["lines"] == 3
    assert diagnostics.stalled_roles(accuracy) == ["video"]
    # no verdict where the evidence is too thin: one line, or a spread that reaches the band
    assert diagnostics.stalled_roles({"video": {"mean": 0.5, "se": None, "lines": 1}}) == []
    assert diagnostics.stalled_roles({"video": {"mean": 0.5, "se": 0.03, "lines": 4}}) == []
    assert diagnostics.role_accuracy(tmp_path / "missing.jsonl", 100) == {}
