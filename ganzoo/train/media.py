"""Animated GIF bytes in memory for TensorBoard's Images tab (files go through :mod:`ganzoo.video`)."""

import io

import numpy as np
from PIL import Image


def gif_delay_ms(fps):
    """GIF frame delays are whole centiseconds: 1/fps rounded to 10 ms."""
    return 10 * max(1, round(100 / fps))


def gif_bytes(frames, fps=10):
    """uint8 ``(T, H, W, 3)`` -> an animated GIF that loops forever (what TensorBoard plays).

    Pillow picks an adaptive palette per frame (better than a fixed 3-3-2 one for looking at
    samples) and stores a run of identical frames once with their summed delay, so a static
    video has fewer GIF frames but the same duration, ``T * gif_delay_ms(fps)``.
    """
    images = [Image.fromarray(np.ascontiguousarray(np.asarray(f))) for f in frames]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=gif_delay_ms(fps), loop=0)
    return buffer.getvalue()
