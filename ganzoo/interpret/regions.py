"""The four regions of the flow colour wheel and the motion scores phi_i / Phi
(InMoDeGAN Sec. 4.3, Fig. 5, Eq. 6-7).

Regions. The wheel is cut into quadrants by its horizontal and vertical axes and numbered in
reading order of the wheel image (x right, y down), so that opposite motions have the
numbers Sec. 4.3 pairs up (R0/R3 and R1/R2 are opposite)::

    R0 | R1        R0: moving left and up      (u < 0, v < 0)
    ---+---        R1: moving right and up     (u >= 0, v < 0)
    R2 | R3        R2: moving left and down    (u < 0, v >= 0)
                   R3: moving right and down   (u >= 0, v >= 0)

A vector on an axis belongs to the quadrant the ``>=`` above gives it (``region_of`` puts the
zero vector in R3; the scores below do not, see "zero vectors").

Scores. Every pixel x_{t,j} of the flow video sits on the wheel at distance |f| from its
centre; lambda = |f| / H is that distance over the wheel's radius H. With
``normalize="region"`` (the default, the paper's text):

- Eq. 6: phi_i = (1 / N_i) * sum_t sum_j lambda(x_{t,j}) 1_{R_i}(x_{t,j}): the MEAN lambda of
  the pixels whose vector falls in R_i: how strong the motion in R_i is where it happens;
- Eq. 7: Phi = (1 / N) * sum_t sum_j lambda(x_{t,j}): the mean lambda over all N pixels, so
  Phi = sum_i N_i phi_i / N, not sum_i phi_i.

How N and N_i count, as read from the text: "an optical flow video which contains N color
pixels in total" and "N_i denotes the total number of color pixels in R_i", and the sums
over t and j both sit inside the single 1/N_i. So both are pooled over the whole flow video
(every frame pair together), not counted per frame pair and then averaged: a frame pair
with more pixels in R_i weighs more in phi_i. With a region mask (head, mouth, foreground) N and N_i count only
the masked pixels, frame pair by frame pair (a per-frame mask may change size).

Zero vectors (lambda = 0) have no direction: on the wheel they are its white centre, the
corner all four quadrants share, not a colour of any R_i. They count into N (they are pixels
of the video, and Phi must fall when part of it stops moving, which Tab. 5 measures) but
into no N_i: otherwise every still background pixel would join R3 through the ``>=`` rule and
drag phi_3 alone towards 0. Only exact zeros are left out; any non-zero vector, however
small, has a direction and counts. A region with no pixels (N_i = 0) scores phi_i = 0, and an
empty mask (N = 0) scores 0 everywhere.

``normalize="area"`` keeps the earlier reading of this module: phi_i = (sum of lambda over
the pixels in R_i) / |P| per frame pair, |P| the analysed area (the whole frame or the mask),
averaged over the frame pairs; Phi = sum_i phi_i. There phi_i mixes how much of the area
moves in R_i with how fast (closer to the text's "a frequent and strong appearance of
motion associated to R_i", but not its 1/N_i); it is kept for results made with it and for
comparison.

Choices the paper leaves open, written down here:
- H is one fixed radius for every video analysed together (``max_flow`` pixels per frame;
  default 1/16 of the frame width), not the per-image maximum of the Middlebury tool:
  with a per-image radius a video's scores could not fall when a direction is switched off,
  which is what Tab. 4/5 measure.
- lambda is clipped at 1 (a vector beyond the rim sits on the rim: the wheel has no
  outside); ``clip=False`` keeps the raw ratio.
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


#: the readings of Eq. 6-7 ``phi`` offers, each with the line a protocol records (see module doc)
READINGS = {
    "region": "Eq. 6-7 as printed: phi_i = mean lambda of the pixels in R_i (zero vectors in no R_i), "
              "Phi = mean lambda of all pixels; both pooled over the frame pairs",
    "area": "phi_i = lambda summed over R_i / analysed area, per frame pair then averaged; Phi = sum_i phi_i",
}


def check_normalize(normalize):
    """``normalize`` if it names a reading of Eq. 6-7, else a one-line error."""
    if normalize not in READINGS:
        raise GanzooError(f"normalize must be one of {', '.join(map(repr, READINGS))} "
                          f"('region' is the paper's Eq. 6-7), got {normalize!r}")
    return normalize


def _fit_mask(mask, frames, height, width):
    """A bool mask ``(H, W)``, ``(F, H, W)`` or ``(F + 1, H, W)`` -> ``(F, H, W)``; None: every pixel."""
    if mask is None:
        return np.ones((frames, height, width), dtype=bool)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape == (height, width):
        mask = np.broadcast_to(mask, (frames, height, width))
    elif mask.ndim == 3 and mask.shape[0] == frames + 1:
        mask = mask[:frames]
    if mask.shape != (frames, height, width):
        raise GanzooError(f"region mask of shape {tuple(mask.shape)} does not fit flow of shape "
                          f"{(frames, height, width, 2)}; give (H, W), (F, H, W) or (F + 1, H, W)")
    return mask


def _mean(total, count):
    return float(total / count) if count > 0 else 0.0


def _phi_region(flow, lam, region, mask):
    """Eq. 6-7 as printed: means over N_i and N, pooled over the whole video (module doc)."""
    moving = mask & np.any(flow != 0, axis=-1)  # zero vectors: in N, in no N_i
    values = np.array([_mean(lam[moving & (region == i)].sum(), np.count_nonzero(moving & (region == i)))
                       for i in range(N_REGIONS)])
    return values, _mean(lam[mask].sum(), np.count_nonzero(mask))


def _phi_area(lam, region, mask):
    """The earlier reading: lambda in R_i over the analysed area, per frame pair, averaged."""
    frames = lam.shape[0]
    lam = lam * mask
    area = mask.reshape(frames, -1).sum(1)  # |P| per frame pair
    values = np.zeros(N_REGIONS)
    for i in range(N_REGIONS):
        per_pair = (lam * (region == i)).reshape(frames, -1).sum(1)
        values[i] = np.mean(np.divide(per_pair, area, out=np.zeros_like(per_pair), where=area > 0))
    return values, float(values.sum())


def phi(flow, max_flow, mask=None, clip=True, normalize="region"):
    """phi_i of Eq. 6 and Phi of Eq. 7 for one video (Sec. 4.3).

    ``flow``: float ``(F, H, W, 2)`` (F frame pairs); ``mask``: optional bool ``(H, W)`` or
    ``(F, H, W)`` (or ``(F + 1, H, W)``: per-frame masks, the first F are used) selecting the
    pixels that N and N_i count. ``normalize``: ``"region"`` (the paper) or ``"area"`` (the
    earlier reading), see the module doc. Returns ``(phi (4,), Phi)``; an empty region or
    mask scores 0.
    """
    check_normalize(normalize)
    flow = np.asarray(flow, dtype=np.float64)
    if flow.ndim != 4 or flow.shape[-1] != 2:
        raise GanzooError(f"flow must be (frame pairs, H, W, 2), got shape {tuple(flow.shape)}")
    mask = _fit_mask(mask, *flow.shape[:3])
    lam = lambda_of(flow, max_flow, clip=clip)
    region = region_of(flow)
    if normalize == "area":
        return _phi_area(lam, region, mask)
    return _phi_region(flow, lam, region, mask)


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
