"""The one error a video file can cause: a one-line message naming the file and the problem."""

from ganzoo.errors import GanzooError


class VideoError(GanzooError):
    """A file that is not a video, is corrupt or truncated, or is shorter than asked for."""


class ShortVideoError(VideoError):
    """A readable video with fewer frames than a clip needs (prepare counts these apart)."""
