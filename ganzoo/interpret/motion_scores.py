"""phi_i / Phi (Eq. 6-7) of whole batches of videos, over the whole frame and per mask region:
the one place where videos -> flow -> scores happens for every analysis."""

import numpy as np
import torch

from ganzoo.contracts import to_uint8
from ganzoo.interpret.flow import get_method, video_flow
from ganzoo.interpret.masks import masks_for
from ganzoo.interpret.regions import N_REGIONS, READINGS, check_normalize, default_max_flow, phi

FRAME = "frame"  # the name of the whole-frame area


class MotionScorer:
    """Scores videos with one flow method, one wheel radius H, one mask provider and one
    reading of Eq. 6-7 (``normalize``, see :mod:`ganzoo.interpret.regions`), so that every
    video of an analysis is read on the same wheel and its protocol says which reading."""

    def __init__(self, method="farneback", max_flow=None, masks=None, normalize="region"):
        self.method_name = method
        self.estimate = get_method(method)
        self.max_flow = max_flow
        self.provider = masks
        self.normalize = check_normalize(normalize)

    def radius(self, width):
        return float(self.max_flow) if self.max_flow else default_max_flow(width)

    def protocol(self, width):
        return {"flow_method": self.method_name, "max_flow_px": self.radius(width),
                "masks": getattr(self.provider, "__name__", None) if self.provider else None,
                "normalize": self.normalize, "reading": READINGS[self.normalize]}

    def score(self, videos):
        """``(B, 3, T, H, W)`` float in [-1, 1] or uint8 -> list (one per video) of
        {area: {"phi": [4 floats], "Phi": float}} with area ``"frame"`` and each mask region,
        plus the flows ``float32 (B, T-1, H, W, 2)``."""
        videos = torch.as_tensor(videos)
        uint8 = videos if videos.dtype == torch.uint8 else to_uint8(videos.float())
        radius = self.radius(uint8.shape[-1])
        region_masks = masks_for(self.provider, uint8)
        flows, scores = [], []
        for b, video in enumerate(uint8):
            field = video_flow(video, self.estimate)
            flows.append(field)
            areas = {FRAME: None, **{name: m[b] for name, m in region_masks.items()}}
            row = {}
            for area, mask in areas.items():
                values, total = phi(field, radius, mask=mask, normalize=self.normalize)
                row[area] = {"phi": values.tolist(), "Phi": total}
            scores.append(row)
        return scores, np.stack(flows)


class ScoreMean:
    """Running mean of scores over videos, per area."""

    def __init__(self):
        self.sums, self.count = {}, 0

    def add(self, scores):
        for row in scores:
            for area, value in row.items():
                acc = self.sums.setdefault(area, np.zeros(N_REGIONS + 1))
                acc[:N_REGIONS] += value["phi"]
                acc[N_REGIONS] += value["Phi"]
            self.count += 1

    def mean(self):
        """{area: {"phi": [4], "Phi": float}} averaged over the videos added."""
        return {area: {"phi": (acc[:N_REGIONS] / self.count).tolist(), "Phi": float(acc[N_REGIONS] / self.count)}
                for area, acc in self.sums.items()}
