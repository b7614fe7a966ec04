"""A minimal ganzoo plugin: a small video generator, a small 3D discriminator, a model spec.

ganzoo finds this module through the ``ganzoo`` entry point in this package's
pyproject.toml and calls the hooks below with a ``register`` callback.
"""

import torch
from torch import nn

import ganzoo
from ganzoo.contracts import Discriminator, DiscriminatorRole, Generator, ModelSpec, NetSpec, OptimizerSpec


class TinyVideoGenerator(Generator):
    """Content code + per-frame motion codes -> frames by a small deconvolution stack.

    Latent: ``content (B, z_content)`` and ``motion (B, T, z_motion)``, so any frame count works.
    """

    def __init__(self, frames=8, resolution=32, z_content=32, z_motion=8, channels=32):
        super().__init__()
        if resolution not in (16, 32, 64):
            raise ValueError(f"TinyVideoGenerator makes 16, 32 or 64 px frames, not {resolution}")
        self.frames, self.resolution = frames, resolution
        self.z_content, self.z_motion = z_content, z_motion
        self.stem = nn.Linear(z_content + z_motion, channels * 16)
        layers, size = [], 4
        while size < resolution:
            layers += [nn.Upsample(scale_factor=2), nn.Conv2d(channels, channels, 3, padding=1), nn.LeakyReLU(0.2)]
            size *= 2
        self.body = nn.Sequential(*layers, nn.Conv2d(channels, 3, 3, padding=1), nn.Tanh())
        self.channels = channels

    def make_latent(self, batch, frames=None, generator=None):
        frames = self.check_frames(frames)
        return {
            "content": self.randn(batch, self.z_content, generator=generator),
            "motion": self.randn(batch, frames, self.z_motion, generator=generator).cumsum(1) * 0.3,
        }

    def forward(self, latent):
        content, motion = latent["content"], latent["motion"]
        batch, frames = motion.shape[:2]
        codes = torch.cat([content[:, None].expand(-1, frames, -1), motion], dim=2)
        x = self.stem(codes.reshape(batch * frames, -1)).view(batch * frames, self.channels, 4, 4)
        x = self.body(x).view(batch, frames, 3, self.resolution, self.resolution)
        return x.transpose(1, 2)  # (B, 3, T, H, W)


class TinyVideoDiscriminator(Discriminator):
    """Three strided 3D convolutions and a linear layer: one logit per video."""

    consumes = "video"

    def __init__(self, frames=8, resolution=32, channels=3, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv3d(channels, width, 3, stride=(1, 2, 2), padding=1), nn.LeakyReLU(0.2),
            nn.Conv3d(width, width * 2, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
            nn.Conv3d(width * 2, width * 4, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
            nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(width * 4, 1),
        )

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        if frames < 4:
            raise ganzoo.errors.IncompatibleError(f"TinyVideoDiscriminator needs >= 4 frames, the model makes {frames}")

    def forward(self, video):
        return self.net(video).squeeze(1)


def make_spec():
    return ModelSpec(
        name="example",
        generator=NetSpec("example-generator", {}),
        discriminators={"video": DiscriminatorRole("example-video", {}, 1.0)},
        loss=NetSpec("non-saturating"),
        optimizers={"generator": OptimizerSpec("adam", 0.0002, (0.5, 0.999)),
                    "discriminators": OptimizerSpec("adam", 0.0002, (0.5, 0.999))},
        frames=8, resolution=32, batch_size=8, iterations=2000,
        presets={"small": {"iterations": 500}, "tiny": {"iterations": 4, "batch_size": 2, "resolution": 16}},
        description="a minimal third-party model (ganzoo-example-plugin)",
    )


@ganzoo.hookimpl
def ganzoo_register_generators(register):
    register("example-generator", TinyVideoGenerator, description="tiny content+motion generator")


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("example-video", TinyVideoDiscriminator, description="tiny 3D-conv video discriminator")


@ganzoo.hookimpl
def ganzoo_register_models(register):
    register("example", make_spec, description="a minimal third-party model (ganzoo-example-plugin)")
