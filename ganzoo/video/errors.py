"""The one error a video file can cause: a one-line message naming the file and the problem."""

from ganzoo.errors import GanzooError


class VideoError(GanzooError):
    """A file that is not a video, is corrupt or truncated, or is shorter than asked for."""


class ShortVideoError(VideoError):
    """A readable video with fewer frames than a clip needs (prepare counts these apart)."""


class TruncatedVideoError(VideoError):
    """A video that decodes to fewer frames than its header promises: a file cut short (a
    copy or download that stopped). Skipped and reported, like a corrupt one."""


# What a bad source file can raise while it is decoded: reported and skipped (data prepare,
# eval on a folder), never a bug in ganzoo.
BAD_SOURCE = (VideoError, ValueError, RuntimeError, EOFError)
