"""Frame folders: one folder of numbered PNG/JPG images per video (the layout of StyleGAN-V,
DIGAN and MoCoGAN-HD datasets, and of most video models' generated outputs), in a folder or
in a ``.zip`` of the same (read in place, as StyleGAN-V's ``VideoFramesFolderDataset`` reads
its zips: nothing is extracted to disk).

Frames are ordered by the numbers in their names (``2.png`` before ``10.png``), not as text;
videos by their folder names, as text (StyleGAN-V's order, so "the first 2048 videos" are the
same ones). In a folder, the videos are its direct sub-folders that hold images; in a zip, each
folder inside it that holds images is one video (``clips/v1/0.png`` is frame 0 of ``clips/v1``),
and images at the zip's top level belong to no video.
"""

import io
import os
import re
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np

from ganzoo.errors import GanzooError
from ganzoo.video.errors import ShortVideoError, VideoError
from ganzoo.video.files import IMAGE_SUFFIXES

_DIGITS = re.compile(r"(\d+)")
ZIP_SUFFIX = ".zip"


def natural_key(name):
    """``"frame10.png"`` -> ``("frame", 10, ".png")``: numbers compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(name))


def is_frame(name):
    name = PurePosixPath(name).name
    return PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES and not name.startswith(".")


def frame_files(folder):
    """The image files of one frame folder, in frame order."""
    files = [p for p in Path(folder).iterdir() if is_frame(p.name) and p.is_file()]
    return sorted(files, key=lambda p: natural_key(p.name))


def decode_image(handle, label):
    """``uint8 (H, W, 3)`` RGB of one image file object; a file that does not decode raises
    :class:`VideoError` naming ``label``."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(handle) as image:
            return np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise VideoError(f"frame {label} does not decode: {reason}") from None


def _stack(arrays, labels):
    for array, label in zip(arrays[1:], labels[1:]):
        if array.shape != arrays[0].shape:
            raise VideoError(f"frame {label} is {array.shape[1]}x{array.shape[0]}, the video's first frame "
                             f"{arrays[0].shape[1]}x{arrays[0].shape[0]}")
    return np.stack(arrays)


def read_frames(folder, start=0, frames=None, step=1):
    """``uint8 (T, H, W, 3)`` RGB: ``frames`` images (None: all) from image ``start``, every
    ``step``-th, of one frame folder on disk. See :meth:`FrameFolders.read`."""
    files = frame_files(folder)
    picks = _picks(len(files), start, frames, step, f"frame folder {folder}")
    arrays, labels = [], []
    for i in picks:
        path = files[i]
        if path.stat().st_size == 0:
            raise VideoError(f"frame {path} is empty (0 bytes)")
        with open(path, "rb") as handle:
            arrays.append(decode_image(handle, path))
        labels.append(path)
    return _stack(arrays, labels)


def _picks(total, start, frames, step, where):
    stop = total if frames is None else start + (frames - 1) * step + 1
    if stop > total or total == 0 or start < 0:
        raise ShortVideoError(f"{where} holds {total} frames, {stop} needed")
    return range(start, stop, step)


class FrameFolders:
    """The videos of a folder of frame folders, or of a ``.zip`` of the same.

    ``names``: the videos (folder names, sorted as text); ``count(name)``: its frames;
    ``read(name, start, frames, step)``: ``uint8 (T, H, W, 3)``; ``signature(name)``: what
    changes when its frames change (sizes and mtimes on disk, CRC-32s in a zip). A zip is opened
    once per process (forked data-loader and prepare workers each open their own).
    """

    def __init__(self, path):
        self.path = Path(path)
        self.is_zip = self.path.suffix.lower() == ZIP_SUFFIX and self.path.is_file()
        self._zip, self._zip_pid = None, None
        if self.is_zip:
            self._frames, self._sign = self._list_zip()
        elif self.path.is_dir():
            self._frames = {}
            for sub in sorted(self.path.iterdir()):
                if sub.is_dir() and not sub.name.startswith("."):
                    files = frame_files(sub)
                    if files:
                        self._frames[sub.name] = files
            self._sign = None
        else:
            raise GanzooError(f"{self.path}: not a folder of frame folders or a {ZIP_SUFFIX} of them")
        self.names = sorted(self._frames)

    def _list_zip(self):
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise GanzooError(f"{self.path}: not a readable zip archive ({exc})") from None
        frames, sign = {}, {}
        for info in infos:
            member = PurePosixPath(info.filename)
            if info.is_dir() or not is_frame(member.name) or str(member.parent) == "." \
                    or any(part.startswith(".") or part == "__MACOSX" for part in member.parts):
                continue
            frames.setdefault(str(member.parent), []).append(info.filename)
            sign[info.filename] = f"{info.file_size}:{info.CRC}"
        for video in frames:
            frames[video].sort(key=lambda name: natural_key(PurePosixPath(name).name))
        return frames, sign

    def __len__(self):
        return len(self.names)

    def count(self, name):
        return len(self._frames[name])

    def label(self, name):
        """How a video is named in messages: its folder, or ``archive.zip:member/folder``."""
        return f"{self.path}:{name}" if self.is_zip else str(self.path / name)

    def frame_label(self, name, index):
        item = self._frames[name][index]
        return f"{self.path}:{item}" if self.is_zip else str(item)

    def signature(self, name):
        if self.is_zip:
            return ",".join(f"{PurePosixPath(m).name}:{self._sign[m]}" for m in self._frames[name])
        return ",".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in self._frames[name])

    def size(self, name):
        """Bytes of a video's frames (the size a dataset's file list records)."""
        if self.is_zip:
            return sum(int(self._sign[m].split(":")[0]) for m in self._frames[name])
        return sum(p.stat().st_size for p in self._frames[name])

    def _archive(self):
        if self._zip is None or self._zip_pid != os.getpid():
            self._zip, self._zip_pid = zipfile.ZipFile(self.path), os.getpid()
        return self._zip

    def __getstate__(self):  # a worker process opens the zip itself
        return {**self.__dict__, "_zip": None, "_zip_pid": None}

    def read(self, name, start=0, frames=None, step=1):
        """``uint8 (T, H, W, 3)`` RGB: ``frames`` images (None: all) of video ``name`` from
        image ``start``, every ``step``-th. Too few images raise :class:`ShortVideoError`; an
        image that does not decode, is empty, or differs in size from the first raises
        :class:`VideoError` naming it."""
        if not self.is_zip:
            if name not in self._frames:
                raise VideoError(f"frame folder {self.path / name} is missing")
            return read_frames(self.path / name, start, frames, step)
        members = self._frames[name]
        picks = _picks(len(members), start, frames, step, f"frame folder {self.label(name)}")
        arrays, labels = [], []
        for i in picks:
            label = self.frame_label(name, i)
            try:
                data = self._archive().read(members[i])
            except (zipfile.BadZipFile, OSError, KeyError, EOFError) as exc:
                raise VideoError(f"frame {label} cannot be read from the zip: {exc}") from None
            if not data:
                raise VideoError(f"frame {label} is empty (0 bytes)")
            arrays.append(decode_image(io.BytesIO(data), label))
            labels.append(label)
        return _stack(arrays, labels)


def write_frames(folder, video):
    """Write ``uint8 (T, H, W, 3)`` as ``folder/000000.png``, ``000001.png``, ... (zero-padded,
    so text order is frame order too, as StyleGAN-V's datasets need); each image is written to a
    temp name and renamed, so a reader never sees half a frame. -> the folder."""
    from PIL import Image

    video = np.asarray(video)
    if video.dtype != np.uint8 or video.ndim != 4 or video.shape[-1] != 3 or not len(video):
        raise VideoError(f"write_frames takes uint8 (T, H, W, 3), got {video.dtype} {tuple(video.shape)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for t, frame in enumerate(video):
        path = folder / f"{t:06d}.png"
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        try:
            Image.fromarray(np.ascontiguousarray(frame)).save(tmp, format="PNG")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise VideoError(f"{path}: could not write frame ({exc})") from None
    return folder
