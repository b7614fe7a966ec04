"""Dense optical flow between consecutive frames (InMoDeGAN Sec. 4.3 quantifies motion on it).

Methods are classical OpenCV estimators, so nothing is downloaded:

- ``farneback`` (default): Farneback 2003 polynomial expansion, in ``opencv-python-headless``.
- ``dis``: Kroeger et al. 2016 dense inverse search, in ``opencv-python-headless``.
- ``tvl1``: Zach et al. 2007 TV-L1, only in ``opencv-contrib-python`` (``cv2.optflow``).

The paper does not name its flow estimator. Farneback's parameters here are OpenCV's
tutorial values with a window of 9 px, suited to the 64-128 px frames these models make.
"""

import numpy as np
import torch

from ganzoo.errors import GanzooError, did_you_mean


def _farneback():
    import cv2

    def estimate(prev, nxt):
        return cv2.calcOpticalFlowFarneback(prev, nxt, None, pyr_scale=0.5, levels=3, winsize=9,
                                            iterations=3, poly_n=5, poly_sigma=1.1, flags=0)

    return estimate


def _dis():
    import cv2

    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)

    def estimate(prev, nxt):
        return dis.calc(prev, nxt, None)

    return estimate


def _tvl1():
    import cv2

    optflow = getattr(cv2, "optflow", None)
    if optflow is None:
        raise GanzooError(
            "flow method 'tvl1' needs OpenCV's contrib modules (cv2.optflow), which are not installed; "
            "install opencv-contrib-python-headless or use --flow-method farneback"
        )
    tvl1 = optflow.DualTVL1OpticalFlow_create()

    def estimate(prev, nxt):
        return tvl1.calc(prev, nxt, None)

    return estimate


METHODS = {"farneback": _farneback, "dis": _dis, "tvl1": _tvl1}


def get_method(name):
    """A function ``(prev_gray, next_gray) -> float32 (H, W, 2)`` for the named method; an
    unknown name or a method whose library is missing is a one-line error."""
    if name not in METHODS:
        raise GanzooError(did_you_mean(name, METHODS, "flow method"))
    return METHODS[name]()


def to_frames(video):
    """A video as ``uint8 (T, H, W, 3)``: accepts uint8 ``(3, T, H, W)`` (dataset clip), float
    ``(3, T, H, W)`` in [-1, 1] (one generated video) or an array already ``(T, H, W, 3)``."""
    if isinstance(video, torch.Tensor):
        if video.dtype != torch.uint8:
            from ganzoo.contracts import to_uint8

            video = to_uint8(video)
        if video.ndim != 4 or video.shape[0] != 3:
            raise GanzooError(f"a video tensor must be (3, T, H, W), got shape {tuple(video.shape)}")
        return video.permute(1, 2, 3, 0).cpu().numpy()
    video = np.asarray(video)
    if video.ndim != 4 or video.shape[-1] != 3 or video.dtype != np.uint8:
        raise GanzooError(f"a video array must be uint8 (T, H, W, 3), got {video.dtype} {tuple(video.shape)}")
    return video


def video_flow(video, method="farneback"):
    """Flow between consecutive frames: video (see :func:`to_frames`) -> float32
    ``(T-1, H, W, 2)``, (u, v) in pixels per frame, x right and y down."""
    import cv2

    estimate = get_method(method) if isinstance(method, str) else method
    frames = to_frames(video)
    if len(frames) < 2:
        raise GanzooError(f"optical flow needs at least 2 frames, the video has {len(frames)}")
    gray = [cv2.cvtColor(np.ascontiguousarray(f), cv2.COLOR_RGB2GRAY) for f in frames]
    return np.stack([estimate(a, b) for a, b in zip(gray[:-1], gray[1:])]).astype(np.float32)


def batch_flow(videos, method="farneback"):
    """Flow of every video of a batch: ``(B, 3, T, H, W)`` (float in [-1, 1] or uint8) ->
    float32 ``(B, T-1, H, W, 2)``."""
    estimate = get_method(method) if isinstance(method, str) else method
    return np.stack([video_flow(v, estimate) for v in videos])
