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
  centre (G3AN's clip choice); a folder of frame folders, or a ``.zip`` of them, likewise,
  folders in name order. A metric whose ``clip_choice`` is ``"random"`` (StyleGAN-V's FVD
  protocols) takes each window from a seeded random offset instead and leaves out videos
  shorter than its ``min_frames`` (:class:`FolderSource`);
- a prepared clip store (read at its stored size, the metric's frame count from the centre of
  each stored clip) or a registered dataset name (opened with :func:`ganzoo.data.open_dataset`
  and its options, at the generator's resolution, else the metric's): ``n`` clips drawn without replacement by a
  seeded permutation (all clips if there are fewer), in index order.
"""

import hashlib
from pathlib import Path

import numpy as np
import torch

from ganzoo import sources
from ganzoo.checkpoints import load_generator
from ganzoo.contracts import to_uint8
from ganzoo.data import open_dataset
from ganzoo.data.store import open_store
from ganzoo.errors import GanzooError
from ganzoo.metrics.preprocess import centre_clip
from ganzoo.sources import resolve
from ganzoo.video.files import walk_videos
from ganzoo.video.errors import BAD_SOURCE, ShortVideoError
from ganzoo.video.frames import FrameFolders


def made_frames(generator, frames):
    """How many frames a generator makes to be scored on ``frames``: its own fixed length when
    that is longer (then cropped to the temporal centre), else ``frames`` (checked)."""
    own = getattr(generator, "max_frames", None)
    if own is not None and own > frames:
        return own
    return generator.check_frames(frames)


class GeneratorSource:
    """Samples of a generator: video i from ``torch.Generator().manual_seed(seed + i)``. A
    generator of a fixed longer length is scored on its centre ``frames`` frames, or on its
    first ones with ``clips="random"`` (StyleGAN-V's protocols make generated videos from time 0)."""

    kind = "generator"

    def __init__(self, generator, frames, seed=0, label=None, card=None, clips="centre"):
        self.generator = generator
        self.frames = frames
        self.first = 0 if clips == "random" else None
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
                videos = to_uint8(videos).cpu()
                if self.first is not None:
                    yield videos[:, :, self.first:self.first + self.frames]
                else:
                    yield centre_clip(videos, self.frames, f"generator {self.label}")
        finally:
            self.generator.train(was_training)

    def shape(self):
        """(frames, height, width): frames None, as a generator makes the length it is asked for."""
        size = getattr(self.generator, "resolution", None)
        return None, size, size

    def describe(self, n):
        where = (f"the centre {self.frames} (start {self.made // 2 - self.frames // 2})" if self.first is None
                 else f"the first {self.frames} (from time 0, as StyleGAN-V)")
        crop = "" if self.made == self.frames else f"; made at its fixed {self.made} frames, scored on {where}"
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

    def shape(self):
        """(frames, height, width): a clip store's stored length and size; a dataset opened to
        order has no length of its own (None)."""
        size = getattr(self.dataset, "resolution", None)
        return getattr(self.dataset, "stored_frames", None), size, size

    def describe(self, n):
        count = len(self.indices(n))
        how = "all clips" if count == len(self.dataset) else f"{count} of {len(self.dataset)} clips by torch.randperm seed {self.seed}, in index order"
        size = getattr(self.dataset, "resolution", None)
        return {"kind": self.kind, "source": self.label, "samples": count, "fingerprint": self.fingerprint,
                "opened_at": f"{size}x{size}" if size else "its stored size", "clips": how}


class _VideoFile:
    """One video file of a folder set."""

    def __init__(self, path):
        self.path, self.name = path, str(path)
        self._length = None

    def length(self):
        from ganzoo.video.read import count_frames, probe

        if self._length is None:
            self._length = probe(self.path).frames or count_frames(self.path)
        return self._length

    def recount(self):
        from ganzoo.video.read import count_frames

        self._length = count_frames(self.path)
        return self._length

    def read(self, start, frames):
        from ganzoo.video import read_video

        return read_video(self.path, start=start, frames=frames)

    def signature(self):
        stat = self.path.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"


class _FrameVideo:
    """One frame folder (on disk or in a zip) of a folder set."""

    def __init__(self, folders, name):
        self.folders, self.name = folders, folders.label(name)
        self._key = name

    def length(self):
        return self.folders.count(self._key)

    recount = length

    def read(self, start, frames):
        return self.folders.read(self._key, start, frames)

    def signature(self):
        return self.folders.signature(self._key)


class FolderSource:
    """Videos of a folder: video files anywhere below it (sorted relative paths) or frame
    folders (sorted names; a folder or a ``.zip``); a ``frames``-frame window of each: from the
    temporal centre (``clips="centre"``) or from an offset drawn uniformly from
    ``0 .. length - frames`` by ``numpy.random.default_rng((seed, index))`` (``clips="random"``,
    StyleGAN-V's protocols). ``min_frames``: shorter videos are left out (else an error).

    A bad video (unreadable, corrupt, truncated, too short) is skipped and the next one taken,
    as ``ganzoo data prepare`` does; the set's description lists each with its reason."""

    kind = "folder"

    def __init__(self, folder, frames, videos, clips="centre", seed=0, min_frames=None):
        self.folder = Path(folder)
        self.frames, self.clips, self.seed, self.min_frames = frames, clips, seed, min_frames
        self.all_videos = videos
        self.description = None
        blob = "\n".join(f"{v.name}:{v.signature()}" for v in videos)
        self.fingerprint = "folder-" + hashlib.sha256(f"{self.folder.resolve()}\n{blob}".encode()).hexdigest()[:16]
        self._videos = None

    @property
    def videos(self):
        if self._videos is None:
            if self.min_frames is None:
                self._videos = list(self.all_videos)
            else:
                self._videos = [v for v in self.all_videos if self._long_enough(v)]
        return self._videos

    def _long_enough(self, video):
        try:
            return video.length() >= self.min_frames
        except BAD_SOURCE:
            return True  # kept, so that reading it reports the problem (batches skips it)

    def start(self, index, total):
        if self.clips == "random":
            return int(np.random.default_rng((self.seed, index)).integers(0, total - self.frames + 1))
        return total // 2 - self.frames // 2

    def read(self, index):
        """``uint8 (3, frames, H, W)``: the window of video ``index`` (see the class)."""
        video = self.videos[index]
        total = video.length()
        for attempt in range(2):
            if total < self.frames:
                total = video.recount()
                if total < self.frames:
                    raise ShortVideoError(f"video {video.name!r} has {total} frames, the metric needs {self.frames}")
            try:
                array = video.read(self.start(index, total), self.frames)
                break
            except ShortVideoError:
                if attempt:
                    raise
                total = video.recount()  # the header's frame count was wrong (or the file was cut short)
        return torch.from_numpy(array).permute(3, 0, 1, 2).contiguous()

    def batches(self, n, batch):
        """The first ``n`` good videos in order; bad ones are skipped and noted in the description."""
        description = self.describe(n)
        good, skipped, pending = 0, [], []
        for index, video in enumerate(self.videos):
            if good == n:
                break
            try:
                pending.append(self.read(index))
            except BAD_SOURCE as exc:
                skipped.append({"source": self._relative(video.name), "reason": str(exc)})
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
        description.update(samples=good, skipped=skipped,
                           clips=self._clips(f"first {good} good of {len(self.videos)}", f" ({len(skipped)} skipped)"))

    def _relative(self, name):
        """A video's name within the set, as the set's record keeps it (the warning has the full path)."""
        try:
            return Path(name).relative_to(self.folder).as_posix()
        except ValueError:
            return str(name)

    def shape(self):
        """(frames, height, width) of the first video: what the set's videos look like."""
        for video in self.all_videos:
            try:
                frame = video.read(0, 1)
                return video.length(), frame.shape[1], frame.shape[2]
            except BAD_SOURCE:
                continue  # a bad video is reported when the set is read
        return None

    def _clips(self, count, skipped=""):
        what = "frame folders by name" if isinstance(self.all_videos[0], _FrameVideo) else "files by path"
        where = (f"a window from an offset uniform in 0 .. length - {self.frames}, drawn by numpy default_rng((seed {self.seed}, "
                 f"video index))") if self.clips == "random" else "from each video's temporal centre"
        left = "" if self.min_frames is None else (
            f"; {len(self.all_videos) - len(self.videos)} videos under {self.min_frames} frames left out")
        return f"{count} {what}{skipped}{left}; {self.frames} frames {where}"

    def describe(self, n):
        """The set's description; :meth:`batches` completes it in place once the videos are read
        (how many were used, which were skipped and why)."""
        if self.description is None:
            count = min(n, len(self.videos))
            self.description = {
                "kind": self.kind, "source": str(self.folder), "samples": count, "fingerprint": self.fingerprint,
                "clips": self._clips(f"first {count} of {len(self.videos)}"),
            }
        return self.description


def open_source(source, frames, resolution, seed=0, device="cpu", options=None, clips="centre", min_frames=None):
    """A source object (``batches(n, batch)``, ``describe(n)``, ``shape()``, ``fingerprint``)
    or, for a ``.npz``, None (the caller loads the statistics). ``source`` is anything
    :func:`ganzoo.sources.resolve` accepts; ``options`` are a dataset's kwargs; ``clips`` and
    ``min_frames`` say how a folder's videos give their windows (:class:`FolderSource`)."""
    found = resolve(source, options)
    if found.kind == sources.GENERATOR:
        return GeneratorSource(found.target, frames, seed, clips=clips)  # sampled on its own device, left there
    if found.kind == sources.STATISTICS:
        return None
    if found.kind in (sources.CHECKPOINT, sources.RUN):
        generator, card = load_generator(found.target, ema=True, device=device)
        return GeneratorSource(generator, frames, seed, label=found.label, card=card, clips=clips)
    if found.kind == sources.VIDEO_FOLDER:
        videos = [_VideoFile(found.target / p) for p in walk_videos(found.target)]
        return FolderSource(found.target, frames, videos, clips, seed, min_frames)
    if found.kind == sources.FRAME_FOLDERS:
        folders = FrameFolders(found.target)
        return FolderSource(found.target, frames, [_FrameVideo(folders, name) for name in folders.names], clips, seed, min_frames)
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
