"""TGAN's model spec: the paper's training settings and the presets.

Saito et al. 2017, Sec. 4-5 and the released SVC configuration: WGAN loss, RMSprop with
learning rate 5e-5 (decay 0.99 and epsilon 1e-8, the framework defaults the released code
runs with) for G0, G1 and D; one critic step per generator step; singular value clipping of
the critic every 5 iterations (SVD is costly, so it runs periodically; ``freq: 5`` in the released
configuration); 16 frames at
64x64 (InMoDeGAN's Tab. 1); batch size 32 (the released UCF101 SVC configuration).

``--disc tpd`` (InMoDeGAN Tab. 2) replaces the 3D critic and keeps every other setting: the
WGAN loss and singular value clipping apply to whichever video discriminator is plugged in,
because SVC is what makes TGAN's critic 1-Lipschitz and the WGAN loss needs that of any
critic. The clipping regularizer targets ``"discriminators"`` (every role). TPD is trained as
plain layers (``parametrization="plain"``): under RMSprop 5e-5 its equalized StyleGAN2 layers
hardly move (small preset, 400 iterations, seed 0: fid-shapes 179 with TPD ordering real above
fake 0.07 of the time; plain: 21.2 and 0.71; see ``ganzoo_tpd``). TPD's speeds are the paper's
(1, 3, 5, 7), or a dataset's own (BAIR: 1, 3, 5): at 16 frames (paper, small and tiny presets)
speed v sees frames 0, v, 2v, ... (16, 6, 4 and 3 frames). Its weight is the paper's
lambda = 0.5, set "for all experiments" (Sec. 4); with no image D and no other generator term,
and RMSprop blind to a loss's scale, it hardly matters here.

The iteration count is not in the paper; 100k iterations is the schedule chosen here.
"""

from ganzoo.contracts import DiscriminatorRole, ModelSpec, NetSpec, OptimizerSpec, RegularizerSpec
from ganzoo.presets import baseline_presets, tpd_swap

CITATION = (
    "Masaki Saito, Eiichi Matsumoto, Shunta Saito. Temporal Generative Adversarial Nets with "
    "Singular Value Clipping. ICCV 2017. arXiv:1611.06624"
)
DESCRIPTION = "TGAN: temporal 1D-deconv generator + image generator, 3D critic, WGAN with singular value clipping"
SVC_INTERVAL = 5


def make_spec():
    rmsprop = OptimizerSpec("rmsprop", lr=0.00005, alpha=0.99, eps=1e-8)
    return ModelSpec(
        name="tgan",
        generator=NetSpec("tgan", {"z0_dim": 100, "z1_dim": 100, "temporal_width": 512, "width": 512}),
        discriminators={"video": DiscriminatorRole("tgan-video", {"width": 64}, 1.0)},
        loss=NetSpec("wgan"),
        regularizers=(RegularizerSpec("singular-value-clip", {"limit": 1.0}, "discriminators", SVC_INTERVAL),),
        optimizers={"generator": rmsprop, "discriminators": rmsprop},
        frames=16,
        resolution=64,
        batch_size=32,
        iterations=100_000,
        d_steps=1,
        ema=None,
        video_alternatives=tpd_swap(),
        presets=baseline_presets(
            small={"generator.kwargs.width": 64, "generator.kwargs.temporal_width": 64,
                   "discriminators.video.kwargs.width": 16},
            tiny={"iterations": 2, "generator.kwargs.z0_dim": 16, "generator.kwargs.z1_dim": 16,
                  "generator.kwargs.width": 32, "generator.kwargs.temporal_width": 32,
                  "discriminators.video.kwargs.width": 8},
        ),
        citation=CITATION,
        description=DESCRIPTION,
    )
