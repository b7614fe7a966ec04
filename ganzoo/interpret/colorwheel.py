"""The Middlebury optical-flow colour code (Baker et al. 2011, "A Database and Evaluation
Methodology for Optical Flow", IJCV 92(1), Sec. 4.1 and Fig. 2 / the ``colorcode`` tool).

The wheel has 55 hues built from six linear ramps between the primaries and secondaries:
red->yellow 15 steps, yellow->green 6, green->cyan 4, cyan->blue 11, blue->magenta 13,
magenta->red 6. A flow vector (u, v) in image coordinates (x right, y down) takes the hue at
angle ``atan2(-v, -u)`` and is desaturated toward white as its length shrinks: the centre of
the wheel is white (no motion) and its rim (length = the normalising radius) is fully
saturated; longer vectors are darkened to 75 %. InMoDeGAN (Sec. 4.3, Fig. 5) reads its flow
maps on this wheel.
"""

import numpy as np

#: (name, steps) of each ramp, in the order of the published wheel.
RAMPS = (("RY", 15), ("YG", 6), ("GC", 4), ("CB", 11), ("BM", 13), ("MR", 6))


def make_colorwheel():
    """The 55 wheel colours as ``uint8 (55, 3)`` RGB, index 0 = pure red.

    Each ramp moves one channel linearly (``floor(255 * i / steps)``) while the others stay at
    0 or 255, exactly as the published ``makecolorwheel``.
    """
    rows = []
    for name, steps in RAMPS:
        ramp = np.floor(255 * np.arange(steps) / steps)
        up, down, full, zero = ramp, 255 - ramp, np.full(steps, 255.0), np.zeros(steps)
        rows.append({
            "RY": (full, up, zero), "YG": (down, full, zero), "GC": (zero, full, up),
            "CB": (zero, down, full), "BM": (up, zero, full), "MR": (full, zero, down),
        }[name])
    return np.concatenate([np.stack(r, axis=1) for r in rows]).astype(np.uint8)


COLORWHEEL = make_colorwheel()


def flow_to_color(flow, max_flow=None):
    """Flow ``(..., 2)`` (u, v in pixels) -> ``uint8 (..., 3)`` RGB on the Middlebury wheel.

    ``max_flow`` is the wheel's radius in pixels (a vector of that length lands on the rim);
    None uses the largest finite vector in ``flow``, as the published tool does for one image.
    Non-finite vectors are drawn black, as in the published tool's unknown-flow marker.
    """
    flow = np.asarray(flow, dtype=np.float64)
    u, v = flow[..., 0], flow[..., 1]
    finite = np.isfinite(u) & np.isfinite(v)
    u, v = np.where(finite, u, 0.0), np.where(finite, v, 0.0)
    rad = np.hypot(u, v)
    if max_flow is None:
        max_flow = float(rad.max()) if rad.size else 0.0
    rad = rad / max(float(max_flow), np.finfo(np.float64).eps)
    ncols = len(COLORWHEEL)
    angle = np.arctan2(-v, -u) / np.pi  # in [-1, 1]
    fk = (angle + 1) / 2 * (ncols - 1)
    k0 = np.floor(fk).astype(np.int64)
    k1 = (k0 + 1) % ncols
    f = (fk - k0)[..., None]
    wheel = COLORWHEEL.astype(np.float64) / 255.0
    col = (1 - f) * wheel[k0] + f * wheel[k1]
    inside = (rad <= 1)[..., None]
    col = np.where(inside, 1 - rad[..., None] * (1 - col), col * 0.75)
    col = np.where(finite[..., None], col, 0.0)
    return np.floor(255 * col).astype(np.uint8)


def wheel_image(size=256):
    """The colour wheel itself as ``uint8 (size, size, 3)``: pixel (x, y) shows the colour of
    the flow vector pointing from the centre to it; outside the unit disc is white."""
    half = (size - 1) / 2
    ys, xs = np.mgrid[0:size, 0:size]
    flow = np.stack([(xs - half) / half, (ys - half) / half], axis=-1)
    image = flow_to_color(flow, max_flow=1.0)
    image[np.hypot(flow[..., 0], flow[..., 1]) > 1] = 255
    return image
