"""I3D as FVD uses it (Unterthiner et al., "Towards Accurate Generative Models of Video: A New
Metric & Challenges", 2018, Sec. 3): Inflated Inception-v1 (Carreira and Zisserman 2017) trained
on Kinetics-400; FVD compares the 400-d logits.

The network is loaded from the TorchScript file StyleGAN-V's FVD uses (``i3d_torchscript.pt``,
a port of the tf.hub model of the original FVD code), called as StyleGAN-V calls it:
``detector(x, rescale=True, resize=True, return_features=True)`` on float ``(B, 3, T, H, W)``
in 0-255; the file itself rescales to [-1, 1] and resizes to 224x224.
"""

import torch

from ganzoo.errors import GanzooError

CALL = {"rescale": True, "resize": True, "return_features": True}


def load_torchscript(path):
    """A TorchScript I3D detector in eval mode; a file that is not TorchScript fails by name."""
    try:
        detector = torch.jit.load(str(path), map_location="cpu")
    except Exception as exc:  # RuntimeError for zip/pickle archives that are not TorchScript
        raise GanzooError(
            f"weights file {str(path)!r} is not a TorchScript I3D detector (i3d_torchscript.pt): "
            f"{str(exc).strip().splitlines()[0][:160]}"
        ) from None
    return detector.eval()


class TorchScriptI3D(torch.nn.Module):
    """Wraps the detector so that ``forward(x)`` returns ``(B, 400)`` logits, checked."""

    def __init__(self, detector, path):
        super().__init__()
        self.detector = detector
        self.path = str(path)

    def forward(self, x):
        out = self.detector(x, **CALL)
        if out.ndim != 2 or out.shape[1] != 400:
            raise GanzooError(f"detector {self.path!r} returned shape {tuple(out.shape)}, FVD's I3D returns (B, 400)")
        return out
