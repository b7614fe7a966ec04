"""Every registered model's tiny preset goes through the whole engine: train, checkpoint,
resume, sample to an mp4 that decodes, TensorBoard GIF that decodes (moving-shapes data)."""

import io
import json

import av
import pytest
from PIL import Image

from ganzoo import cli, registry
from ganzoo.config import DataConfig, resolve_run
from ganzoo.train import train
from ganzoo.train.media import gif_delay_ms


def test_every_registered_model_trains_resumes_and_samples(clean_plugins, tmp_path, capsys):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    models = registry.get_registry("models").names()
    if "moving-shapes" not in registry.get_registry("datasets"):
        pytest.skip("the moving-shapes dataset plugin is not installed")
    assert models, "no models registered"
    for name in models:
        out = tmp_path / name
        data = DataConfig("moving-shapes", {"size": 8})
        fixed = ["schedule.sample_every=1", "schedule.log_every=1", "schedule.checkpoint_every=1"]
        first = train(resolve_run(name, "tiny", None, ["model.iterations=1", *fixed], data=data), out, progress=False)
        assert first["step"] == 1, name
        run = resolve_run(name, "tiny", None, ["model.iterations=2", *fixed], data=data)
        resumed = train(run, out, resume=True, progress=False)
        assert resumed["step"] == 2 and resumed["iterations_run"] == 1, name

        movie = tmp_path / f"{name}.mp4"
        assert cli.main(["sample", str(out), "--n", "2", "--out", str(movie)]) == 0, capsys.readouterr().err
        assert f"model {name} (preset tiny)" in capsys.readouterr().out
        with av.open(str(movie)) as container:
            frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        assert len(frames) == run.model.frames, name

        events = EventAccumulator(str(out / "tb"), size_guidance={"images": 0})
        events.Reload()
        gif = Image.open(io.BytesIO(events.Images("samples")[-1].encoded_image_string))
        durations = []
        for index in range(gif.n_frames):  # identical neighbours are stored once, with summed delays
            gif.seek(index)
            durations.append(gif.info["duration"])
        assert sum(durations) == run.model.frames * gif_delay_ms(10), name
        assert json.loads((out / "result.json").read_text())["losses"]["loss/G"] == resumed["losses"]["loss/G"]
