"""One training loop for every model: phases from the spec, state that resumes bit-for-bit.

:func:`train` is the entry point (``ganzoo train`` and the benchmarks call it). The
:class:`Trainer` owns the networks, optimizers and counters; each phase task is one method,
and the periodic work (log, sample, metric, checkpoint) is one method each.
"""

import contextlib
import json
import math
import shutil
import time
import warnings
from pathlib import Path

import torch

from ganzoo import checkpoints, stopping
from ganzoo.build import build_discriminators, build_generator, build_loss, build_optimizers, build_regularizers
from ganzoo.config import load_file, save_run, to_data
from ganzoo.data.atomic import atomic_write_text
from ganzoo.contracts import FRAME, to_float, to_uint8
from ganzoo.errors import GanzooError
from ganzoo.train import diagnostics, distributed, feed, rng
from ganzoo.train.ema import make_ema, update_ema
from ganzoo.train.phases import constraints_for, make_phases
from ganzoo.progress import progress

SAMPLE_COUNT = 8  # videos in each TensorBoard sample grid
# latent / frame-pick streams of rng.step_generator
STREAM_G, STREAM_G_REG, STREAM_D, STREAM_PICK = 1, 2, 10, 100


class NonFiniteError(GanzooError):
    """A loss or gradient became NaN or infinite."""


def train(run_config, out_dir, resume=False, progress=True, overwrite=False, skip_nonfinite=False, scorer=None):
    """Train ``run_config`` into ``out_dir``; returns ``{"step", "wall_time", "checkpoint", "losses"}``.

    ``scorer(generator) -> MetricResult`` is the periodic score (``schedule.metric`` every
    ``schedule.metric_every`` steps): the engine does not score by itself, the command that
    starts it hands one over (``ganzoo.metrics.run_scorer(run_config)``).

    ``resume`` continues from the newest valid checkpoint in ``out_dir`` (starting fresh if there
    is none); ``overwrite`` clears a previous run's outputs; ``skip_nonfinite`` skips and counts
    steps whose loss or gradient is not finite instead of stopping.

    A SIGINT or SIGTERM (in the main thread) ends the run after the current step: a checkpoint
    of that step is written and :class:`ganzoo.stopping.Interrupted` raised; ``resume`` then
    continues bit-for-bit. Resuming cuts ``log.jsonl`` and TensorBoard back to the resumed step.
    """
    if run_config.model.iterations == 0:
        raise GanzooError("model.iterations is 0: nothing to train (set model.iterations to 1 or more)")
    world = distributed.setup(run_config.device)
    try:
        trainer = Trainer(run_config, out_dir, world, progress=progress, skip_nonfinite=skip_nonfinite, scorer=scorer)
        trainer.prepare_out_dir(resume, overwrite)
        if resume:
            trainer.resume()
        return trainer.run()
    finally:
        distributed.teardown(world)


class Trainer:
    def __init__(self, run, out_dir, world, progress=True, skip_nonfinite=False, scorer=None):
        if run.schedule.metric and run.schedule.metric_every and scorer is None:
            raise GanzooError(f"schedule.metric is {run.schedule.metric!r} but no scorer was handed to train(); "
                              f"pass scorer=ganzoo.metrics.run_scorer(run) (ganzoo train does)")
        self.cfg, self.spec, self.world, self.scorer = run, run.model, world, scorer
        self.out_dir = Path(out_dir)
        self.progress, self.skip_nonfinite = progress, skip_nonfinite
        self.device = world.device
        self.amp = _amp(run.amp, self.device)
        torch.manual_seed(run.seed)  # identical initial weights on every rank
        self.G = build_generator(self.spec).to(self.device).train()
        self.Ds = {role: d.to(self.device).train() for role, d in build_discriminators(self.spec).items()}
        self.G_ema = make_ema(self.G) if self.spec.ema is not None else None
        self.loss = build_loss(self.spec)
        self.regs = build_regularizers(self.spec)
        self.opts = build_optimizers(self.spec, self.G, self.Ds, self.regs)
        self.phases = make_phases(self.spec, self.regs)
        self.nets = {"generator": self.G, **self.Ds}
        distributed.broadcast_modules(world, self.modules())
        _seed_globals(run.seed, world.rank)
        self.dataset = feed.open_source(run.data, self.spec.frames, self.spec.resolution)
        self.fingerprint = feed.fingerprint(self.dataset, run.data.source)
        self.step, self.position, self.skipped = 0, 0, 0
        self.last = {}
        self.separation = diagnostics.Window()  # D's real/fake ordering per role, between log lines
        self.board = None
        self.checkpoint_path = None
        self.saved_step = None  # the step the newest checkpoint holds
        self.stop_checkpoint = None  # the checkpoint written when a signal stopped the run
        self.resumed = False

    # ------------------------------------------------------------ run folder and resume

    def prepare_out_dir(self, resume, overwrite):
        """Refuse a folder that holds another run unless resuming or overwriting."""
        holds_run = (self.out_dir / "config.toml").exists() or bool(checkpoints.list_checkpoints(self.out_dir))
        if holds_run and not (resume or overwrite):
            raise GanzooError(f"--out {self.out_dir} already holds a run (config.toml / checkpoints); "
                              f"pass --resume to continue it or --overwrite to replace it")
        if overwrite and not resume and self.world.main:
            for name in ("checkpoints", "tb"):
                shutil.rmtree(self.out_dir / name, ignore_errors=True)
            for name in ("config.toml", "log.jsonl", "result.json"):
                (self.out_dir / name).unlink(missing_ok=True)
        if resume and (self.out_dir / "config.toml").exists():
            check_same_model(load_file(self.out_dir / "config.toml"), to_data(self.cfg), self.out_dir / "config.toml")
        self._barrier()
        if self.world.main:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            save_run(self.cfg, self.out_dir / "config.toml")

    def resume(self):
        """Load the newest valid checkpoint (falling back past corrupt ones), if any."""
        if self.world.main:
            checkpoints.remove_stale_temp_files(self.out_dir)
        self.resumed = True
        path, state = checkpoints.load_latest(self.out_dir, map_location="cpu")
        if path is not None:
            check_same_model(state["card"]["config"], to_data(self.cfg), path)
            self.load_state(state, path)
            self.checkpoint_path, self.saved_step = path, self.step
            self.stop_checkpoint = path if state.get("stopped") else None
        if self.world.main:  # the steps after the checkpoint run again: their old lines go
            truncate_log(self.out_dir / "log.jsonl", self.step)
        return path

    def load_state(self, state, path):
        for name, net in self.nets.items():
            weights = state["generator"] if name == "generator" else state["discriminators"].get(name)
            if weights is None:
                raise checkpoints.CheckpointError(f"{path} has no weights for discriminator role {name!r}")
            _load_weights(net, weights, f"{path}: {name}")
        if self.G_ema is not None:
            _load_weights(self.G_ema, state["generator_ema"], f"{path}: generator_ema")
        for name, opt in self.opts.items():
            opt.load_state_dict(state["optimizers"][name])
        for index, reg in enumerate(self.regs):
            if hasattr(reg.reg, "load_state_dict") and str(index) in state["regularizers"]:
                reg.reg.load_state_dict(state["regularizers"][str(index)])
        self.step, self.position = int(state["step"]), int(state["data"]["position"])
        self.skipped = int(state["data"].get("skipped", 0))
        self.last = dict(state.get("last", {}))
        rngs = state["rng"]
        if self.world.rank < len(rngs):
            rng.restore(rngs[self.world.rank])
        else:
            warnings.warn(f"{path} holds RNG states of {len(rngs)} ranks; rank {self.world.rank} is reseeded, "
                          f"so this continuation is not bit-identical", stacklevel=2)
            _seed_globals(self.cfg.seed + self.step, self.world.rank)

    def weights(self):
        """Every network's state dict by name (what a checkpoint holds of the models)."""
        nets = {"generator": self.G.state_dict(), "discriminators": {r: d.state_dict() for r, d in self.Ds.items()}}
        nets["generator_ema"] = self.G_ema.state_dict() if self.G_ema is not None else None
        return nets

    def state(self):
        """Everything a bit-identical resume needs, as state dicts and plain data."""
        rngs = distributed.gather_objects(self.world, rng.capture())
        return {
            "format": checkpoints.FORMAT,
            "card": checkpoints.make_card(to_data(self.cfg), self.fingerprint, self.step),
            "step": self.step,
            **self.weights(),
            "optimizers": {name: opt.state_dict() for name, opt in self.opts.items()},
            "regularizers": {str(i): r.reg.state_dict() for i, r in enumerate(self.regs) if hasattr(r.reg, "state_dict")},
            "rng": rngs,
            "data": {"position": self.position, "skipped": self.skipped, "world_size": self.world.size},
            "last": dict(self.last),  # newest value of each logged number, so a resumed log reads the same
        }

    # ------------------------------------------------------------ the loop

    def run(self):
        total = self.spec.iterations
        sched = self.cfg.schedule
        self.batches = feed.batches(self.dataset, self.spec.batch_size, self.cfg.seed, self.world.rank,
                                    self.world.size, self.position, self.cfg.data.workers, self.device)
        if self.world.main:  # TensorBoard forgets its events after the resumed step, as the log does
            self.board = _board(self.out_dir / "tb", purge_step=self.step + 1 if self.resumed else None)
        bar = progress(total=total, initial=self.step, enabled=self.progress and self.world.main,
                       unit="it", desc=self.spec.name)
        started, start_step, tick, tick_step = time.perf_counter(), self.step, time.perf_counter(), self.step
        stop = stopping.StopRequest().__enter__()
        try:
            while self.step < total:
                self.iteration()
                self.step += 1
                bar.update(1)
                done = self.step == total
                if sched.log_every and (self.step % sched.log_every == 0 or done):
                    now = time.perf_counter()
                    self.log(speed=(self.step - tick_step) / max(now - tick, 1e-9))
                    tick, tick_step = now, self.step
                    bar.set_postfix({k: f"{v:.3g}" for k, v in self.last.items() if k.startswith("loss/")
                                     and k.count("/") == 1})
                if sched.sample_every and (self.step % sched.sample_every == 0 or done):
                    self.sample_to_board()
                if sched.metric and sched.metric_every and (self.step % sched.metric_every == 0 or done):
                    self.score()
                if self.scheduled_checkpoint(self.step):
                    self.save(sched.keep_checkpoints)
                signum = distributed.agree(self.world, stop.signum)
                if signum and not done:
                    if self.saved_step != self.step:
                        self.save(sched.keep_checkpoints, stopped=signum)
                    break
        finally:
            bar.close()
            if self.board is not None:
                self.board.close()  # flushes TensorBoard's events
            stop.__exit__(None, None, None)
        if self.step < total:
            raise stopping.Interrupted(
                f"stopped on {stopping.NAMES.get(signum, signum)} after step {self.step} of {total}; "
                f"checkpoint {checkpoints.path_for(self.out_dir, self.step)} holds it", signum)  # rank 0 wrote it
        distributed.check_in_sync(self.world, self.modules(), self.step)
        if self.skipped and self.world.main:
            warnings.warn(f"{self.skipped} phase steps had a non-finite loss or gradient and were skipped "
                          f"(--skip-nonfinite); see skipped_nonfinite in result.json", stacklevel=2)
        result = {"step": self.step, "rank": self.world.rank, "weights_sha256": weights_digest(self.weights()), "wall_time": time.perf_counter() - started, "iterations_run": self.step - start_step,
                  "checkpoint": str(self.checkpoint_path) if self.checkpoint_path else None,
                  "losses": dict(self.last), "skipped_nonfinite": self.skipped, "world_size": self.world.size}
        if self.world.main:
            atomic_write_text(self.out_dir / "result.json", json.dumps(result, indent=2, sort_keys=True) + "\n")
        return result

    def scheduled_checkpoint(self, step):
        every = self.cfg.schedule.checkpoint_every
        return step == self.spec.iterations or bool(every and step % every == 0)

    def iteration(self):
        """One iteration: every due phase in order."""
        for index, phase in enumerate(self.phases):
            if phase.due(self.step):
                getattr(self, phase.task)(phase, index)
        distributed.broadcast_buffers(self.world, self.modules())

    def modules(self):
        return [self.G, *self.Ds.values()] + ([self.G_ema] if self.G_ema is not None else [])

    # ------------------------------------------------------------ phase tasks

    def d_main(self, phase, index):
        """Eq. 5 of InMoDeGAN: L_D = sum over roles of weight * loss(role), one step for all Ds;
        each role's real/fake separation goes to the log (:mod:`ganzoo.train.diagnostics`)."""
        gen = rng.step_generator(self.cfg.seed, self.world.rank, self.step, STREAM_D + index)
        self.reals = to_float(next(self.batches).to(self.device, non_blocking=True))
        self.position += 1
        self._train_only(phase.nets)
        with self.amp(), torch.no_grad():
            fakes = self.G(self.G.make_latent(self.reals.shape[0], generator=gen))
        total, parts, separations = 0.0, {}, {}
        for role in phase.nets:
            role_spec = self.spec.discriminators[role]
            with self.amp():
                real_logits = self.Ds[role](self.inputs_for(role, self.reals, gen))
                fake_logits = self.Ds[role](self.inputs_for(role, fakes, gen))
            loss = _sum_over(real_logits, fake_logits, self.loss.d_loss)
            parts[f"loss/D/{role}"] = loss.detach()
            total = total + role_spec.weight * loss
            separations.update(diagnostics.separation(role, real_logits, fake_logits,
                                                      getattr(self.Ds[role], "speeds", None)))
        self.separation.add(separations)
        self.optimize(phase, total, "loss/D", parts)

    def d_reg(self, phase, index):
        """Lazy penalties on real data (R1), scaled by the interval (StyleGAN2 Sec. 3.1), not by the role weight."""
        gen = rng.step_generator(self.cfg.seed, self.world.rank, self.step, STREAM_PICK + index)
        self._train_only(phase.nets)
        total, parts = 0.0, {}
        for role in phase.nets:
            inputs = self.inputs_for(role, self.reals, gen).detach().requires_grad_(True)
            with self.amp():
                logits = self.Ds[role](inputs)
            for reg in phase.regs:
                if role in reg.nets:
                    value = reg.reg.penalty(self.Ds[role], inputs, logits)
                    parts[f"reg/{reg.name}/{role}"] = value.detach()
                    total = total + value * phase.interval
        self.optimize(phase, total, "loss/D_reg", parts)

    def g_main(self, phase, index):
        """L_G = sum over roles of weight * g_loss(role) on fresh fakes."""
        gen = rng.step_generator(self.cfg.seed, self.world.rank, self.step, STREAM_G)
        self._train_only(("generator",))
        with self.amp():
            fakes = self.G(self.G.make_latent(self.spec.batch_size, generator=gen))
        total, parts = 0.0, {}
        for role, d in self.Ds.items():
            with self.amp():
                logits = d(self.inputs_for(role, fakes, gen))
            loss = _sum_over(logits, None, lambda f, _: self.loss.g_loss(f))
            parts[f"loss/G/{role}"] = loss.detach()
            total = total + self.spec.discriminators[role].weight * loss
        self.optimize(phase, total, "loss/G", parts)
        if self.G_ema is not None:
            update_ema(self.G_ema, self.G, self.spec.ema)

    def g_reg(self, phase, index):
        """Lazy generator penalties (path length), scaled by the interval."""
        gen = rng.step_generator(self.cfg.seed, self.world.rank, self.step, STREAM_G_REG)
        self._train_only(("generator",))
        latent = self.G.make_latent(self.spec.batch_size, generator=gen)
        latent = {k: (v.requires_grad_(True) if torch.is_floating_point(v) else v) for k, v in latent.items()}
        with self.amp():
            video = self.G(latent)
        total, parts = 0.0, {}
        for reg in phase.regs:
            value = reg.reg.penalty(self.G, latent, video)
            parts[f"reg/{reg.name}"] = value.detach()
            total = total + value * phase.interval
        self.optimize(phase, total, "loss/G_reg", parts)

    # ------------------------------------------------------------ shared steps

    def inputs_for(self, role, videos, gen):
        """What a role consumes: the videos ``(B, 3, T, H, W)``, or for a frame discriminator
        ``frames_per_video`` (default 1) distinct frames picked uniformly at random per video,
        ``(B * k, 3, H, W)``. Reals and fakes get independent picks, as MoCoGAN's image
        discriminator samples frames from each."""
        d = self.Ds[role]
        if getattr(d, "consumes", "video") != FRAME:
            return videos
        b, c, t, h, w = videos.shape
        k = int(getattr(d, "frames_per_video", 1))
        if not 1 <= k <= t:
            raise GanzooError(f"discriminator role {role!r}: frames_per_video={k} but videos have {t} frames")
        picks = torch.rand(b, t, generator=gen).argsort(dim=1)[:, :k].to(videos.device)
        frames = videos.transpose(1, 2)[torch.arange(b, device=videos.device)[:, None], picks]
        return frames.reshape(b * k, c, h, w)

    def optimize(self, phase, loss, name, parts):
        """Backward, average over ranks, check finiteness, step, then the phase's constraints."""
        for net in phase.nets:
            self.opts[net].zero_grad(set_to_none=True)
        loss.backward()
        params = [p for net in phase.nets for p in self.nets[net].parameters()]
        loss = distributed.average(self.world, params, loss)
        norms = {net: _grad_norm(self.nets[net]) for net in phase.nets}
        if not torch.isfinite(loss) or not all(math.isfinite(n) for n in norms.values()):
            return self.non_finite(phase, {name: loss.item(), **{k: v.item() for k, v in parts.items()}}, norms)
        for net in phase.nets:
            self.opts[net].step()
        for reg in constraints_for(self.regs, phase.nets):
            if phase.task.endswith("main") and self.step % reg.interval == 0:
                for net in set(reg.nets) & set(phase.nets):
                    reg.reg.apply(self.nets[net])
        self.last[name] = loss.item()
        self.last.update({k: v.item() for k, v in parts.items()})
        self.last.update({f"grad_norm/{net}": n for net, n in norms.items()})

    def non_finite(self, phase, losses, norms):
        """A NaN/inf loss or gradient: nothing is updated. Skipped and counted with
        ``--skip-nonfinite``; otherwise the run stops naming the step (numbered as the log and
        checkpoints number them), the losses, the networks, and the checkpoint that is kept."""
        for net in phase.nets:
            self.opts[net].zero_grad(set_to_none=True)
        if self.skip_nonfinite:
            self.skipped += 1
            return None
        shown = ", ".join(f"{k} = {v:.4g}" for k, v in losses.items())
        grads = ", ".join(f"{net} {n:.4g}" for net, n in norms.items())
        kept = (f"the last checkpoint before it ({self.checkpoint_path}) is kept" if self.checkpoint_path
                else "no checkpoint had been written yet")
        raise NonFiniteError(f"training went non-finite at step {self.step + 1}, phase {phase.name} "
                             f"(networks {', '.join(phase.nets)}): {shown}; gradient norms: {grads}; nothing was "
                             f"updated and {kept}; lower the learning rate, or pass --skip-nonfinite to skip such steps")

    def _train_only(self, nets):
        for name, net in self.nets.items():
            net.requires_grad_(name in nets)

    # ------------------------------------------------------------ periodic work

    def log(self, speed):
        values = dict(self.last)
        values.update(self.separation.means())
        values["speed/it_per_s"] = speed
        for name, opt in self.opts.items():
            values[f"lr/{name}"] = opt.param_groups[0]["lr"]
        if self.skipped:
            values["nonfinite/skipped"] = self.skipped
        if not self.world.main:
            return
        self.board.scalars(values, self.step)
        with open(self.out_dir / "log.jsonl", "a") as handle:
            handle.write(json.dumps({"step": self.step, **values}, sort_keys=True) + "\n")

    def sample_generator(self):
        return self.G_ema if self.G_ema is not None else self.G

    @torch.no_grad()
    def sample_to_board(self):
        """A fixed-latent grid of G_ema videos as an animated GIF (the global RNGs are untouched)."""
        if not self.world.main:
            return
        G = self.sample_generator()
        with torch.random.fork_rng(devices=[]), _eval(G):
            latent = G.make_latent(SAMPLE_COUNT, generator=torch.Generator().manual_seed(self.cfg.seed))
            with self.amp():
                video = G(latent)
        self.board.video("samples", to_uint8(video.float()).cpu(), self.step)
        self.board.flush()

    def score(self):
        """The scorer on G_ema (rank 0; RNGs untouched)."""
        if not self.world.main:
            return
        with torch.random.fork_rng(devices=[]), _eval(self.sample_generator()):
            result = self.scorer(self.sample_generator())
        values = {f"metric/{k}": v for k, v in result.values.items()}
        self.board.scalars(values, self.step)
        with open(self.out_dir / "log.jsonl", "a") as handle:
            handle.write(json.dumps({"step": self.step, **values, "protocol": result.protocol}, sort_keys=True,
                                    default=str) + "\n")

    def save(self, keep, stopped=0):
        """A checkpoint of this step. One written because signal ``stopped`` ended the run is off
        the schedule: it is marked, does not count against ``keep``, and is removed once a newer
        checkpoint is written, so a resumed run ends with the checkpoints (and ``ganzoo bench``
        with the curve) of a run never stopped. The new file is written before the old goes."""
        state = self.state()  # every rank takes part in gathering RNG states
        if stopped:
            state["stopped"] = int(stopped)
        if self.world.main:
            self.checkpoint_path = checkpoints.save_checkpoint(state, self.out_dir, self.step, keep=0)
            if self.stop_checkpoint is not None and self.stop_checkpoint != self.checkpoint_path:
                self.stop_checkpoint.unlink(missing_ok=True)
            self.stop_checkpoint = self.checkpoint_path if stopped else None
            if not stopped:
                checkpoints.prune(self.out_dir, keep)
        self.saved_step = self.step
        self._barrier()

    def _barrier(self):
        if self.world.size > 1:
            torch.distributed.barrier()


# ---------------------------------------------------------------- helpers


def check_same_model(saved, current, where):
    """A resumed run must train the same model with the same shapes: name what differs."""
    keys = ("name", "frames", "resolution", "generator", "discriminators", "loss")
    old, new = saved["model"], current["model"]
    diffs = [f"{k}: {old.get(k)!r} there, {new.get(k)!r} now" for k in keys if _plain(old.get(k)) != _plain(new.get(k))]
    if diffs:
        raise checkpoints.CheckpointError(f"cannot resume from {where}: it is of another model or shape ({'; '.join(diffs)})")


def weights_digest(weights):
    """SHA-256 of ``{"generator", "generator_ema", "discriminators"}`` state dicts, in name order:
    equal digests mean bit-identical networks (ranks, resumed runs)."""
    import hashlib

    digest = hashlib.sha256()

    def feed(prefix, value):
        if isinstance(value, dict):
            for key in sorted(value):
                feed(f"{prefix}.{key}", value[key])
        elif torch.is_tensor(value):
            digest.update(prefix.encode())
            digest.update(value.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())

    feed("", {k: weights[k] for k in ("generator", "generator_ema", "discriminators")})
    return digest.hexdigest()


def truncate_log(path, step):
    """Keep the log lines of steps up to ``step`` (the resumed one): the later steps run again.
    A partial last line (a process killed mid-append) goes too. Rewritten atomically."""
    if not path.exists():
        return
    kept = []
    for line in path.read_text().splitlines(keepends=True):
        try:
            row = json.loads(line) if line.endswith("\n") else None
        except json.JSONDecodeError:
            row = None
        if isinstance(row, dict) and isinstance(row.get("step"), int) and row["step"] <= step:
            kept.append(line)
    atomic_write_text(path, "".join(kept))


def _plain(value):
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def _load_weights(net, weights, where):
    try:
        net.load_state_dict(weights)
    except RuntimeError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        raise checkpoints.CheckpointError(f"{where} does not fit this model: {' '.join(lines[1:3]) or lines[0]}") from None


def _sum_over(a, b, fn):
    """A loss over a role's logits: one tensor, or a list (TPD, summed over its speeds)."""
    if isinstance(a, (list, tuple)):
        return sum(fn(x.float(), None if b is None else y.float()) for x, y in zip(a, b if b is not None else a))
    return fn(a.float(), None if b is None else b.float())


def _grad_norm(net):
    grads = [p.grad for p in net.parameters() if p.grad is not None]
    if not grads:
        return 0.0
    return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads))).item()


def _seed_globals(seed, rank):
    import random

    import numpy as np

    random.seed(seed * 1000 + rank)
    np.random.seed((seed * 1000 + rank) % 2**32)
    torch.manual_seed(seed * 1000 + rank)


def _amp(amp, device):
    """A factory of autocast contexts for the forward passes (losses are computed in float32)."""
    if amp in (None, "", "none", "fp32"):
        return contextlib.nullcontext
    if amp != "bf16":
        raise GanzooError(f"--amp {amp!r} is not supported; use bf16 (or leave it off)")
    return lambda: torch.autocast(device_type=device.type, dtype=torch.bfloat16)


@contextlib.contextmanager
def _eval(net):
    was = net.training
    net.eval()
    try:
        yield net
    finally:
        net.train(was)


def _board(folder, purge_step=None):
    from ganzoo.train.tensorboard import Board

    return Board(folder, purge_step=purge_step)
