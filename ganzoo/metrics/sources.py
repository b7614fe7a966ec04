"""What ``A`` and ``B`` of ``ganzoo eval`` can be (decided by :func:`ganzoo.sources.resolve`),
opened as sets of videos or saved statistics.

- a ``.npz`` of feature statistics (``mu``, ``sigma``, ...);
- a ``Generator`` object, a checkpoint file (``.pt``/``.pth``/``.ckpt``) or a run folder
  (``DIR/checkpoints``): ``n`` videos are sampled, video i from seed ``base + i`` (its own
  ``torch.Generator``), so the score depends neither on the batch size nor on the device count;
  they are scored from the generator's tensors quantised by :func:`ganzoo.contracts.to_uint8`,
  as a saved video would be, never through a lossy re-encode. A generator whose length is
  fixed by its architecture (``max_frames`` set, e.g. VGAN's 32 frames) and longer than the
  metric's clip makes its own length and is scored on the metric's frame count from its
  temporal centre (start = T // 2 - frames // 2), the rule real videos get below; any other
  generator is asked for exactly the metric's frame count;
- a folder of video files (any container PyAV reads, anywhere below it): files in sorted
  relative-path order, the first ``n``; from each, the metric's frame count from the temporal
  centre (G3AN's clip choice); a folder of frame folders likewise, folders in name order;
- a prepared clip store (read at its stored size, the metric's frame count from the centre of
  each stored clip) or a registered dataset name (opened with :func:`ganzoo.data.open_dataset`
  and its options, at the generator's resolution, else the metric's): ``n`` clips drawn without replacement by a
  seeded permutation (all clips if there are fewer), in index order.
"""

import hashlib
from pathlib import Path

import torch

from ganzoo import sources
from ganzoo.checkpoints import load_generator
from ganzoo.contracts import to_uint8
from ganzoo.data import open_dataset
from ganzoo.data.store import open_store
from ganzoo.errors import GanzooError
from ganzoo.metrics.preprocess import centre_clip
from ganzoo.sources import frame_folders, resolve
from ganzoo.video.files import walk_videos
from ganzoo.video.errors import BAD_SOURCE, ShortVideoError
from ganzoo.video.frames import frame_files, read_frames


def made_frames(generator, frames):
    """How many frames a generator makes to be scored on ``frames``: its own fixed length when
    that is longer (then cropped to the temporal centre), else ``frames`` (checked)."""
    own = getattr(generator, "max_frames", None)
    if own is not None and own > frames:
        return own
    return generator.check_frames(frames)


class GeneratorSource:
    """Samples of a generator: video i from ``torch.Generator().manual_seed(seed + i)``."""

    kind = "generator"

    def __init__(self, generator, frames, seed=0, label=None, card=None):
        self.generator = generator
        self.frames = frames
        self.made = made_frames(generator, frames)
        self.seed = seed
        self.label = label or type(generator).__name__
        self.card = card
        self.fingerprint = None

    def _latent(self, index):
        rng = torch.Generator().manual_seed(self.seed + index)
        return self.generator.make_latent(1, self.made, rng)

    @torch.no_grad()
    def batches(self, n, batch):
        was_training = self.generator.training
        self.generator.eval()  # a generator handed over mid-training goes back to train mode after
        try:
            for start in range(0, n, batch):
                latents = [self._latent(i) for i in range(start, min(n, start + batch))]
                if all(isinstance(lat, dict) and all(isinstance(v, torch.Tensor) for v in lat.values()) for lat in latents):
                    merged = {key: torch.cat([lat[key] for lat in latents]) for key in latents[0]}
                    videos = self.generator(merged)
                else:  # an opaque latent object: one forward pass per video
                    videos = torch.cat([self.generator(lat) for lat in latents])
                yield centre_clip(to_uint8(videos).cpu(), self.frames, f"generator {self.label}")
        finally:
            self.generator.train(was_training)

    def describe(self, n):
        crop = "" if self.made == self.frames else (
            f"; made at its fixed {self.made} frames, scored on the centre {self.frames} (start {self.made // 2 - self.frames // 2})")
        out = {
            "kind": self.kind, "source": self.label, "samples": n, "frames": self.frames, "made_frames": self.made,
            "clips": f"video i sampled from torch.Generator seed {self.seed} + i, quantised to uint8{crop}",
        }
        if self.card is not None:
            out["card"] = {k: self.card.get(k) for k in ("model", "preset", "step", "data_fingerprint", "ganzoo_version")}
        return out


class DatasetSource:
    """Clips of a VideoDataset: ``n`` indices from a seeded permutation, in index order."""

    kind = "dataset"

    def __init__(self, dataset, label, seed=0):
        self.dataset = dataset
        self.label = label
        self.seed = seed
        self.fingerprint = getattr(dataset, "fingerprint", None)

    def indices(self, n):
        total = len(self.dataset)
        if n >= total:
            return list(range(total))
        order = torch.randperm(total, generator=torch.Generator().manual_seed(self.seed))[:n]
        return sorted(order.tolist())

    def batches(self, n, batch):
        chosen = self.indices(n)
        for start in range(0, len(chosen), batch):
            yield torch.stack([torch.as_tensor(self.dataset[i]) for i in chosen[start:start + batch]])

    def describe(self, n):
        count = len(self.indices(n))
        how = "all clips" if count == len(self.dataset) else f"{count} of {len(self.dataset)} clips by torch.randperm seed {self.seed}, in index order"
        size = getattr(self.dataset, "resolution", None)
        return {"kind": self.kind, "source": self.label, "samples": count, "fingerprint": self.fingerprint,
                "opened_at": f"{size}x{size}" if size else "its stored size", "clips": how}


class FolderSource:
    """Videos of a folder: video files anywhere below it (sorted relative paths) or frame
    folders (sorted names); ``frames`` frames from each video's temporal centre.

    A bad video (unreadable, corrupt, truncated, too short) is skipped and the next one taken,
    as ``ganzoo data prepare`` does; the set's description lists each with its reason."""

    kind = "folder"

    def __init__(self, folder, frames, videos):
        self.folder = Path(folder)
        self.frames = frames
        self.videos = videos
        self.description = None
        blob = "\n".join(f"{p.relative_to(self.folder)}:{_size_and_time(p)}" for p in self.videos)
        self.fingerprint = "folder-" + hashlib.sha256(f"{self.folder.resolve()}\n{blob}".encode()).hexdigest()[:16]

    def read(self, path):
        """``uint8 (3, frames, H, W)``: the centre ``frames`` frames (start = T // 2 - frames // 2)."""
        if path.is_dir():
            total = len(frame_files(path))
            if total < self.frames:
                raise ShortVideoError(f"frame folder {str(path)!r} has {total} frames, the metric needs {self.frames}")
            array = read_frames(path, start=total // 2 - self.frames // 2, frames=self.frames)
            return torch.from_numpy(array).permute(3, 0, 1, 2).contiguous()
        from ganzoo.video import read_video
        from ganzoo.video.read import count_frames, probe

        total = probe(path).frames
        for attempt in range(2):
            if total < self.frames:
                total = count_frames(path)
                if total < self.frames:
                    raise ShortVideoError(f"video {str(path)!r} has {total} frames, the metric needs {self.frames}")
            start = total // 2 - self.frames // 2
            try:
                array = read_video(path, start=start, frames=self.frames)
                break
            except ShortVideoError:
                if attempt:
                    raise
                total = count_frames(path)  # the header's frame count was wrong (or the file was cut short)
        return torch.from_numpy(array).permute(3, 0, 1, 2).contiguous()

    def batches(self, n, batch):
        """The first ``n`` good videos in order; bad ones are skipped and noted in the description."""
        description = self.describe(n)
        good, skipped, pending = 0, [], []
        for path in self.videos:
            if good == n:
                break
            try:
                pending.append(self.read(path))
            except BAD_SOURCE as exc:
                skipped.append({"source": str(path.relative_to(self.folder)), "reason": str(exc)})
                continue
            good += 1
            if len(pending) == batch:
                yield pending
                pending = []
        if pending:
            yield pending
        if not good:
            reasons = "; ".join(f"{s['source']}: {s['reason']}" for s in skipped[:3])
            raise GanzooError(f"{self.folder}: no usable videos: all {len(skipped)} were skipped ({reasons})")
        what = "frame folders by name" if self.videos[0].is_dir() else "files by path"
        description.update(samples=good, skipped=skipped, clips=(
            f"first {good} good of {len(self.videos)} {what} ({len(skipped)} skipped); "
            f"{self.frames} frames from each video's temporal centre"))

    def describe(self, n):
        """The set's description; :meth:`batches` completes it in place once the videos are read
        (how many were used, which were skipped and why)."""
        if self.description is None:
            count = min(n, len(self.videos))
            what = "frame folders by name" if self.videos and self.videos[0].is_dir() else "files by path"
            self.description = {
                "kind": self.kind, "source": str(self.folder), "samples": count, "fingerprint": self.fingerprint,
                "clips": f"first {count} of {len(self.videos)} {what}; {self.frames} frames from each video's temporal centre",
            }
        return self.description


def _size_and_time(path):
    """What changes when a video changes: a file's size and mtime, a frame folder's per image."""
    if path.is_dir():
        return ",".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in frame_files(path))
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def open_source(source, frames, resolution, seed=0, device="cpu", options=None):
    """A source object (``batches(n, batch)``, ``describe(n)``, ``fingerprint``) or, for a
    ``.npz``, None (the caller loads the statistics). ``source`` is anything
    :func:`ganzoo.sources.resolve` accepts; ``options`` are a dataset's kwargs."""
    found = resolve(source, options)
    if found.kind == sources.GENERATOR:
        return GeneratorSource(found.target, frames, seed)  # sampled on its own device, left there
    if found.kind == sources.STATISTICS:
        return None
    if found.kind in (sources.CHECKPOINT, sources.RUN):
        generator, card = load_generator(found.target, ema=True, device=device)
        return GeneratorSource(generator, frames, seed, label=found.label, card=card)
    if found.kind == sources.VIDEO_FOLDER:
        return FolderSource(found.target, frames, [found.target / p for p in walk_videos(found.target)])
    if found.kind == sources.FRAME_FOLDERS:
        return FolderSource(found.target, frames, frame_folders(found.target))
    if found.kind == sources.CLIP_STORE:  # read at its own size, centre window
        options = {k: v for k, v in found.options.items() if k != "offset"}
        return DatasetSource(open_store(found.target, frames=frames, offset="center", **options), found.label, seed)
    if found.kind == sources.DATASET:
        if resolution is None:
            raise GanzooError(f"dataset {found.label!r} needs a resolution to be opened at")
        return DatasetSource(open_dataset(found.target, frames=frames, resolution=resolution, **found.options),
                             found.label, seed)
    raise GanzooError(f"a metric scores sets of videos; {found.label} is {sources.DESCRIPTIONS[found.kind]}: "
                      f"give the folder that holds it")


def needs_resolution(source, options=None):
    """True for a registered dataset: the only source whose size is chosen by the caller."""
    return resolve(source, options).kind == sources.DATASET
