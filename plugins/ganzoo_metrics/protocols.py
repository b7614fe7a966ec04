"""The registered metrics: each class is one published protocol, exactly.

Each states its clip choice, resize, crop and normalisation in ``preprocessing`` (recorded in
every score's protocol). Frames are always taken from the temporal centre of a longer video
(start = T // 2 - frames // 2, as the G3AN evaluation does).
"""

from pathlib import Path

import torch

from ganzoo.contracts import to_float
from ganzoo.errors import GanzooError
from ganzoo.metrics.base import FeatureMetric, to_net_float
from ganzoo.metrics.preprocess import centre_clip, centre_crop, resize
from ganzoo.metrics.weights import WeightsFile, load_checkpoint, load_into, unwrap_state_dict

KINETICS_MEAN = (114.7748, 107.7354, 99.4750)  # RGB, 0-255: the G3AN evaluation's ClipNormalize


class FidResNeXt101(FeatureMetric):
    """The InMoDeGAN paper's video FID (Sec. 4.1): Frechet distance of 3D ResNeXt-101 features."""

    name = "fid-resnext101"
    kind = "frechet"
    frames = 16
    resolution = 112
    network = "3D ResNeXt-101 (Hara et al. CVPR 2018), cardinality 32, shortcut B, Kinetics-400; 2048-d pooled features before fc"
    weights_file = WeightsFile(
        "resnext-101-kinetics.pth",
        "the Kinetics models of https://github.com/kenshohara/3D-ResNets-PyTorch (CVPR2018 branch README, Google Drive folder)",
        None,
    )
    preprocessing = (
        "16 frames from the temporal centre; every frame resized to 112x112 (bilinear, antialiased, aspect not kept, "
        "as torchvision Resize((112, 112)) on PIL frames in the G3AN evaluation), rounded to uint8; "
        "RGB 0-255 minus mean [114.7748, 107.7354, 99.4750], no std division"
    )

    def build(self, path):
        from ganzoo_metrics.resnext import ResNeXt3D

        net = ResNeXt3D()
        net = load_into(net, unwrap_state_dict(load_checkpoint(path), path), path, "3D ResNeXt-101")
        return net.for_inference()  # batch norm folded, channels-last: speed only (issue 17.2)

    def prepare(self, video):
        return resize(centre_clip(video, self.frames), (self.resolution, self.resolution), "bilinear")

    def embed(self, net, clips):
        return net(to_net_float(clips, KINETICS_MEAN))


class KvdResNeXt101(FidResNeXt101):
    """Kernel (unbiased polynomial MMD) distance on the same ResNeXt-101 features."""

    name = "kvd-resnext101"
    kind = "kernel"


class FvdI3D(FeatureMetric):
    """FVD (Unterthiner et al. 2018): Frechet distance of I3D logits, StyleGAN-V's detector."""

    name = "fvd-i3d"
    kind = "frechet"
    frames = 16
    resolution = 224
    network = "I3D (Carreira & Zisserman 2017), Kinetics-400, TorchScript port of the FVD tf.hub model (StyleGAN-V); 400-d logits"
    weights_file = WeightsFile(
        "i3d_torchscript.pt",
        "StyleGAN-V's FVD detector, https://www.dropbox.com/s/ge9e5ujwgetktms/i3d_torchscript.pt",
        None,
    )
    preprocessing = (
        "16 consecutive frames from the temporal centre, no spatial change here; float 0-255 given to the detector "
        "with rescale=True, resize=True, return_features=True, which maps to [-1, 1] and resizes to 224x224 itself"
    )

    def build(self, path):
        from ganzoo_metrics.i3d import TorchScriptI3D, load_torchscript

        return TorchScriptI3D(load_torchscript(path), path)

    def prepare(self, video):
        return centre_clip(video, self.frames)

    def embed(self, net, clips):
        return net(clips.float())


class KvdI3D(FvdI3D):
    """Kernel video distance (KVD) on the same I3D logits."""

    name = "kvd-i3d"
    kind = "kernel"


class IsC3D(FeatureMetric):
    """TGAN's video Inception Score (Saito et al. 2017, Sec. 5; InMoDeGAN Tab. 7) with C3D
    fine-tuned on UCF101: IS of the generated set, mean and std over 10 splits."""

    name = "is-c3d"
    kind = "inception"
    frames = 16
    resolution = 112
    splits = 10
    network = "C3D (Tran et al. ICCV 2015) fine-tuned on UCF101 (TGAN); 101-class softmax"
    weights_file = WeightsFile(
        "c3d_ucf101.pt",
        "TGAN's C3D fine-tuned on UCF101 (pfnet-research/tgan, the c3d_ft model) converted to a PyTorch state dict "
        "with Caffe layer names (conv1a.weight ... fc8.bias) and the BGR training mean under key 'mean' "
        "((3,) or (3, 16, 128, 171))",
        None,
    )
    preprocessing = (
        "16 frames from the temporal centre; every frame resized to 128x171 (bicubic, antialiased, rounded to uint8); "
        "RGB -> BGR; minus the file's BGR training mean (per channel, or the (3, 16, 128, 171) mean volume); "
        "centre crop 112x112 (rows 8:120, columns 29:141); softmax over 101 classes"
    )

    def build(self, path):
        from ganzoo_metrics.c3d import C3D, rename_aliases

        checkpoint = load_checkpoint(path)
        mean = checkpoint.get("mean") if isinstance(checkpoint, dict) else None
        state = checkpoint.get("state_dict", checkpoint) if isinstance(checkpoint, dict) else checkpoint
        if isinstance(state, dict) and "mean" in state:
            state = dict(state)
            mean = state.pop("mean")
        if mean is None:
            raise GanzooError(
                f"weights file {str(path)!r} has no 'mean' entry: is-c3d subtracts the C3D training mean (BGR) "
                f"stored with the weights as 'mean', shape (3,) or (3, 16, 128, 171)"
            )
        mean = torch.as_tensor(mean, dtype=torch.float32)
        if tuple(mean.shape) == (3,):
            mean = mean.view(3, 1, 1, 1)
        elif tuple(mean.shape) != (3, 16, 128, 171):
            raise GanzooError(f"weights file {str(path)!r}: 'mean' has shape {tuple(mean.shape)}, expected (3,) or (3, 16, 128, 171)")
        state = rename_aliases(unwrap_state_dict(state, path))
        classes = state["fc8.weight"].shape[0] if "fc8.weight" in state else 101
        if classes != 101:
            raise GanzooError(f"weights file {str(path)!r}: fc8 has {classes} classes, the UCF101 C3D has 101")
        net = load_into(C3D(classes=101), state, path, "C3D")
        net.register_buffer("bgr_mean", mean, persistent=False)
        return net

    def prepare(self, video):
        return resize(centre_clip(video, self.frames), (128, 171), "bicubic")

    def embed(self, net, clips):
        x = clips.float().flip(1) - net.bgr_mean  # RGB -> BGR, minus the training mean
        x = centre_crop(x, (112, 112))
        return torch.softmax(net(x), dim=1)


class FidShapes(FeatureMetric):
    """Offline metric: Frechet distance of the shipped shapes network's 128-d features."""

    name = "fid-shapes"
    kind = "frechet"
    frames = 16
    resolution = 64
    network = "ganzoo ShapesNet (3D CNN trained on moving-shapes, train_shapes_net.py); 128-d pooled features"
    preprocessing = (
        "16 frames from the temporal centre; every frame resized to 64x64 (bilinear, antialiased, aspect not kept), "
        "rounded to uint8; scaled to [-1, 1]"
    )

    def default_weights(self):
        return Path(__file__).with_name("shapes_net.pt")

    def build(self, path):
        from ganzoo_metrics.shapes_net import ShapesNet

        return load_into(ShapesNet(), unwrap_state_dict(load_checkpoint(path), path), path, "ShapesNet")

    def prepare(self, video):
        return resize(centre_clip(video, self.frames), (self.resolution, self.resolution), "bilinear")

    def embed(self, net, clips):
        return net(to_float(clips))


class FvdShapes(FidShapes):
    """Offline FVD analogue: Frechet distance of the shapes network's 11 outputs (its "logits":
    motion amplitudes and colour statistics), as FVD compares I3D logits."""

    name = "fvd-shapes"
    network = "ganzoo ShapesNet (3D CNN trained on moving-shapes, train_shapes_net.py); 11-d outputs (motion factors, colour moments)"

    def embed(self, net, clips):
        return net.outputs(to_float(clips))


class KvdShapes(FidShapes):
    """Offline kernel distance on the shapes network's 128-d features."""

    name = "kvd-shapes"
    kind = "kernel"


METRICS = (FidResNeXt101, KvdResNeXt101, FvdI3D, KvdI3D, IsC3D, FidShapes, FvdShapes, KvdShapes)
