"""What a source string names: the one answer every command uses (train's in-loop score,
``eval``, ``interpret``, ``bench``, ``sample``).

:func:`resolve` turns what a user typed (plus dataset options) into a :class:`Source` of one
kind; commands then open it in their own way (metrics as a set of clips, interpret as a
stream of videos, sample as a generator). The rules, in order:

- a :class:`ganzoo.contracts.Generator` object: ``generator``;
- a name in the dataset registry: ``dataset`` (a registered name wins over a folder of the
  same name in the working directory; write ``./NAME`` for the folder);
- an existing file: ``statistics`` (``.npz``), ``checkpoint`` (:data:`CHECKPOINT_SUFFIXES`),
  ``video-file`` (:data:`ganzoo.video.files.VIDEO_SUFFIXES`) or ``frame-folders`` (a ``.zip``
  of frame folders, read in place); any other file is an error;
- an existing folder: ``run`` (it holds ``checkpoints/``), ``clip-store`` (what ``ganzoo data
  prepare`` writes, finished or not), ``video-folder`` (video files
  anywhere below it), ``frame-folders`` (sub-folders of numbered PNG/JPG frames, one per
  video); any other folder is an error;
- anything else: an error naming the missing path (and, for a bare word, the nearest dataset
  names).
"""

from pathlib import Path

import attrs

from ganzoo import registry
from ganzoo.contracts import Generator
from ganzoo.data.store import CLIPS, MANIFEST
from ganzoo.errors import GanzooError, did_you_mean
from ganzoo.video.files import IMAGE_SUFFIXES, VIDEO_SUFFIXES, is_video_file, walk_videos
from ganzoo.video.frames import ZIP_SUFFIX, FrameFolders

CHECKPOINT_SUFFIXES = (".pt", ".pth", ".ckpt")
STATISTICS_SUFFIXES = (".npz",)

GENERATOR, DATASET, STATISTICS, CHECKPOINT, RUN = "generator", "dataset", "statistics", "checkpoint", "run"
VIDEO_FILE, VIDEO_FOLDER, FRAME_FOLDERS, CLIP_STORE = "video-file", "video-folder", "frame-folders", "clip-store"
#: kinds that hold a generator to sample from
GENERATOR_KINDS = (GENERATOR, CHECKPOINT, RUN)


@attrs.frozen
class Source:
    """A resolved source: its ``kind``, what it points at (a Path, a dataset name or a
    Generator) and the dataset options it is opened with (``data.kwargs`` of a run)."""

    kind: str
    target: object
    options: dict = attrs.field(factory=dict)

    @property
    def label(self):
        return type(self.target).__name__ if self.kind == GENERATOR else str(self.target)

    @property
    def has_generator(self):
        return self.kind in GENERATOR_KINDS


def resolve(source, options=None):
    """The :class:`Source` that ``source`` names (a Source is returned as it is)."""
    if isinstance(source, Source):
        return source
    options = dict(options or {})
    if isinstance(source, Generator):
        return Source(GENERATOR, source)
    text = str(source)
    if text in registry.get_registry("datasets"):
        return Source(DATASET, text, options)
    path = Path(text).expanduser()
    if path.is_file():
        return Source(_file_kind(path), path, options)
    if path.is_dir():
        return Source(_folder_kind(path), path, options)
    if path.suffix or "/" in text or "\\" in text:  # written as a path: it is the path that is missing
        raise GanzooError(f"{text} does not exist")
    names = registry.get_registry("datasets").names()
    raise GanzooError(f"no file or folder {text!r}, and {did_you_mean(text, names, 'dataset')}")


def _file_kind(path):
    suffix = path.suffix.lower()
    if suffix in STATISTICS_SUFFIXES:
        return STATISTICS
    if suffix in CHECKPOINT_SUFFIXES:
        return CHECKPOINT
    if is_video_file(path):
        return VIDEO_FILE
    if suffix == ZIP_SUFFIX:
        if not FrameFolders(path).names:
            raise GanzooError(f"{path}: the zip holds no frame folders (folders of {', '.join(IMAGE_SUFFIXES)} images)")
        return FRAME_FOLDERS
    raise GanzooError(f"{path}: not a file ganzoo reads as a source; expected a checkpoint "
                      f"({', '.join(CHECKPOINT_SUFFIXES)}), statistics (.npz), a video ({', '.join(VIDEO_SUFFIXES)}) "
                      f"or a {ZIP_SUFFIX} of frame folders")


def _folder_kind(path):
    if (path / "checkpoints").is_dir():
        return RUN
    if any((path / name).exists() for name in (MANIFEST, CLIPS, "prepare.json")):
        return CLIP_STORE  # complete or not: opening it says which
    if walk_videos(path):
        return VIDEO_FOLDER
    if FrameFolders(path).names:
        return FRAME_FOLDERS
    raise GanzooError(f"folder {path} holds no run (checkpoints/), clip store (manifest.json), video files "
                      f"({', '.join(VIDEO_SUFFIXES)}) or frame folders ({', '.join(IMAGE_SUFFIXES)})")


def require(source, kinds, what):
    """``resolve(source)``, or a one-line error saying what ``what`` accepts."""
    found = resolve(source)
    if found.kind not in kinds:
        raise GanzooError(f"{what} takes {' or '.join(DESCRIPTIONS[k] for k in kinds)}; "
                          f"{found.label} is {DESCRIPTIONS[found.kind]}")
    return found


DESCRIPTIONS = {
    GENERATOR: "a generator object",
    DATASET: "a registered dataset",
    STATISTICS: "a statistics file (.npz)",
    CHECKPOINT: f"a checkpoint file ({', '.join(CHECKPOINT_SUFFIXES)})",
    RUN: "a run folder (DIR/checkpoints)",
    VIDEO_FILE: "a video file",
    VIDEO_FOLDER: "a folder of videos",
    FRAME_FOLDERS: f"a folder of frame folders (or a {ZIP_SUFFIX} of them)",
    CLIP_STORE: "a clip store (ganzoo data prepare)",
}
