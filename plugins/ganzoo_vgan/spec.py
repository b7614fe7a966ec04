"""VGAN's model spec: the paper's training settings and the presets.

Sec. 3 of Vondrick et al. 2016: binary cross-entropy GAN loss, Adam with learning rate 0.0002
and momentum (beta1) 0.5, batch size 64, 32 frames at 64x64 (the length InMoDeGAN's Tab. 1
compares at). beta2 is Adam's default 0.999 (the released code sets only beta1).

``--disc tpd`` (InMoDeGAN Tab. 2) replaces the 3D discriminator with TPD and keeps every
other setting (loss, optimizer and its lr, batch). TPD is trained as plain layers
(``parametrization="plain"``): VGAN's Adam 2e-4 is tuned for plain layers and barely moves
TPD's equalized StyleGAN2 ones (small preset, 400 iterations, seed 0: fid-shapes 283 with TPD's
D accuracy at 0.13, against 7.6 and 0.99 plain; the own 3D D: 5.89, 0.99; see ``ganzoo_tpd``).
TPD's speeds are the paper's (1, 3, 5, 7), or a dataset's own (BAIR: 1, 3, 5): speed v sees
frames 0, v, 2v, ... (32, 11, 7 and 5 of 32 frames; 16, 6, 4 and 3 of the small and tiny
presets' 16). Its weight is the paper's lambda = 0.5, which Sec. 4 sets "for all experiments":
with no image D beside it, lambda only sets how much TPD's summed loss (one term per speed)
weighs in G's objective against VGAN's mask sparsity term (0.1 * L1), as the single 3D D's
loss did. Measured (small preset, 500 iterations, seeds 0-2, fid-shapes): the own 3D D 5.75 +-
0.79; TPD at weight 1.0 (the replaced role's) 8.11 +- 4.08, its curves spiking late (12.8,
19.0); at 0.25 (the mean over speeds) 4.40 +- 1.16; at 0.5 3.80 +- 0.51.

VGAN's length is fixed by its architecture (32 frames) and the video metrics take 16: it is
scored on the temporal centre 16 frames (``ganzoo.metrics.sources``). The ``small`` and ``tiny``
presets make 16 frames, the metrics' length.

The iteration count is not in the paper (it trains for epochs over 35 million clips); 100k
iterations at batch 64 is the schedule chosen here.
"""

from ganzoo.contracts import DiscriminatorRole, ModelSpec, NetSpec, OptimizerSpec
from ganzoo.presets import baseline_presets, tpd_swap

CITATION = (
    "Carl Vondrick, Hamed Pirsiavash, Antonio Torralba. Generating Videos with Scene Dynamics. "
    "NeurIPS 2016. arXiv:1609.02612"
)
DESCRIPTION = "VGAN: two-stream generator (3D-deconv foreground + mask, 2D static background), 3D-conv D"


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
        video_alternatives=tpd_swap(),
        presets=baseline_presets(
            small={"generator.kwargs.width": 64, "discriminators.video.kwargs.width": 16},
            tiny={"iterations": 2, "generator.kwargs.width": 32, "discriminators.video.kwargs.width": 8},
        ),
        citation=CITATION,
        description=DESCRIPTION,
    )
