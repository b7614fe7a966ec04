"""The ``inmodegan`` model spec (InMoDeGAN Sec. 4) and its presets.

``paper`` (the field values): 64x64, 16 frames, batch 4 per GPU x 8 GPUs = 32 (``batch_size`` is
per process: run it with ``torchrun --nproc-per-node 8``, as the paper did), Adam lr 0.002
betas (0, 0.99) for G and both Ds, non-saturating loss, lazy R1 every 16 D steps on every
discriminator, image D weight 1 and TPD weight lambda = 0.5 (Eq. 5), TPD speeds (1, 3, 5, 7), the
VoxCeleb2-mini ones; on ``bair`` the dataset's (1, 3, 5) replace them (Sec. 4; ``ganzoo.config``).

Choices the paper does not state:
- R1 gamma = 0.0256 at 64x64: the StyleGAN2-ADA heuristic gamma = 0.0002 * R^2 / batch
  (Karras et al. 2020b, App. D.3) with R = 64, batch 32; it equals StyleGAN2's gamma = 10 at
  1024^2 scaled by pixel count (10 * 64^2 / 1024^2 = 0.039) within a factor of 1.5. paper-128
  uses the same rule (0.1024). The same gamma serves D_I and TPD (one regularizer over roles).
- R1 on TPD is one penalty per sub-discriminator D_V_i (r1 ``outputs="each"``): Eq. 5 gives each
  D_V_i its own max and StyleGAN2 penalises each D it has. ``--set
  model.regularizers.0.kwargs.outputs=sum`` penalises the summed logits instead, which is not the
  same penalty (cross terms over the frames the pyramids share; :class:`ganzoo.train.regularizers.R1`).
- R1 is not scaled by the role weight: the D loss is L_I + lambda * sum_i L_V_i (Eq. 5) and each
  R1 is added at full gamma, as StyleGAN2 adds it. Adam is blind to a scale on all of a
  parameter's gradients, so scaling TPD's loss by lambda alone regularises TPD as gamma / lambda
  = 2 gamma would relative to its loss (D_I: gamma). Eq. 5's lambda sits outside the max over
  D_V_i, so the paper does not say which it meant; for D_I's ratio, list r1 twice, target
  ``"image"`` with gamma and target ``"video"`` with lambda * gamma.
- Path length regularization: off. StyleGAN2 config F uses it on G (weight 2 every 4 G steps);
  the paper does not mention it. To turn it on, add ``{ name = "path-length", kwargs = { weight =
  2.0 }, target = "generator", interval = 4 }`` to ``regularizers`` in ``DIR/config.toml`` and run
  ``ganzoo train --resume --out DIR`` (its Jacobian is w.r.t. the latent's tensors, not w:
  :class:`ganzoo.train.regularizers.PathLength`).
- EMA of G: decay 0.5 ** (32 / 10000) = 0.99778 per step, StyleGAN2's 10k-image half-life at the
  paper's total batch of 32.
- iterations = 100000 (the paper gives no schedule length to follow).
- paper-128 (Sec. 4.4, higher resolution): only the resolution and gamma change; channels
  follow config F (256 at 128x128).
"""

from ganzoo.contracts import DiscriminatorRole, ModelSpec, NetSpec, OptimizerSpec, RegularizerSpec

PAPER_GAMMA = 0.0002 * 64**2 / 32  # total batch: 4 per GPU x 8 GPUs

SMALL = {  # moving-shapes on 2 CPU cores: 20 GFLOP per iteration (29 with R1, traced), 1.6 it/s idle (2,500 in 27 min)
    "frames": 8, "resolution": 32, "batch_size": 8, "iterations": 2500, "ema": 0.999,
    "generator.kwargs.dim_za": 64, "generator.kwargs.dim_zm": 32, "generator.kwargs.n_directions": 32,
    "generator.kwargs.w_dim": 64, "generator.kwargs.channel_base": 1024, "generator.kwargs.channel_max": 32,
    "discriminators.image.kwargs.channel_base": 1024, "discriminators.image.kwargs.channel_max": 32,
    "discriminators.video.kwargs.channel_base": 1024, "discriminators.video.kwargs.channel_max": 32,
    "regularizers.0.kwargs.gamma": 0.0002 * 32**2 / 8,
}

TINY = {  # a smoke test: seconds on a CPU; 8 frames, so Tab. 3's slowest speed (7) fits
    "frames": 8, "resolution": 16, "batch_size": 2, "iterations": 4, "ema": 0.9,
    "generator.kwargs.dim_za": 16, "generator.kwargs.dim_zm": 8, "generator.kwargs.n_directions": 8,
    "generator.kwargs.w_dim": 16, "generator.kwargs.mapping_layers": 2, "generator.kwargs.motion_layers": 2,
    "generator.kwargs.channel_base": 128, "generator.kwargs.channel_max": 16,
    "discriminators.image.kwargs.channel_base": 128, "discriminators.image.kwargs.channel_max": 16,
    "discriminators.video.kwargs.channel_base": 128, "discriminators.video.kwargs.channel_max": 16,
    "discriminators.video.kwargs.speeds": [1, 3],
}


def make_spec():
    """The ``paper`` preset as field values, the others as dotted overrides."""
    adam = OptimizerSpec("adam", lr=0.002, betas=(0.0, 0.99))
    return ModelSpec(
        name="inmodegan",
        generator=NetSpec("inmodegan", {"dim_za": 512, "dim_zm": 256, "n_directions": 512, "w_dim": 512}),
        discriminators={
            "image": DiscriminatorRole("stylegan2-image", {}, 1.0),
            "video": DiscriminatorRole("tpd", {"speeds": [1, 3, 5, 7], "start": "fixed"}, 0.5),
        },
        loss=NetSpec("non-saturating"),
        optimizers={"generator": adam, "discriminators": adam},
        frames=16, resolution=64, batch_size=4, iterations=100_000,
        regularizers=(RegularizerSpec("r1", {"gamma": PAPER_GAMMA}, "discriminators", 16),),
        ema=0.5 ** (32 / 10_000),
        presets={
            "paper-128": {"resolution": 128, "regularizers.0.kwargs.gamma": 0.0002 * 128**2 / 32},
            "small": SMALL,
            "tiny": TINY,
        },
        citation="Wang, Bremond, Dantcheva. InMoDeGAN: Interpretable Motion Decomposition GAN for Video Generation. arXiv:2101.03049",
        description="InMoDeGAN: StyleGAN2 synthesis, motion bank of orthonormal directions, TPD + image D",
    )
