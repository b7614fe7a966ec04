"""VGAN's model spec: the paper's training settings and the presets.

Sec. 3 of Vondrick et al. 2016: binary cross-entropy GAN loss, Adam with learning rate 0.0002
and momentum (beta1) 0.5, batch size 64, 32 frames at 64x64 (the length InMoDeGAN's Tab. 1
compares at). beta2 is Adam's default 0.999 (the released code sets only beta1).

``--disc tpd`` (InMoDeGAN Tab. 2) replaces the 3D discriminator with TPD and keeps every
other setting (loss, optimizer, batch). VGAN makes 32 frames, the length InMoDeGAN trains
TPD on, so TPD keeps the paper's temporal speeds (1, 3, 5, 7): speed v sees frames
0, v, 2v, ... (32, 11, 7 and 5 frames). It takes the replaced role's weight, 1.0: VGAN has
no image discriminator for TPD's lambda = 0.5 to balance against. The ``tiny`` preset keeps
speeds (1, 3, 5, 7) as well; at 8 frames the slowest speed still sees frames 0 and 7.

The iteration count is not in the paper (it trains for epochs over 35 million clips); 100k
iterations at batch 64 is the schedule chosen here.
"""

from ganzoo.contracts import DiscriminatorRole, ModelSpec, NetSpec, OptimizerSpec
from ganzoo.presets import CPU_SMALL, TPD_SMALL_WIDTHS, TPD_TINY_WIDTHS, alternative_kwargs

CITATION = (
    "Carl Vondrick, Hamed Pirsiavash, Antonio Torralba. Generating Videos with Scene Dynamics. "
    "NeurIPS 2016. arXiv:1609.02612"
)
DESCRIPTION = "VGAN: two-stream generator (3D-deconv foreground + mask, 2D static background), 3D-conv D"
TPD_SPEEDS = [1, 3, 5, 7]



def make_spec():
    adam = OptimizerSpec("adam", lr=0.0002, betas=(0.5, 0.999), eps=1e-8)
    return ModelSpec(
        name="vgan",
        generator=NetSpec("vgan", {"z_dim": 100, "width": 512, "mask_l1": 0.1}),
        discriminators={"video": DiscriminatorRole("vgan-video", {"width": 64}, 1.0)},
        loss=NetSpec("bce"),
        optimizers={"generator": adam, "discriminators": adam},
        frames=32,
        resolution=64,
        batch_size=64,
        iterations=100_000,
        ema=None,
        video_alternatives={"tpd": DiscriminatorRole("tpd", {"speeds": TPD_SPEEDS, "parametrization": "plain"}, 1.0)},
        presets={
            "small": {
                **CPU_SMALL, "generator.kwargs.width": 64, "discriminators.video.kwargs.width": 16,
                **alternative_kwargs("tpd", TPD_SMALL_WIDTHS),
            },
            "tiny": {
                "frames": 16, "resolution": 16, "batch_size": 2, "iterations": 2,
                "generator.kwargs.width": 32, "discriminators.video.kwargs.width": 8,
                **alternative_kwargs("tpd", TPD_TINY_WIDTHS),
            },
        },
        citation=CITATION,
        description=DESCRIPTION,
    )
