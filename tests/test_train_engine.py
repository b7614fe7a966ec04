"""The training loop in-process on the tiny model: phases, checkpoints, resume, errors, TensorBoard."""

import io
import json
import os
import warnings

import numpy as np
import pytest
import torch
from PIL import Image

from ganzoo.config import DataConfig, resolve_run
from ganzoo.errors import GanzooError
from test_train_tiny import tiny  # noqa: F401  (fixture)

FAST = ["schedule.log_every=1", "schedule.sample_every=0", "schedule.checkpoint_every=2"]


def config(model="tiny-gan", overrides=(), disc=None, **options):
    return resolve_run(model, "paper", disc, [*FAST, *overrides], data=DataConfig("tiny-clips"), **options)


def train(run, out, **kwargs):
    from ganzoo.train import train as _train

    return _train(run, out, progress=False, **kwargs)


def log_by_step(out):
    return {row["step"]: row for row in map(json.loads, (out / "log.jsonl").read_text().splitlines())}


def weights(path):
    return torch.load(path, weights_only=True)


def assert_same_state(a, b):
    for key in ("generator", "generator_ema"):
        for name, tensor in a[key].items():
            assert torch.equal(tensor, b[key][name]), f"{key}.{name} differs"
    for role in a["discriminators"]:
        for name, tensor in a["discriminators"][role].items():
            assert torch.equal(tensor, b["discriminators"][role][name]), f"{role}.{name} differs"


def test_tiny_run_trains_checkpoints_and_cards(tiny, tmp_path):
    out = tmp_path / "run"
    result = train(config(overrides=["schedule.keep_checkpoints=2"]), out)
    assert result["step"] == 6 and result["checkpoint"].endswith("ckpt-00000006.pt")
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["ckpt-00000004.pt", "ckpt-00000006.pt"]
    assert (out / "config.toml").read_text().count("tiny-gan") >= 1
    assert json.loads((out / "result.json").read_text())["step"] == 6
    state = weights(out / "checkpoints" / "ckpt-00000006.pt")  # plain data only
    card = state["card"]
    assert set(card) == {"model", "discriminators", "preset", "config", "data_fingerprint", "ganzoo_version", "step"}
    assert card["model"] == "tiny-gan" and card["discriminators"] == {"image": "tiny-frame-d", "video": "tiny-video-d"}
    assert card["step"] == 6 and card["data_fingerprint"] == "tiny-clips-4-8-16-0"
    assert card["config"]["model"]["ema"] == 0.9 and set(state["optimizers"]) == {"generator", "image", "video"}
    assert state["data"]["position"] == 6 and len(state["rng"]) == 1
    # the generator moved, and G_ema is a lagging average of it, not a copy
    assert not all(torch.equal(state["generator"][k], state["generator_ema"][k]) for k in state["generator"])

    from ganzoo.checkpoints import load_generator

    G, card2 = load_generator(out, ema=True)
    assert card2 == card and not G.training
    for name, tensor in G.state_dict().items():
        assert torch.equal(tensor, state["generator_ema"][name])
    assert G.sample(2).shape == (2, 3, 4, 8, 8)


def test_d_loss_is_the_weighted_sum_over_roles_and_lazy_r1_runs_every_k(tiny, tmp_path):
    out = tmp_path / "run"
    train(config(), out)
    rows = log_by_step(out)
    for step, row in rows.items():  # Eq. 5: L_D = L_image + 0.5 L_video
        assert row["loss/D"] == pytest.approx(row["loss/D/image"] + 0.5 * row["loss/D/video"], rel=1e-5)
        assert row["loss/G"] == pytest.approx(row["loss/G/image"] + 0.5 * row["loss/G/video"], rel=1e-5)
    # R1 with interval 2 runs at steps 0, 2, 4 (logged after them as steps 1, 3, 5) and is scaled by 2
    r1_steps = [s for s, row in rows.items() if "reg/r1/image" in row]
    assert r1_steps[0] == 1
    assert rows[1]["loss/D_reg"] == pytest.approx(2 * (rows[1]["reg/r1/image"] + rows[1]["reg/r1/video"]), rel=1e-5)
    assert rows[1]["lr/image"] == pytest.approx(0.002 * 2 / 3)  # lazy c = k/(k+1)
    assert rows[1]["lr/generator"] == pytest.approx(0.002)


def test_frame_role_gets_k_random_frames_per_video(tiny, tmp_path):
    from ganzoo.train.loop import Trainer
    from ganzoo.train.distributed import World

    trainer = Trainer(config(), tmp_path, World())
    videos = torch.arange(2 * 3 * 4 * 8 * 8, dtype=torch.float).view(2, 3, 4, 8, 8)
    frames = trainer.inputs_for("image", videos, torch.Generator().manual_seed(0))
    assert frames.shape == (4, 3, 8, 8)  # frames_per_video=2 from the role's kwargs
    for i, frame in enumerate(frames):
        video = videos[i // 2]
        assert any(torch.equal(frame, video[:, t]) for t in range(4))
    assert not torch.equal(frames[0], frames[1])  # two distinct frames of one video
    assert trainer.inputs_for("video", videos, torch.Generator()) is videos


def test_resume_is_bit_identical_to_an_uninterrupted_run(tiny, tmp_path):
    straight, split = tmp_path / "straight", tmp_path / "split"
    train(config(), straight)
    train(config(overrides=["model.iterations=3"]), split)  # stops at step 3 (final checkpoint 3)
    assert train(config(overrides=["model.iterations=4"]), split, resume=True)["iterations_run"] == 1
    (split / "checkpoints/ckpt-00000004.pt").unlink()  # as if killed before it was written
    result = train(config(), split, resume=True)  # resumes from ckpt 3, redoes step 4
    assert result["step"] == 6 and result["iterations_run"] == 3
    assert_same_state(weights(straight / "checkpoints/ckpt-00000006.pt"), weights(split / "checkpoints/ckpt-00000006.pt"))
    a = log_by_step(straight)
    rows = [json.loads(line) for line in (split / "log.jsonl").read_text().splitlines()]
    # step 4 ran twice; resuming from step 3 cut its first line (issue 18.6): no step twice
    assert [row["step"] for row in rows] == [1, 2, 3, 4, 5, 6]
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    board = EventAccumulator(str(split / "tb"))
    board.Reload()  # TensorBoard too: the first run's step-4 events were purged on resume
    assert [event.step for event in board.Scalars("loss/G")] == [1, 2, 3, 4, 5, 6]
    for row in rows:  # every loss of every step, the redone one included, is bit-identical
        assert {k: v for k, v in row.items() if not k.startswith("speed")} == \
            {k: v for k, v in a[row["step"]].items() if not k.startswith("speed")}


def test_tpd_like_list_of_logits_and_wgan_with_svc_and_path_length(tiny, tmp_path):
    result = train(config(disc="tiny-video-d"), tmp_path / "tpd")  # video_alternatives: two speeds
    assert result["step"] == 6 and np.isfinite(result["losses"]["loss/D/video"])
    result = train(config("tiny-wgan"), tmp_path / "wgan")
    assert "reg/path-length" in result["losses"]
    state = weights(tmp_path / "wgan/checkpoints/ckpt-00000004.pt")
    conv = state["discriminators"]["video"]["conv.0.weight"]
    assert torch.linalg.svdvals(conv.reshape(conv.shape[0], -1)).max() <= 1.0 + 1e-5
    assert state["regularizers"]["1"]["mean"] > 0  # path length's running mean is checkpointed


def test_non_finite_loss_stops_naming_step_and_net_and_keeps_the_checkpoint(tiny, tmp_path, monkeypatch):
    from ganzoo.train import losses

    original = losses.NonSaturating.g_loss
    calls = {"n": 0}

    def poisoned(self, fake):
        calls["n"] += 1
        value = original(self, fake)
        return value * float("nan") if calls["n"] > 2 * 3 else value  # two roles per G step: step 3

    monkeypatch.setattr(losses.NonSaturating, "g_loss", poisoned)
    out = tmp_path / "run"
    # the 4th iteration (0-based step 3) is "step 4", as the log and the checkpoints number steps
    with pytest.raises(GanzooError, match=r"non-finite at step 4, phase G_main \(networks generator\): loss/G = nan, "
                                          r"loss/G/image = nan.*the last checkpoint before it \(.*ckpt-00000002.pt\) is kept"):
        train(config(), out)
    assert [p.name for p in (out / "checkpoints").iterdir()] == ["ckpt-00000002.pt"]
    calls["n"] = 0
    result = train(config(), tmp_path / "skip", skip_nonfinite=True)
    assert result["step"] == 6 and result["skipped_nonfinite"] == 3


def test_out_dir_of_another_run_is_refused_unless_resume_or_overwrite(tiny, tmp_path):
    out = tmp_path / "run"
    train(config(overrides=["model.iterations=2"]), out)
    with pytest.raises(GanzooError, match=r"already holds a run .* pass --resume .* or --overwrite"):
        train(config(), out)
    assert train(config(overrides=["model.iterations=2"]), out, overwrite=True)["iterations_run"] == 2


def test_resume_of_another_model_or_shape_names_what_differs(tiny, tmp_path):
    out = tmp_path / "run"
    train(config(overrides=["model.iterations=2"]), out)
    (out / "config.toml").unlink()  # only the checkpoint's card can tell
    with pytest.raises(GanzooError, match=r"another model or shape \(name: 'tiny-gan' there, 'tiny-wgan' now"):
        train(config("tiny-wgan"), out, resume=True)
    with pytest.raises(GanzooError, match=r"resolution: 8 there, 16 now"):
        train(config(overrides=["model.resolution=16"]), out, resume=True)


def test_corrupt_newest_checkpoint_falls_back_to_the_previous(tiny, tmp_path):
    out = tmp_path / "run"
    train(config(overrides=["model.iterations=4"]), out)
    newest = out / "checkpoints/ckpt-00000004.pt"
    newest.write_bytes(newest.read_bytes()[: newest.stat().st_size // 2])  # truncated
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = train(config(), out, resume=True)
    message = " ".join(str(w.message) for w in caught)
    assert "ckpt-00000004.pt is truncated or corrupt" in message and "falling back to ckpt-00000002.pt (step 2)" in message
    assert result["iterations_run"] == 4


def test_checkpoint_with_pickled_code_is_refused(tiny, tmp_path):
    from ganzoo.checkpoints import UnsafeCheckpointError, load_generator

    evil = tmp_path / "evil.pt"
    torch.save({"card": {}, "generator": {}, "payload": os.system}, evil)
    with pytest.raises(UnsafeCheckpointError, match=r"refusing checkpoint .*evil.pt: loading it would run code \(posix.system\)") as caught:
        load_generator(evil)
    assert "weights_only" not in str(caught.value) and "will likely succeed" not in str(caught.value)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message on a machine without CUDA")
def test_cuda_asked_for_but_absent(tiny, tmp_path):
    with pytest.raises(GanzooError, match="--device cuda was asked for but CUDA is not available"):
        train(config(device="cuda"), tmp_path / "run")


def test_tensorboard_scalars_and_a_gif_that_decodes(tiny, tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    out = tmp_path / "run"
    train(config(overrides=["schedule.sample_every=3"]), out)
    events = EventAccumulator(str(out / "tb"), size_guidance={"images": 0, "scalars": 0})
    events.Reload()
    tags = events.Tags()
    assert {"loss/D", "loss/G", "loss/D/image", "loss/D/video", "reg/r1/image", "grad_norm/generator",
            "lr/generator", "speed/it_per_s"} <= set(tags["scalars"])
    assert [e.step for e in events.Scalars("loss/G")] == [1, 2, 3, 4, 5, 6]
    images = events.Images("samples")
    assert [i.step for i in images] == [3, 6]
    gif = Image.open(io.BytesIO(images[-1].encoded_image_string))
    assert gif.format == "GIF" and gif.n_frames == 4  # the 4 frames of the model's videos
    assert gif.size == (images[-1].width, images[-1].height) == (3 * 9 + 1, 3 * 9 + 1)  # 8 videos in a 3x3 grid
    gif.seek(1)
    assert np.asarray(gif.convert("RGB")).std() > 0


def test_bf16_autocast_trains_with_float32_weights(tiny, tmp_path):
    result = train(config(overrides=["model.iterations=2"], amp="bf16"), tmp_path / "run")
    assert result["step"] == 2 and np.isfinite(result["losses"]["loss/G"])
    state = weights(tmp_path / "run/checkpoints/ckpt-00000002.pt")
    assert all(t.dtype == torch.float32 for t in state["generator"].values() if t.is_floating_point())
    with pytest.raises(GanzooError, match="amp: got 'fp8'; allowed: bf16, fp32 or none"):  # at the schema (issue 18.1)
        train(config(amp="fp8"), tmp_path / "other")
