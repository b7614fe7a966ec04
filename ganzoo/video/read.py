"""Read any container PyAV opens (mp4, avi, mpg, webm, mkv, gif) into ``uint8 (T, H, W, 3)``.

Seeking is frame-accurate: a frame's index is computed from its presentation time stamp
(``round((pts - start) * time_base * fps)``), the container is sought to the key frame before
the wanted one and decoding runs forward from there. When a container gives no usable time
stamps (some GIFs, raw streams) the reader falls back to decoding from the first frame, which
is slower but never wrong.
"""

import math
from pathlib import Path

import attrs
import av
import numpy as np

from ganzoo.video.errors import ShortVideoError, TruncatedVideoError, VideoError


@attrs.frozen
class VideoInfo:
    """What a container says about its first video stream. ``frames`` is the header's frame
    count, 0 when the container does not record one (MPEG-PS, some AVIs): then
    :func:`count_frames` decodes to find out, or ``duration * fps`` estimates it."""

    path: str
    frames: int
    fps: float
    width: int
    height: int
    codec: str
    duration: float


def _open(path):
    path = Path(path)
    if not path.is_file():
        raise VideoError(f"{path}: no such video file")
    try:
        container = av.open(str(path))
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise VideoError(f"{path}: not a readable video ({_reason(exc)})") from None
    if not container.streams.video:
        container.close()
        raise VideoError(f"{path}: has no video stream")
    return container


def _reason(exc):
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _fps(stream):
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return float(rate) if rate else 25.0


def probe(path):
    """A :class:`VideoInfo` from the container's header, without decoding."""
    container = _open(path)
    try:
        stream = container.streams.video[0]
        fps = _fps(stream)
        duration = 0.0
        if stream.duration is not None and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / av.time_base
        frames = stream.frames or 0
        ctx = stream.codec_context
        return VideoInfo(str(path), int(frames), fps, ctx.width, ctx.height, ctx.name, duration)
    finally:
        container.close()


def _index_of(frame, stream, fps, start_pts):
    if frame.pts is None or stream.time_base is None:
        return None
    return int(round(float((frame.pts - start_pts) * stream.time_base) * fps))


class _Unreliable(Exception):
    """Time stamps that cannot place a frame (missing, overshooting or out of order)."""


def _frames(path, start, seek):
    """Yield ``(index, av.VideoFrame)`` from frame ``start`` on.

    ``seek``: jump to the key frame before ``start`` and place frames by time stamp, raising
    :class:`_Unreliable` as soon as the stamps cannot be trusted (AVI files with B-frames carry
    out-of-order stamps); otherwise count frames from the first one.
    """
    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        fps = _fps(stream)
        start_pts = stream.start_time or 0
        if seek:
            if stream.time_base is None:
                raise _Unreliable
            target = start_pts + int(math.floor((start - 0.5) / fps / stream.time_base))
            try:
                container.seek(max(target, start_pts), stream=stream, backward=True, any_frame=False)
            except av.FFmpegError:
                raise _Unreliable from None
        previous = None
        try:
            for counter, frame in enumerate(container.decode(stream)):
                if seek:
                    index = _index_of(frame, stream, fps, start_pts)
                    if index is None or (previous is None and index > start) or (previous is not None and index != previous + 1):
                        raise _Unreliable
                    previous = index
                else:
                    index = counter
                if index >= start:
                    yield index, frame
        except av.FFmpegError as exc:
            raise VideoError(f"{path}: corrupt or truncated video ({_reason(exc)})") from None
    finally:
        container.close()


def _whole(path):
    """Every frame from the first, then a check against the header's count: a file that decodes
    clearly fewer frames than its header promises was cut short (:class:`TruncatedVideoError`).
    A few frames of difference are tolerated: edit lists and encoder delay drop some legitimately.
    Containers without a count in their header (MPEG-PS) cannot be checked this way."""
    decoded = 0
    for _, frame in _frames(path, 0, seek=False):
        decoded += 1
        yield frame
    expected = probe(path).frames
    if expected and expected - decoded > max(2, expected // 20):
        raise TruncatedVideoError(f"{path}: truncated: {decoded} frames decoded, its header says {expected} "
                                  f"(a file cut short?)")


def iter_frames(path):
    """Yield every frame of a video in order as ``uint8 (H, W, 3)``, decoding as it goes (for
    long videos that should never be held whole at full resolution); a truncated file raises
    :class:`TruncatedVideoError` at the end."""
    for frame in _whole(path):
        yield frame.to_ndarray(format="rgb24")


def count_frames(path):
    """The exact number of decodable frames (decodes the whole stream; a truncated file raises)."""
    return sum(1 for _ in _whole(path))


def _collect(path, start, wanted, stride, seek):
    out = []
    for index, frame in _frames(path, start, seek):
        offset = index - start
        if offset % stride == 0:
            out.append(frame.to_ndarray(format="rgb24"))
        if wanted is not None and offset >= wanted - 1:
            break
    return out


def read_video(path, start=0, frames=None, stride=1, loop=False):
    """Decode ``frames`` frames (None: all) from frame ``start``, keeping every ``stride``-th.

    Returns ``uint8 (T, H, W, 3)`` RGB. A video with fewer frames than asked for raises
    :class:`VideoError`, unless ``loop`` is set, in which case the frames read are repeated
    (0, 1, ..., n-1, 0, 1, ...) to reach the length asked for.
    """
    if start < 0 or stride < 1 or (frames is not None and frames < 1):
        raise VideoError(f"{path}: bad read request start={start} frames={frames} stride={stride}")
    wanted = None if frames is None else (frames - 1) * stride + 1
    try:
        out = _collect(path, start, wanted, stride, seek=start > 0)
    except _Unreliable:
        out = _collect(path, start, wanted, stride, seek=False)
    if not out:
        raise VideoError(f"{path}: no frames at or after frame {start}")
    if frames is not None and len(out) < frames:
        if not loop:
            raise ShortVideoError(f"{path}: has {len(out)} frames from frame {start} at stride {stride}, {frames} needed")
        out = [out[i % len(out)] for i in range(frames)]
    return np.stack(out)
