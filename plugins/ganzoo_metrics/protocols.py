"""The registered metrics: each class is one published protocol, exactly.

Each states its clip choice, resize, crop and normalisation in ``preprocessing`` (recorded in
every score's protocol). Frames are taken from the temporal centre of a longer video
(start = T // 2 - frames // 2, as the G3AN evaluation does), except in StyleGAN-V's FVD
protocols (:class:`StyleGanVFvd`), which follow StyleGAN-V's own clip choice.

Every weights file a metric accepts has its published SHA-256 pinned here where one is known
(:class:`ganzoo.metrics.weights.WeightsFile`); any other file needs ``--allow-unknown-weights``.
"""

from pathlib import Path

import torch

from ganzoo.contracts import to_float
from ganzoo.errors import GanzooError
from ganzoo.metrics.base import FeatureMetric, to_net_float
from ganzoo.metrics.preprocess import centre_clip, centre_crop, resize
from ganzoo.metrics.weights import WeightsFile, load_checkpoint, load_into, unwrap_state_dict

#: StyleGAN-V's FVD detector (src/metrics/frechet_video_distance.py: ``detector_url``). The
#: SHA-256 is the one reported publicly by independent projects that pin this file (51,235,320
#: bytes; e.g. a Hugging Face mirror flateon/FVD-I3D-torchscript and several evaluation scripts).
I3D_TORCHSCRIPT = WeightsFile(
    "i3d_torchscript.pt",
    "StyleGAN-V's FVD detector, https://www.dropbox.com/s/ge9e5ujwgetktms/i3d_torchscript.pt",
    "bec6519f66ea534e953026b4ae2c65553c17bf105611c746d904657e5860a5e2",
)

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
        None,  # no SHA-256 of this Google Drive file is published anywhere we could find
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
    weights_file = I3D_TORCHSCRIPT
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


class StyleGanVFvd(FeatureMetric):
    """StyleGAN-V's FVD protocols (Skorokhodov et al., CVPR 2022; universome/stylegan-v,
    ``src/metrics/metric_main.py``, ``frechet_video_distance.py``, ``metric_utils.py``,
    ``training/dataset.py``), under StyleGAN-V's names and with its meaning:

    - ``videos`` videos per set (2048: ``max_real=2048, num_gen=2048``); real videos are the
      first ones in the set's order (folders by name, as its dataset sorts them), videos shorter
      than ``frames * subsample`` frames are left out (``discard_short_videos=True``);
    - from each real video, ``frames`` frames every ``subsample``-th from a random offset drawn
      uniformly from 0 .. ``length - frames * subsample + subsample - 1``
      (``load_n_consecutive_random_offset``); ganzoo draws it from the eval seed and the
      video's index (StyleGAN-V's ``random.randint`` is unseeded), so a score repeats;
    - generated videos are made from time 0: frames 0, s, 2s, ... (``t = range(0, frames * s, s)``);
    - the detector is the TorchScript I3D ``i3d_torchscript.pt`` called as
      ``detector(x, rescale=True, resize=True, return_features=True)`` on ``(B, 3, T, H, W)``
      videos of 0-255 values: the file maps them to [-1, 1] and resizes to 224x224 itself;
      FVD is the Frechet distance of its 400-d outputs (StyleGAN-V keeps float32 sums in
      float64, as ganzoo does).
    """

    kind = "frechet"
    resolution = 224
    subsample = 1
    clip_choice = "random"
    network = FvdI3D.network
    weights_file = I3D_TORCHSCRIPT

    @property
    def window(self):
        return (self.frames - 1) * self.subsample + 1

    @property
    def min_frames(self):
        return self.frames * self.subsample

    @property
    def preprocessing(self):
        every = f" every {self.subsample}th frame" if self.subsample > 1 else " consecutive frames"
        return (f"StyleGAN-V {self.name}: {self.frames}{every} (a {self.window}-frame window) from each video; real clips "
                f"from a seeded random offset, videos under {self.min_frames} frames left out; generated from frame 0; "
                f"no spatial change here; float 0-255 to the detector with rescale=True, resize=True, return_features=True")

    def protocol(self):
        from ganzoo_metrics.i3d import CALL

        own = super().protocol()
        return {**own, "stylegan_v_metric": self.name, "videos": self.videos, "subsample": self.subsample,
                "window": self.window, "min_video_frames": self.min_frames, "detector_call": dict(CALL),
                "detector_sha256": own["weights"]["sha256"],
                "clips": ("real: first videos in set order, those shorter than min_video_frames left out, frames "
                          "offset + subsample * k from an offset uniform in 0 .. length - window (seed + video index); "
                          "generated: frames 0, subsample, ... from time 0")}

    def build(self, path):
        from ganzoo_metrics.i3d import TorchScriptI3D, load_torchscript

        return TorchScriptI3D(load_torchscript(path), path)

    def prepare(self, video):
        if video.shape[2] < self.window:
            raise GanzooError(f"{self.name} needs {self.window}-frame windows, got {video.shape[2]} frames")
        return video[:, :, :self.window:self.subsample]

    def embed(self, net, clips):
        return net(clips.float())


class Fvd2048_16f(StyleGanVFvd):
    """StyleGAN-V's fvd2048_16f: FVD of 2048 videos, 16 consecutive frames each."""

    name = "fvd2048_16f"
    frames = 16


class Fvd2048_128f(StyleGanVFvd):
    """StyleGAN-V's fvd2048_128f: FVD of 2048 videos, 128 consecutive frames each."""

    name = "fvd2048_128f"
    frames = 128


class Fvd2048_128f_subsample8f(StyleGanVFvd):
    """StyleGAN-V's fvd2048_128f_subsample8f: FVD of 2048 videos, 16 frames each taken every 8th
    frame of a 128-frame span (frames 0, 8, ..., 120 of a window)."""

    name = "fvd2048_128f_subsample8f"
    frames = 16
    subsample = 8


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
        None,  # a conversion each user makes: no published file, so no published SHA-256
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


class FidFrames(FeatureMetric):
    """Per-frame image FID: every frame of each video's 16-frame clip is an image, scored with
    Inception-v3 as pytorch-fid and clean-fid use it (the TF FID graph's 2048-d pool features),
    so a video model's frames compare with image-model FIDs and with StyleGAN-V's per-frame FID."""

    name = "fid-frames"
    kind = "frechet"
    frames = 16
    resolution = 299
    network = "Inception-v3, the 2015-12-05 TF FID graph as pytorch-fid ports it; 2048-d pool3 features of every frame"
    weights_file = WeightsFile(
        "pt_inception-2015-12-05-6726825d.pth",
        "pytorch-fid's release, https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
        "pt_inception-2015-12-05-6726825d.pth (also torch-fidelity's weights-inception-2015-12-05-6726825d.pth)",
        # reported publicly for both copies, 95,628,359 bytes; its first 8 hex digits are the
        # 6726825d in the name (torch.hub's convention)
        "6726825d0af5f729cebd5821db510b11b1cfad8faad88a03f1befd49fb9129b2",
    )
    preprocessing = (
        "16 frames from the temporal centre; each frame an image: RGB 0-255 / 255, resized to 299x299 (bilinear, "
        "align_corners=False, no antialias), scaled to [-1, 1] (pytorch-fid); statistics over all frames of all videos"
    )

    def build(self, path):
        from ganzoo_metrics.inception import FidInceptionV3

        net = FidInceptionV3()
        load_into(net.net, unwrap_state_dict(load_checkpoint(path), path), path, "FID Inception-v3")
        return net

    def prepare(self, video):
        return centre_clip(video, self.frames)

    def embed(self, net, clips):
        images = clips.transpose(1, 2).flatten(0, 1).float() / 255  # (B*T, 3, H, W)
        return net(images)


class FidShapes(FeatureMetric):
    """Offline metric: Frechet distance of the shipped shapes network's 128-d features."""

    name = "fid-shapes"
    kind = "frechet"
    frames = 16
    resolution = 64
    network = "ganzoo ShapesNet (3D CNN trained on moving-shapes, train_shapes_net.py); 128-d pooled features"
    weights_file = WeightsFile(
        "shapes_net.pt", "ships with ganzoo (plugins/ganzoo_metrics/shapes_net.pt)",
        "707a59caa1ebff8afc8834b1be2765c2e6ea231bb49a14823a8883a80a5a7b68",
    )
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


METRICS = (FidResNeXt101, KvdResNeXt101, FvdI3D, KvdI3D, Fvd2048_16f, Fvd2048_128f, Fvd2048_128f_subsample8f, IsC3D,
           FidFrames, FidShapes, FvdShapes, KvdShapes)
