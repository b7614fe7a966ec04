"""Frame folders: one folder of numbered PNG/JPG images per video (the layout of StyleGAN-V,
DIGAN and MoCoGAN-HD datasets, and of most video models' generated outputs).

Frames are ordered by the numbers in their names (``2.png`` before ``10.png``), not as text.
"""

import re
from pathlib import Path

import numpy as np

from ganzoo.video.errors import ShortVideoError, VideoError
from ganzoo.video.files import IMAGE_SUFFIXES

_DIGITS = re.compile(r"(\d+)")


def natural_key(name):
    """``"frame10.png"`` -> ``("frame", 10, ".png")``: numbers compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(name))


def frame_files(folder):
    """The image files of one frame folder, in frame order."""
    files = [p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")]
    return sorted(files, key=lambda p: natural_key(p.name))


def read_frames(folder, start=0, frames=None):
    """``uint8 (T, H, W, 3)`` RGB: ``frames`` images (None: all) from image ``start``.

    A folder with fewer images raises :class:`ShortVideoError`; an image that does not decode,
    or one of another size than the first, raises :class:`VideoError` naming the file."""
    from PIL import Image, UnidentifiedImageError

    files = frame_files(folder)
    stop = len(files) if frames is None else start + frames
    if stop > len(files) or not files:
        raise ShortVideoError(f"frame folder {folder} holds {len(files)} frames, {stop} needed")
    out = []
    for path in files[start:stop]:
        if path.stat().st_size == 0:
            raise VideoError(f"frame {path} is empty (0 bytes)")
        try:
            with Image.open(path) as image:
                array = np.asarray(image.convert("RGB"))
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise VideoError(f"frame {path} does not decode: {str(exc).splitlines()[0]}") from None
        if out and array.shape != out[0].shape:
            raise VideoError(f"frame {path} is {array.shape[1]}x{array.shape[0]}, the folder's first frame "
                             f"{out[0].shape[1]}x{out[0].shape[0]}")
        out.append(array)
    return np.stack(out)
