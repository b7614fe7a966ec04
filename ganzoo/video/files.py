"""Which files are videos: the one suffix list every source, dataset and command uses."""

import os
from pathlib import Path

from ganzoo.errors import GanzooError

#: containers PyAV reads (checked case-insensitively)
VIDEO_SUFFIXES = (".mp4", ".avi", ".mkv", ".webm", ".mov", ".gif", ".mpg", ".mpeg", ".m4v", ".ogv", ".wmv", ".flv")
#: still frames of a frame folder (one folder of numbered images per video)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
#: containers :func:`ganzoo.video.write_video` writes (H.264; MPEG-4 Part 2 in AVI; GIF)
WRITE_SUFFIXES = (".mp4", ".gif", ".avi", ".mkv", ".mov")


def is_video_file(path):
    path = Path(path)
    return path.suffix.lower() in VIDEO_SUFFIXES and not path.name.startswith(".")


def walk_videos(root):
    """Every video file under ``root`` (sorted relative paths); an unreadable sub-folder is an error."""
    found = []

    def fail(exc):
        raise GanzooError(f"cannot read folder {exc.filename}: {exc.strerror}")

    for folder, dirs, files in os.walk(root, onerror=fail):
        dirs.sort()
        for name in sorted(files):
            if is_video_file(name):
                found.append(Path(folder, name).relative_to(root))
    return found
