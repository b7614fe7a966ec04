"""moving-shapes: synthetic clips whose motion is a sum of known factors (no files needed).

Coloured shapes (circle, square, triangle) on a static textured background. Every clip draws
one amplitude in [-1, 1] per motion factor; at frame t the common temporal profile is
``u(t) = sin(2 pi t / PERIOD)`` and

- ``dx``, ``dy``: every shape is translated by ``amplitude * MAX_SHIFT * u(t)`` (normalised
  coordinates, the frame spans [-1, 1]);
- ``rotation``: every shape turns about its own centre by ``amplitude * MAX_ANGLE * u(t)``;
- ``scale``: every shape is scaled about its centre by ``MAX_SCALE ** (amplitude * u(t))``;
- ``brightness``: the whole frame is multiplied by ``1 + amplitude * MAX_GAIN * u(t)``.

An amplitude of 0 makes that factor's term vanish at every frame, so a clip with all factors
0 is a still image. Choices where no paper decides: the profile is one sinusoid shared by all
factors with a fixed 32-frame period (so a clip's first 16 frames are the same whatever length
is asked for, and frame 0 is the rest pose), and amplitudes are uniform in [-1, 1].

Everything random about clip ``i`` comes from ``numpy.random.default_rng([seed, i])`` in a
fixed order, so clips are deterministic per (seed, index) and overriding one factor changes
nothing else about the clip.
"""

import hashlib
import json
import math
import threading

import numpy as np
import torch

from ganzoo.contracts import VideoDataset
from ganzoo.data.sources import Clip, Preparable, Source
from ganzoo.errors import GanzooError, did_you_mean

FACTORS = ("dx", "dy", "rotation", "scale", "brightness")
KINDS = ("circle", "square", "triangle")
PERIOD = 32  # frames per cycle of the motion profile
MAX_SHIFT = 0.4  # normalised units: 20% of the frame width
MAX_ANGLE = math.pi / 2
MAX_SCALE = 1.5
MAX_GAIN = 0.4
RENDERER = 1  # bump when the rendering changes: it is part of the fingerprint


def motion_profile(frames):
    """``u(t)`` for t = 0..frames-1, float32 ``(T,)``."""
    return np.sin(2 * np.pi * np.arange(frames, dtype=np.float32) / PERIOD).astype(np.float32)


def resolve_factors(factors):
    """None -> no override; a dict name -> amplitude fixes those; a list of names lets only
    those vary (the others are 0). Returns a dict of overrides."""
    if factors is None:
        return {}
    if isinstance(factors, str):
        factors = [f for f in factors.split(",") if f]
    if isinstance(factors, dict):
        overrides = {}
        for name, value in factors.items():
            _check_factor(name)
            value = float(value)
            if not -1.0 <= value <= 1.0:
                raise GanzooError(f"moving-shapes factor {name!r} = {value}: amplitudes are in [-1, 1]")
            overrides[name] = value
        return overrides
    names = list(factors)
    for name in names:
        _check_factor(name)
    return {name: 0.0 for name in FACTORS if name not in names}


def _check_factor(name):
    if name not in FACTORS:
        raise GanzooError(did_you_mean(name, FACTORS, "moving-shapes factor"))


def _draw(rng):
    """Every random choice of one clip, in a fixed order."""
    amplitudes = rng.uniform(-1.0, 1.0, len(FACTORS)).astype(np.float32)
    gratings = rng.uniform(0, 1, (4, 5)).astype(np.float32)  # angle, frequency, phase, 2 colour mixes
    base = rng.uniform(0.15, 0.45, 3).astype(np.float32)
    count = int(rng.integers(1, 4))
    shapes = []
    for _ in range(3):  # always draw three so the stream does not depend on count
        shapes.append({
            "kind": KINDS[int(rng.integers(0, len(KINDS)))],
            "centre": rng.uniform(-0.5, 0.5, 2).astype(np.float32),
            "radius": float(rng.uniform(0.15, 0.3)),
            "angle": float(rng.uniform(0, 2 * np.pi)),
            "colour": _bright_colour(rng),
        })
    return amplitudes, gratings, base, shapes[:count]


def _bright_colour(rng):
    colour = rng.uniform(0.0, 1.0, 3).astype(np.float32)
    colour[int(rng.integers(0, 3))] = 1.0
    return colour


def _background(gratings, base, xs, ys):
    """Static texture (H, W, 3): a base colour plus four oriented sinusoid gratings."""
    image = np.broadcast_to(base, ys.shape + (3,)).copy()
    for angle, frequency, phase, mix_a, mix_b in gratings:
        theta = angle * np.pi
        wave = np.sin(np.pi * (1 + 3 * frequency) * (np.cos(theta) * xs + np.sin(theta) * ys) + 2 * np.pi * phase)
        image += 0.06 * wave[..., None] * np.array([mix_a, mix_b, 1 - mix_a], np.float32)
    return image


def _sdf(kind, qx, qy):
    """Signed distance (in units of the shape radius) to a unit circle, square or triangle."""
    if kind == "circle":
        return np.sqrt(qx * qx + qy * qy) - 1.0
    if kind == "square":
        return np.maximum(np.abs(qx), np.abs(qy)) - 0.8
    normals = [(np.cos(a), np.sin(a)) for a in (np.pi / 2, np.pi / 2 + 2 * np.pi / 3, np.pi / 2 + 4 * np.pi / 3)]
    return np.max(np.stack([nx * qx + ny * qy for nx, ny in normals]), axis=0) - 0.5


def render(seed, index, frames, resolution, overrides=None, return_mask=False):
    """Clip ``index`` of seed ``seed``: ``(uint8 (3, T, H, W) tensor, factors dict)``.

    ``return_mask``: also return the shapes' coverage, float ``(T, H, W)`` in [0, 1] (ground
    truth for scoring where motion happens).
    """
    rng = np.random.default_rng([int(seed), int(index)])
    amplitudes, gratings, base, shapes = _draw(rng)
    factors = {name: float(a) for name, a in zip(FACTORS, amplitudes)}
    factors.update(overrides or {})
    u = motion_profile(frames)[:, None, None]  # (T, 1, 1)
    coords = (np.arange(resolution, dtype=np.float32) + 0.5) / resolution * 2 - 1
    ys, xs = np.meshgrid(coords, coords, indexing="ij")  # (H, W)
    video = np.broadcast_to(_background(gratings, base, xs, ys), (frames, resolution, resolution, 3)).copy()
    shift_x = factors["dx"] * MAX_SHIFT * u
    shift_y = factors["dy"] * MAX_SHIFT * u
    turn = factors["rotation"] * MAX_ANGLE * u
    scale = MAX_SCALE ** (factors["scale"] * u)
    pixel = 2.0 / resolution
    coverage = np.zeros((frames, resolution, resolution), np.float32)
    for shape in shapes:
        radius = shape["radius"] * scale  # (T, 1, 1)
        px = xs - shape["centre"][0] - shift_x
        py = ys - shape["centre"][1] - shift_y
        angle = shape["angle"] + turn
        cos, sin = np.cos(angle), np.sin(angle)
        qx = (cos * px + sin * py) / radius
        qy = (-sin * px + cos * py) / radius
        alpha = np.clip(0.5 - _sdf(shape["kind"], qx, qy) * radius / pixel, 0.0, 1.0)[..., None]
        video = video * (1 - alpha) + shape["colour"] * alpha
        coverage = np.maximum(coverage, alpha[..., 0])
    video = video * (1 + factors["brightness"] * MAX_GAIN * u[..., None])
    video *= 255
    np.rint(video, out=video)
    np.clip(video, 0, 255, out=video)
    clip = torch.from_numpy(np.ascontiguousarray(video.astype(np.uint8).transpose(3, 0, 1, 2)))
    if return_mask:
        return clip, factors, torch.from_numpy(coverage)
    return clip, factors


class _ClipCache:
    """The last-used rendered clips, up to ``budget`` bytes, shared by every MovingShapes of the
    process. Why: rendering is ~1.5 ms per 32 px clip, a tenth of a small baseline's training
    iteration; a training run draws each clip about twice, and ``ganzoo bench`` runs many on the
    same clips. Clips are deterministic per (seed, index, size, overrides), so a cached one is
    the clip itself."""

    def __init__(self, budget):
        self.budget, self.used, self.clips = budget, 0, {}
        self.lock = threading.Lock()  # scoring reads sets from a background thread

    def get(self, key):
        with self.lock:
            clip = self.clips.pop(key, None)
            if clip is not None:
                self.clips[key] = clip  # most recently used last
            return clip

    def put(self, key, clip):
        size = clip.numel() * clip.element_size()
        with self.lock:
            if size <= self.budget and key not in self.clips:
                while self.used + size > self.budget:
                    old = self.clips.pop(next(iter(self.clips)))
                    self.used -= old.numel() * old.element_size()
                self.clips[key] = clip
                self.used += size
        return clip


_CLIPS = _ClipCache(256 << 20)  # 256 MiB: 5,000 clips of 16 frames at 32 px, 1,300 at 64 px


class MovingShapes(VideoDataset, Preparable):
    """``size`` deterministic clips ``uint8 (3, T, H, W)`` with known motion factors.

    ``info(i)["factors"]`` maps each of :data:`FACTORS` to its amplitude in [-1, 1].
    ``factors``: None (all random), a dict name -> amplitude fixing those factors for every
    clip, or a list of names that may move (the others are 0).
    """

    factor_names = FACTORS

    def __init__(self, root=None, frames=16, resolution=64, size=2048, seed=0, factors=None):
        if root is not None:
            raise GanzooError(f"moving-shapes is synthetic and takes no files (got root {str(root)!r})")
        if int(size) < 1 or int(frames) < 1 or int(resolution) < 4:
            raise GanzooError(f"moving-shapes needs size >= 1, frames >= 1, resolution >= 4 (got {size}, {frames}, {resolution})")
        self.frames, self.resolution, self.size, self.seed = int(frames), int(resolution), int(size), int(seed)
        self.overrides = resolve_factors(factors)
        self._overrides_key = json.dumps(self.overrides, sort_keys=True)

    def __len__(self):
        return self.size

    def _index(self, index):
        index = int(index)
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(f"moving-shapes has {self.size} clips, index {index} asked for")
        return index

    def __getitem__(self, index):
        key = (self.seed, self._index(index), self.frames, self.resolution, self._overrides_key)
        clip = _CLIPS.get(key)
        if clip is None:
            clip = _CLIPS.put(key, render(*key[:4], self.overrides)[0])
        return clip.clone()  # the caller may write into it

    def spare(self, index):
        return 0  # every clip starts at its rest pose (frame 0): no temporal offset

    def clip_at(self, index, first):
        return self[index]

    def info(self, index):
        index = self._index(index)
        rng = np.random.default_rng([self.seed, index])
        amplitudes, _, _, shapes = _draw(rng)
        factors = {name: float(a) for name, a in zip(FACTORS, amplitudes)}
        factors.update(self.overrides)
        return {"source": f"moving-shapes/seed{self.seed}", "index": index, "start": 0, "label": -1,
                "factors": factors, "shapes": [s["kind"] for s in shapes]}

    @property
    def fingerprint(self):
        options = {"dataset": "moving-shapes", "renderer": RENDERER, "seed": self.seed, "size": self.size,
                   "frames": self.frames, "resolution": self.resolution, "factors": sorted(self.overrides.items())}
        return hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()[:16]

    # -- prepare: one source per clip -------------------------------------------------------
    def sources(self):
        return [Source(str(i)) for i in range(self.size)]

    def clips_of(self, source):
        clip, factors = render(self.seed, int(source.key), self.frames, self.resolution, self.overrides)
        return [Clip(clip, 0, -1, tuple(factors[name] for name in FACTORS))]

    def options(self):
        return {"seed": self.seed, "size": self.size, "frames": self.frames, "resolution": self.resolution,
                "factors": dict(sorted(self.overrides.items())), "renderer": RENDERER}
