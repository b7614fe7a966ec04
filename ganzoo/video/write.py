"""Write ``uint8 (T, H, W, 3)`` videos as mp4 (H.264, yuv420p) or animated GIF with PyAV.

yuv420p halves the chroma resolution, so H.264 needs even width and height: an odd size is
padded by one replicated edge row/column (never cropped, so no content is lost). Writes are
atomic: a temp file next to the target is renamed over it when the encoder has finished.
"""

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from ganzoo.video.errors import VideoError

MP4_CODECS = ("libx264", "h264", "mpeg4")  # first one this PyAV build can encode wins


def _as_frames(video):
    video = np.asarray(video)
    if video.dtype != np.uint8 or video.ndim != 4 or video.shape[-1] != 3:
        raise VideoError(f"write_video takes uint8 (T, H, W, 3), got {video.dtype} {tuple(video.shape)}")
    if video.shape[0] == 0:
        raise VideoError("write_video got a video with no frames")
    return np.ascontiguousarray(video)


def _pad_even(video):
    pad_h, pad_w = video.shape[1] % 2, video.shape[2] % 2
    if pad_h or pad_w:
        video = np.pad(video, ((0, 0), (0, pad_h), (0, pad_w), (0, 0)), mode="edge")
    return video


def _codec(name, suffix):
    if name is not None:
        return name
    if suffix == ".avi":  # AVI has no B-frame time stamps: MPEG-4 Part 2, as UCF101's Xvid files
        return "mpeg4"
    for codec in MP4_CODECS:
        if codec in av.codecs_available:
            try:
                av.codec.Codec(codec, "w")
                return codec
            except (av.FFmpegError, ValueError):
                continue
    raise VideoError("this PyAV build has no H.264 or MPEG-4 encoder")


def write_video(path, video, fps=25, codec=None, crf=18):
    """Write ``uint8 (T, H, W, 3)`` to ``path``; the suffix picks the format.

    ``.gif``: an animated GIF (fixed 3-3-2 colour palette, frame delay ``1/fps``). Anything
    else (``.mp4``, ``.mkv``, ``.webm`` needs ``codec="libvpx"``): ``codec`` (default H.264
    via libx264 at ``crf`` quality; ``.avi``: MPEG-4 Part 2) in yuv420p. Returns the path.
    """
    path = Path(path)
    frames = _as_frames(video)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}{path.suffix}")
    try:
        if path.suffix.lower() == ".gif":
            _write_gif(tmp, frames, fps)
        else:
            _write_encoded(tmp, _pad_even(frames), fps, _codec(codec, path.suffix.lower()), crf)
        os.replace(tmp, path)
    except av.FFmpegError as exc:
        raise VideoError(f"{path}: could not write video ({exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_encoded(path, frames, fps, codec, crf):
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=Fraction(fps).limit_denominator(1001))
        stream.width, stream.height = frames.shape[2], frames.shape[1]
        stream.pix_fmt = "yuv420p"
        if codec == "libx264":
            stream.options = {"crf": str(crf), "preset": "medium"}
        elif codec == "mpeg4":
            stream.options = {"qscale": "2"}
        for array in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(array, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def _write_gif(path, frames, fps):
    with av.open(str(path), mode="w", format="gif") as container:
        stream = container.add_stream("gif", rate=Fraction(fps).limit_denominator(100))
        stream.width, stream.height = frames.shape[2], frames.shape[1]
        stream.pix_fmt = "rgb8"  # fixed 3-3-2 palette: GIFs are for looking at, not for metrics
        for array in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(array, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
