"""Videos the engine writes: frame grids, animated GIF bytes (PIL) and mp4 files (PyAV).

Kept to what sampling and TensorBoard need; shapes are uint8 ``(B, 3, T, H, W)`` in and
``(T, H, W, 3)`` frames out.
"""

import io
import math
from pathlib import Path

import av
import numpy as np
import torch
from PIL import Image

from ganzoo.errors import GanzooError


def grid(videos, columns=None, pad=1):
    """uint8 ``(B, 3, T, H, W)`` -> one uint8 ``(T, H', W', 3)`` video tiling the batch.

    ``columns`` defaults to ceil(sqrt(B)); a ``pad``-pixel black border separates tiles.
    """
    b, _, t, h, w = videos.shape
    columns = columns or math.ceil(math.sqrt(b))
    rows = math.ceil(b / columns)
    out = torch.zeros(t, rows * (h + pad) + pad, columns * (w + pad) + pad, 3, dtype=torch.uint8)
    for i in range(b):
        r, c = divmod(i, columns)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        out[:, y:y + h, x:x + w] = videos[i].permute(1, 2, 3, 0)
    return out


def gif_delay_ms(fps):
    """GIF frame delays are whole centiseconds: 1/fps rounded to 10 ms."""
    return 10 * max(1, round(100 / fps))


def gif_bytes(frames, fps=10):
    """uint8 ``(T, H, W, 3)`` -> an animated GIF that loops forever (what TensorBoard plays).

    The encoder (Pillow) stores a run of identical frames once with their summed delay, so a
    static video has fewer GIF frames but the same duration, ``T * gif_delay_ms(fps)``.
    """
    images = [Image.fromarray(np.ascontiguousarray(f.numpy())) for f in frames]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=gif_delay_ms(fps), loop=0)
    return buffer.getvalue()


def write_video(frames, path, fps=8):
    """uint8 ``(T, H, W, 3)`` -> ``.mp4`` (H.264, yuv420p; odd sizes padded to even) or ``.gif``."""
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gif":
        path.write_bytes(gif_bytes(frames, fps))
        return path
    if suffix != ".mp4":
        raise GanzooError(f"cannot write {path}: use a .mp4 or .gif name (or a folder)")
    t, h, w, _ = frames.shape
    frames = torch.nn.functional.pad(frames, (0, 0, 0, w % 2, 0, h % 2))
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = frames.shape[2], frames.shape[1]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "18"}
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(frame.numpy()), format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
