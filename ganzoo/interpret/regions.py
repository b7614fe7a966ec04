"""The four regions of the flow colour wheel and the motion scores phi_i / Phi
(InMoDeGAN Sec. 4.3, Fig. 5, Eq. 6-7).

Regions. The wheel is cut into quadrants by its horizontal and vertical axes and numbered in
reading order of the wheel image (x right, y down), so that opposite motions have the
numbers Sec. 4.3 pairs up (R0/R3 and R1/R2 are opposite)::

    R0 | R1        R0: moving left and up      (u < 0, v < 0)
    ---+---        R1: moving right and up     (u >= 0, v < 0)
    R2 | R3        R2: moving left and down    (u < 0, v >= 0)
                   R3: moving right and down   (u >= 0, v >= 0)

A vector on an axis belongs to the quadrant the ``>=`` above gives it; a zero vector has
lambda = 0 and adds nothing wherever it is counted.

Scores. Every pixel p of a flow map sits on the wheel at distance |f_p| from its centre;
lambda_p = |f_p| / H is that distance over the wheel's radius H. Eq. 6 (as read here):
phi_i = (1 / |P|) * sum over pixels p of the analysed area P whose vector falls in R_i of
lambda_p, averaged over the frame pairs of the video; Eq. 7: Phi = sum_i phi_i, the whole
motion of the area. A uniform flow of length m in one quadrant therefore gives
phi_i = m / H there and 0 elsewhere.

Choices the paper leaves open, written down here:
- H is one fixed radius for every video analysed together (``max_flow`` pixels per frame;
  default 1/16 of the frame width), not the per-image maximum of the Middlebury tool:
  with a per-image radius a video's scores could not fall when a direction is switched off,
  which is what Tab. 4/5 measure.
- lambda is clipped at 1 (a vector beyond the rim sits on the rim: the wheel has no
  outside); ``clip=False`` keeps the raw ratio.
- P is the whole frame, or a region mask (mouth, head, a shape) when one is given, with
  |P| the mask's area in every frame pair.
"""

import numpy as np

from ganzoo.errors import GanzooError

N_REGIONS = 4
REGION_NAMES = ("R0", "R1", "R2", "R3")
REGION_MEANING = ("left-up", "right-up", "left-down", "right-down")
#: each region's opposite, as Sec. 4.3 pairs them
OPPOSITE = (3, 2, 1, 0)


def default_max_flow(width):
    """The wheel radius H in pixels per frame when none is given: 1/16 of the frame width."""
    return width / 16.0


def region_of(flow):
    """Flow ``(..., 2)`` (u, v) -> region number ``int64 (...)`` in 0..3 (see module doc)."""
    flow = np.asarray(flow)
    right = flow[..., 0] >= 0
    down = flow[..., 1] >= 0
    return right.astype(np.int64) + 2 * down.astype(np.int64)


def lambda_of(flow, max_flow, clip=True):
    """Flow ``(..., 2)`` -> lambda ``(...)`` = distance to the wheel centre / radius H."""
    if not max_flow or max_flow <= 0:
        raise GanzooError(f"the colour-wheel radius max_flow must be > 0 pixels, got {max_flow!r}")
    lam = np.hypot(flow[..., 0], flow[..., 1]) / float(max_flow)
    return np.minimum(lam, 1.0) if clip else lam


def phi(flow, max_flow, mask=None, clip=True):
    """phi_i of Eq. 6 and Phi of Eq. 7 for one video.

    ``flow``: float ``(F, H, W, 2)`` (F frame pairs); ``mask``: optional bool ``(H, W)`` or
    ``(F, H, W)`` (or ``(F + 1, H, W)``: per-frame masks, the first F are used) selecting the
    analysed area. Returns ``(phi (4,), Phi)``; an empty mask scores 0 everywhere.
    """
    flow = np.asarray(flow, dtype=np.float64)
    if flow.ndim != 4 or flow.shape[-1] != 2:
        raise GanzooError(f"flow must be (frame pairs, H, W, 2), got shape {tuple(flow.shape)}")
    frames, height, width = flow.shape[:3]
    if mask is None:
        mask = np.ones((frames, height, width), dtype=bool)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape == (height, width):
        mask = np.broadcast_to(mask, (frames, height, width))
    elif mask.ndim == 3 and mask.shape[0] == frames + 1:
        mask = mask[:frames]
    if mask.shape != (frames, height, width):
        raise GanzooError(f"region mask of shape {tuple(mask.shape)} does not fit flow of shape {tuple(flow.shape)}")
    lam = lambda_of(flow, max_flow, clip=clip) * mask
    region = region_of(flow)
    area = mask.reshape(frames, -1).sum(1)  # |P| per frame pair
    values = np.zeros(N_REGIONS)
    for i in range(N_REGIONS):
        per_pair = (lam * (region == i)).reshape(frames, -1).sum(1)
        values[i] = np.mean(np.divide(per_pair, area, out=np.zeros_like(per_pair), where=area > 0))
    return values, float(values.sum())


def draw_regions(path, size=320):
    """Save the colour wheel with its region numbering R0..R3 as a PNG (the key to Fig. 5)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ganzoo.interpret.colorwheel import wheel_image

    fig, ax = plt.subplots(figsize=(4, 4), dpi=size / 4)
    ax.imshow(wheel_image(size), extent=(-1, 1, 1, -1))  # y down, as in an image
    ax.axhline(0, color="black", lw=1.5)
    ax.axvline(0, color="black", lw=1.5)
    for i, name in enumerate(REGION_NAMES):
        x = 0.5 if i % 2 else -0.5
        y = 0.5 if i >= 2 else -0.5
        ax.text(x, y, f"{name}\n{REGION_MEANING[i]}", ha="center", va="center", fontsize=12,
                fontweight="bold", color="black")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(1.05, -1.05)
    ax.set_title("flow colour wheel (Baker et al.), regions of Eq. 6")
    ax.set_xlabel("u (right)")
    ax.set_ylabel("v (down)")
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path
