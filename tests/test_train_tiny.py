"""A tiny model, dataset and plugin for the engine's tests, and the tests of losses/regularizers.

``TINY_PLUGIN`` is the source of a plugin module: tests register it in-process, and
subprocess tests (SIGKILL, torchrun) install it as a real distribution on PYTHONPATH.
"""

import importlib.util
import sys
import textwrap

import pytest
import torch
from torch import nn
from ganzoo.errors import ConfigError

TINY_PLUGIN = textwrap.dedent('''
    """Tiny nets for engine tests: 4 frames of 8x8, a few thousand parameters."""
    import torch
    from torch import nn

    import ganzoo
    from ganzoo.contracts import (Discriminator, DiscriminatorRole, Generator, ModelSpec, NetSpec,
                                  OptimizerSpec, RegularizerSpec, VideoDataset)


    class TinyG(Generator):
        def __init__(self, frames=4, resolution=8, z=8, width=8):
            super().__init__()
            self.frames, self.resolution, self.z = frames, resolution, z
            self.fc = nn.Linear(2 * z, width * 16)
            self.conv = nn.Sequential(nn.Upsample(scale_factor=resolution // 4), nn.Conv2d(width, width, 3, padding=1),
                                      nn.BatchNorm2d(width), nn.LeakyReLU(0.2), nn.Conv2d(width, 3, 3, padding=1), nn.Tanh())
            self.width = width

        def make_latent(self, batch, frames=None, generator=None):
            frames = self.check_frames(frames)
            return {"content": self.randn(batch, self.z, generator=generator),
                    "motion": self.randn(batch, frames, self.z, generator=generator)}

        def forward(self, latent):
            c, m = latent["content"], latent["motion"]
            b, t = m.shape[:2]
            x = torch.cat([c[:, None].expand(-1, t, -1), m], 2).reshape(b * t, -1)
            x = self.conv(self.fc(x).view(b * t, self.width, 4, 4))
            return x.view(b, t, 3, self.resolution, self.resolution).transpose(1, 2)


    class TinyVideoD(Discriminator):
        consumes = "video"

        def __init__(self, frames=4, resolution=8, channels=3, width=8, speeds=None):
            super().__init__()
            self.conv = nn.Sequential(nn.Conv3d(channels, width, 3, stride=2, padding=1), nn.LeakyReLU(0.2))
            self.heads = nn.ModuleList(nn.Linear(width, 1) for _ in (speeds or [1]))

        @classmethod
        def check(cls, frames, resolution, channels=3, **kwargs):
            if frames < 2:
                raise ganzoo.errors.IncompatibleError(f"TinyVideoD needs >= 2 frames, got {frames}")

        def forward(self, video):
            x = self.conv(video).mean((2, 3, 4))
            logits = [h(x).squeeze(1) for h in self.heads]
            return logits if len(logits) > 1 else logits[0]


    class TinyFrameD(Discriminator):
        consumes = "frame"

        def __init__(self, frames=4, resolution=8, channels=3, width=8, frames_per_video=1):
            super().__init__()
            self.frames_per_video = frames_per_video
            self.net = nn.Sequential(nn.Conv2d(channels, width, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
                                     nn.Flatten(), nn.Linear(width * (resolution // 2) ** 2, 1))

        def forward(self, frames):
            assert frames.dim() == 4, frames.shape
            return self.net(frames).squeeze(1)


    class TinyClips(VideoDataset):
        """Deterministic uint8 clips: a bright square moving right over noise."""

        def __init__(self, root=None, frames=4, resolution=8, size=16, seed=0):
            self.frames, self.resolution, self.size, self.seed = frames, resolution, size, seed

        def __len__(self):
            return self.size

        def __getitem__(self, i):
            g = torch.Generator().manual_seed(self.seed * 1000 + i)
            clip = torch.randint(0, 60, (3, self.frames, self.resolution, self.resolution), generator=g, dtype=torch.uint8)
            for t in range(self.frames):
                x = (i + t) % (self.resolution - 2)
                clip[:, t, 2:5, x:x + 3] = 250
            return clip

        @property
        def fingerprint(self):
            return f"tiny-clips-{self.frames}-{self.resolution}-{self.size}-{self.seed}"


    ADAM = OptimizerSpec("adam", 0.002, (0.0, 0.99))


    def tiny_gan():
        return ModelSpec(
            name="tiny-gan", generator=NetSpec("tiny-g", {}),
            discriminators={"image": DiscriminatorRole("tiny-frame-d", {"frames_per_video": 2}, 1.0),
                            "video": DiscriminatorRole("tiny-video-d", {}, 0.5)},
            loss=NetSpec("non-saturating"), optimizers={"generator": ADAM, "discriminators": ADAM},
            regularizers=(RegularizerSpec("r1", {"gamma": 1.0}, "discriminators", 2),),
            frames=4, resolution=8, batch_size=4, iterations=6, ema=0.9,
            video_alternatives={"tiny-video-d": DiscriminatorRole("tiny-video-d", {"speeds": [1, 2]}, 0.5)},
            presets={"tiny": {"iterations": 4}, "small": {"iterations": 8}})


    def tiny_wgan():
        rms = OptimizerSpec("rmsprop", 0.0005)
        return ModelSpec(
            name="tiny-wgan", generator=NetSpec("tiny-g", {}),
            discriminators={"video": DiscriminatorRole("tiny-video-d", {}, 1.0)},
            loss=NetSpec("wgan"), optimizers={"generator": rms, "discriminators": rms},
            regularizers=(RegularizerSpec("singular-value-clip", {"limit": 1.0}, "discriminators", 1),
                          RegularizerSpec("path-length", {"weight": 1.0}, "generator", 2)),
            frames=4, resolution=8, batch_size=4, iterations=4, d_steps=2)


    @ganzoo.hookimpl
    def ganzoo_register_generators(register):
        register("tiny-g", TinyG)


    @ganzoo.hookimpl
    def ganzoo_register_discriminators(register):
        register("tiny-video-d", TinyVideoD)
        register("tiny-frame-d", TinyFrameD)


    @ganzoo.hookimpl
    def ganzoo_register_datasets(register):
        register("tiny-clips", TinyClips)


    @ganzoo.hookimpl
    def ganzoo_register_models(register):
        register("tiny-gan", tiny_gan)
        register("tiny-wgan", tiny_wgan)
''')


def install_tiny_plugin(site):
    """Write the tiny plugin as an installed distribution (dist-info + entry point) into ``site``."""
    (site / "ganzoo_tinytest.py").write_text(TINY_PLUGIN)
    info = site / "ganzoo_tinytest-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ganzoo-tinytest\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[ganzoo]\ntinytest = ganzoo_tinytest\n")
    return site


def tiny_module():
    """The tiny plugin as an in-process module (one per test session)."""
    if "ganzoo_tinytest_inproc" not in sys.modules:
        spec = importlib.util.spec_from_loader("ganzoo_tinytest_inproc", loader=None)
        module = importlib.util.module_from_spec(spec)
        exec(compile(TINY_PLUGIN, "ganzoo_tinytest_inproc", "exec"), module.__dict__)
        sys.modules["ganzoo_tinytest_inproc"] = module
    return sys.modules["ganzoo_tinytest_inproc"]


@pytest.fixture
def tiny(clean_plugins, monkeypatch):
    """Only the engine's plugin and the tiny plugin are loaded."""
    from ganzoo import plugins

    monkeypatch.setenv("GANZOO_PLUGINS", "train")
    plugins.reset()
    plugins.register_plugin(tiny_module(), "tinytest")
    return tiny_module()


# ---------------------------------------------------------------- losses


def test_losses_match_their_formulas():
    from ganzoo.train import losses

    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    sp = torch.nn.functional.softplus
    ns = losses.NonSaturating()
    assert torch.allclose(ns.d_loss(real, fake), sp(-real).mean() + sp(fake).mean())
    assert torch.allclose(ns.g_loss(fake), sp(-fake).mean())
    hinge = losses.Hinge()
    assert torch.allclose(hinge.d_loss(real, fake), torch.tensor((0 + 2) / 2 + (1.5 + 0) / 2))
    assert torch.allclose(hinge.g_loss(fake), torch.tensor(1.25))
    w = losses.Wasserstein()
    assert torch.allclose(w.d_loss(real, fake), fake.mean() - real.mean())
    bce = losses.BinaryCrossEntropy()
    p_real, p_fake = torch.sigmoid(real), torch.sigmoid(fake)
    expected = -(p_real.log().mean() + (1 - p_fake).log().mean())
    assert torch.allclose(bce.d_loss(real, fake), expected, atol=1e-6)
    assert torch.allclose(bce.g_loss(fake), -p_fake.log().mean(), atol=1e-6)
    smooth = losses.BinaryCrossEntropy(real_label=0.9)
    assert smooth.d_loss(real, fake) > bce.d_loss(real, fake) - 1  # runs, and differs:
    assert not torch.allclose(smooth.d_loss(real, fake), bce.d_loss(real, fake))


def test_losses_and_regularizers_are_registered_by_name(clean_plugins):
    from ganzoo import registry

    assert {"non-saturating", "hinge", "wgan", "bce"} <= set(registry.get_registry("losses").names())
    assert {"r1", "weight-clip", "singular-value-clip", "path-length"} <= set(registry.get_registry("regularizers").names())
    assert registry.get("losses", "non-saturating").plugin == "train"


# ---------------------------------------------------------------- regularizers


def test_r1_is_half_gamma_squared_input_gradient_per_logit_or_of_their_sum():
    from ganzoo.train.regularizers import R1

    x = torch.randn(3, 5, requires_grad=True)
    w = torch.randn(5)
    logits = [x @ w, 2 * (x @ w)]  # TPD-like list on shared inputs: gradients w and 2w per sample
    each = R1(gamma=4.0).penalty(None, x, logits)
    assert torch.allclose(each, 2.0 * (1 + 4) * w.square().sum(), rtol=1e-5)  # ||w||^2 + ||2w||^2
    summed = R1(gamma=4.0, outputs="sum").penalty(None, x, logits)
    assert torch.allclose(summed, 2.0 * (3 * w).square().sum(), rtol=1e-5)  # ||3w||^2: cross term 2<w, 2w>
    assert torch.allclose(R1(gamma=4.0).penalty(None, x, x @ w), R1(4.0, "sum").penalty(None, x, x @ w))
    with pytest.raises(ConfigError, match="outputs must be one of each, sum, not 'mean'"):
        R1(outputs="mean")
    net = nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 1))
    inputs = torch.randn(3, 5, requires_grad=True)
    R1(gamma=1.0).penalty(net, inputs, net(inputs).squeeze(1)).backward()  # double backward reaches D
    assert net[0].weight.grad is not None and net[0].weight.grad.abs().sum() > 0


def test_weight_clip_clamps_every_parameter():
    from ganzoo.train.regularizers import WeightClip

    net = nn.Linear(4, 4)
    with torch.no_grad():
        net.weight.mul_(100)
    WeightClip(limit=0.01).apply(net)
    assert net.weight.abs().max() <= 0.01 and net.bias.abs().max() <= 0.01


def test_singular_value_clip_bounds_every_layer_as_reshaped_in_tgan():
    from ganzoo.train.regularizers import SingularValueClip

    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv3d(3, 6, 3), nn.BatchNorm3d(6), nn.ConvTranspose2d(4, 5, 4), nn.Linear(7, 3))
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(20)
        net[1].running_var.fill_(0.25)
    SingularValueClip(limit=1.0).apply(net)
    conv = torch.linalg.svdvals(net[0].weight.reshape(6, -1))
    deconv = torch.linalg.svdvals(net[2].weight.transpose(0, 1).reshape(5, -1))
    linear = torch.linalg.svdvals(net[3].weight)
    for s in (conv, deconv, linear):
        assert s.max() <= 1.0 + 1e-5 and s.max() >= 1.0 - 1e-5  # clipped to exactly the limit
    gain = net[1].weight.abs() / (net[1].running_var + net[1].eps).sqrt()
    assert gain.max() <= 1.0 + 1e-6
    small = nn.Linear(3, 3)
    with torch.no_grad():
        small.weight.copy_(torch.eye(3) * 0.5)
    SingularValueClip().apply(small)
    assert torch.equal(small.weight, torch.eye(3) * 0.5)  # already inside: untouched


def test_clipping_bounds_the_weights_equalized_layers_compute_with():
    """TPD and D_I are built from equalized-lr layers (weight * scale in forward): TGAN's
    clipping and WGAN's weight clipping must bound that product, not the stored weight."""
    from ganzoo.nn.equalized import EqualConv2d, EqualLinear
    from ganzoo.train.regularizers import SingularValueClip, WeightClip

    torch.manual_seed(0)
    net = nn.Sequential(EqualConv2d(8, 16, 3), EqualLinear(32, 4))
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(20)
    before = [torch.linalg.svdvals((m.weight * m.scale).reshape(m.weight.shape[0], -1)).max() for m in net]
    assert min(before) > 1.5
    SingularValueClip(limit=1.0).apply(net)
    for m in net:
        top = torch.linalg.svdvals((m.weight * m.scale).reshape(m.weight.shape[0], -1)).max()
        assert abs(top - 1.0) < 1e-4
    WeightClip(limit=0.01).apply(net)
    for m in net:
        assert (m.weight * m.scale).abs().max() <= 0.01 + 1e-7


def test_path_length_tracks_a_running_mean_that_checkpoints():
    from ganzoo.train.regularizers import PathLength

    reg = PathLength(weight=1.0, decay=0.5)
    z = torch.randn(2, 3, requires_grad=True)
    video = torch.tanh(z @ torch.randn(3, 3 * 2 * 4 * 4)).view(2, 3, 2, 4, 4)
    value = reg.penalty(None, {"z": z}, video)
    assert value.requires_grad and reg.mean > 0
    restored = PathLength()
    restored.load_state_dict(reg.state_dict())
    assert torch.equal(restored.mean, reg.mean)


def test_lazy_regularization_adjusts_lr_and_betas():
    from ganzoo.contracts import OptimizerSpec
    from ganzoo.build import build_optimizer

    opt = build_optimizer(OptimizerSpec("adam", 0.002, (0.0, 0.99)), [nn.Parameter(torch.zeros(1))], interval=16)
    c = 16 / 17
    assert opt.param_groups[0]["lr"] == pytest.approx(0.002 * c)
    assert opt.param_groups[0]["betas"] == pytest.approx((0.0, 0.99**c))
    rms = build_optimizer(OptimizerSpec("rmsprop", 0.0005), [nn.Parameter(torch.zeros(1))])
    assert isinstance(rms, torch.optim.RMSprop) and rms.param_groups[0]["lr"] == 0.0005


@pytest.mark.parametrize("name", ["adam", "rmsprop"])
def test_fused_optimizers_step_as_the_for_loop_ones(name):
    """build_optimizer's fused Adam / foreach RMSprop (speed, issue 17.4) move the weights as
    torch's plain for-loop optimizers do, within float rounding."""
    from ganzoo.contracts import OptimizerSpec
    from ganzoo.build import build_optimizer

    torch.manual_seed(0)
    spec = OptimizerSpec(name, 2e-3, (0.5, 0.99), weight_decay=1e-5)
    a = [nn.Parameter(torch.randn(7, 5)), nn.Parameter(torch.randn(3))]
    b = [nn.Parameter(p.detach().clone()) for p in a]
    fast = build_optimizer(spec, a, interval=4)
    kwargs = dict(lr=fast.param_groups[0]["lr"], eps=spec.eps, weight_decay=spec.weight_decay)
    plain = (torch.optim.Adam(b, betas=fast.param_groups[0]["betas"], foreach=False, **kwargs) if name == "adam"
             else torch.optim.RMSprop(b, alpha=fast.param_groups[0]["alpha"], foreach=False, **kwargs))
    assert fast.defaults.get("fused" if name == "adam" else "foreach")
    for step in range(5):
        grads = [torch.randn_like(p) for p in a]
        for params, opt in ((a, fast), (b, plain)):
            for p, g in zip(params, grads):
                p.grad = g.clone()
            opt.step()
    for p, q in zip(a, b):
        torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)
