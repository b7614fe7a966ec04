"""PyAV read/write: round trips in real containers, frame-accurate seeking, grids, resizing."""

import numpy as np
import pytest
import torch

from conftest import SHARED_DATA
from ganzoo.video import VideoError, make_grid, probe, read_video, resize_video, write_video
from ganzoo.video.read import count_frames

CITY = SHARED_DATA / "cityCC0.mpg"


def moving_bar(frames=20, height=33, width=47):
    """A gradient with a dark bar that moves one column per frame: every frame is distinct."""
    video = np.zeros((frames, height, width, 3), np.uint8)
    video[:] = np.linspace(0, 255, width)[None, None, :, None].astype(np.uint8)
    for t in range(frames):
        video[t, :, t:t + 5] = 0
    return video


@pytest.mark.parametrize("suffix,codec,tolerance", [
    (".mp4", None, 3), (".avi", None, 8), (".mkv", None, 3), (".webm", "libvpx", 4), (".gif", None, 20),
])
def test_round_trip_and_seek(tmp_path, suffix, codec, tolerance):
    video = moving_bar()
    path = write_video(tmp_path / f"bar{suffix}", video, fps=10, codec=codec)
    info = probe(path)
    assert (info.fps, count_frames(path)) == (10.0, 20)
    decoded = read_video(path)
    # odd sizes are padded to even for yuv420p, never cropped; GIF keeps the odd size
    assert decoded.shape[0] == 20 and decoded.shape[1] >= 33 and decoded.shape[2] >= 47
    assert np.abs(decoded[:, :33, :47].astype(int) - video).mean() < tolerance
    # the bar position identifies the frame: a sought read returns exactly the frames it names
    assert np.array_equal(read_video(path, start=7, frames=4, stride=2), decoded[7:14:2])


def test_mp4_is_h264_yuv420p_with_even_size(tmp_path):
    import av

    path = write_video(tmp_path / "odd.mp4", moving_bar(height=33, width=47), fps=10)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.codec_context.width, stream.codec_context.height) == (48, 34)


def test_seeking_real_mpeg2_matches_sequential_decode():
    full = read_video(CITY, stride=1)
    assert full.shape == (190, 405, 720, 3)
    for start in (0, 13, 101, 151):
        assert np.array_equal(read_video(CITY, start=start, frames=5, stride=3), full[start:start + 15:3])


def test_short_video_raises_or_loops(tmp_path):
    path = write_video(tmp_path / "short.mp4", moving_bar(frames=6), fps=10)
    with pytest.raises(VideoError, match="short.mp4: has 6 frames"):
        read_video(path, frames=8)
    looped = read_video(path, frames=8, loop=True)
    assert np.array_equal(looped[6:], looped[:2])


def test_not_a_video_and_truncated_video(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 50)
    with pytest.raises(VideoError, match="notes.mp4: not a readable video"):
        read_video(text)
    good = write_video(tmp_path / "good.mp4", moving_bar(frames=20), fps=10).read_bytes()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(good[: len(good) // 3])  # moov atom at the end is cut off
    with pytest.raises(VideoError, match="broken.mp4"):
        read_video(broken, frames=20)
    with pytest.raises(VideoError, match="no such video file"):
        read_video(tmp_path / "missing.mp4")


def test_resize_center_crop_antialiased():
    video = np.zeros((2, 40, 80, 3), np.uint8)
    video[:, :, 20:60] = 255  # the centred 40x40 square is white, the sides are black
    small = resize_video(video, 10)
    assert small.shape == (2, 10, 10, 3) and small.min() == 255
    stripes = np.zeros((1, 64, 64, 3), np.uint8)
    stripes[:, :, ::2] = 255  # one-pixel stripes: an antialiased shrink averages them to grey
    grey = resize_video(stripes, 16)
    assert np.abs(grey[:, :, 1:-1].astype(int) - 128).max() <= 2  # (edge columns see the border)


def test_make_grid_layout():
    videos = torch.full((5, 3, 4, 8, 6), -1.0)
    videos[3] = 1.0
    grid = make_grid(videos, ncol=3, padding=2)
    assert grid.shape == (4, 2 * 10 + 2, 3 * 8 + 2, 3)
    assert grid[:, 12:20, 2:8].min() == 255  # clip 3 is row 1, column 0
    assert grid[:, 2:10, 2:8].max() == 0
    with pytest.raises(VideoError, match=r"\(B, 3, T, H, W\)"):
        make_grid(torch.zeros(3, 4, 8, 8))
