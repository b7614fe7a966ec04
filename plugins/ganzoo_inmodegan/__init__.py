"""ganzoo plugin: InMoDeGAN (Wang, Bremond, Dantcheva, arXiv:2101.03049), the reference implementation.

Registers generator ``"inmodegan"``, discriminator ``"stylegan2-image"`` (D_I, consumes frames)
and model ``"inmodegan"`` (presets ``paper``, ``paper-128``, ``small``, ``tiny``). The Temporal
Pyramid Discriminator is its own plugin, ``ganzoo_tpd``.

Modules: ``mapping`` (G_A), ``motion`` (GRU + G_M), ``motion_bank`` (Eq. 1), ``decomposition``
(Eq. 4), ``synthesis`` (G_S), ``generator`` (assembly + manipulation API),
``image_discriminator`` (D_I), ``spec`` (Sec. 4 settings).

Every choice the paper leaves open, with the option that changes it (generator kwargs unless
said otherwise; set with ``--set model.generator.kwargs.NAME=VALUE``):

- ``decomposition="cumulative"``: w_t = w_0 + sum_{j<t} sum_i alpha_{j,i} d_i (Eq. 4 read as a
  path); ``"per-frame"`` is Fig. 2's w_t = w_0 + sum_i alpha_{t,i} d_i. Frame 0 is w_0 in both.
- ``bank="svd"``: D = V^T of a trainable M = U S V^T (Sec. 3.2); ``"qr"``: D = Q^T of M^T = QR.
  Sign of each d_i fixed (largest entry positive) so devices agree; order by descending
  singular value; M ~ N(0, 1) init; SVD in float64.
- ``svd_eps=1e-8``: Lorentzian broadening of the SVD gradient for near-equal singular values.
- ``n_directions`` (N) <= ``w_dim``: M is (N, w_dim); the paper's N = w_dim = 512.
- GRU: hidden size ``dim_za``, h_0 = z_a as drawn; G_M: no input pixel norm, linear last layer
  (``motion_layers=8``), same lr multiplier as G_A (``mapping_lr_mul=0.01``, StyleGAN2's).
- ``noise="video"``: per-pixel noise drawn once per video and shared by its frames (no flicker);
  ``"frame"``: fresh noise per frame; ``"none"``. Noise lives in the latent (``noise_k`` keys).
- ``clamp_eval=True``: training sees StyleGAN2's unbounded linear output (no tanh, gradients
  everywhere); in eval mode the video is clamped to [-1, 1].
- ``modconv="scaled"``: modulated convolutions as activation scaling around one plain conv;
  ``"grouped"``: one weight per sample, grouped conv (identical results). Measured in one run of
  ``benchmarks/test_bench_inmodegan.py`` (paper G forward, 4 x 16 frames at 64x64, 2066 GFLOP,
  2 shared CPU cores): scaled 76.9 s = 26.9 GFLOP/s = 67% of the float32 matmul rate measured
  alongside (40.4 GFLOP/s); grouped 113.9 s = 18.1 GFLOP/s = 31% (58.0). Scaled is the default.
- Synthesis channels ``channel_base=32768, channel_max=512`` (StyleGAN2 config F); every layer
  of a frame gets the same w_t (no style mixing); all B*T frames go through G_S as one batch.
- TPD (discriminator kwargs): ``start="fixed"`` (pyramid starts at frame 0) or ``"random"``;
  frames stacked frame-major (channels f0 RGB, f1 RGB, ...); each sub-D is a StyleGAN2 residual D
  with 3K input channels; a speed needs at least 2 frames. A 3D D swapped in with ``--disc``
  keeps the video role's weight 0.5.
- ``G.alphas(latent)`` reports the alphas the forward pass uses, i.e. after the latent's edits.
- D_I sees one random frame per video (discriminator kwarg ``frames_per_video=1``; the engine picks).
- Interpolation (``G.interpolate``) is spherical per vector; edits apply masks then trajectories.
- Model spec: R1 gamma 0.0256 at 64x64, one R1 per TPD sub-D, not scaled by lambda; no path length
  regularization; EMA half-life 10k images, 100k iterations (``spec``, where the reasons are).
"""

import ganzoo
from ganzoo_inmodegan.generator import InMoDeGANGenerator
from ganzoo_inmodegan.image_discriminator import StyleGAN2ImageDiscriminator
from ganzoo_inmodegan.spec import make_spec

__all__ = ["InMoDeGANGenerator", "StyleGAN2ImageDiscriminator", "make_spec"]

CITATION = "Wang, Bremond, Dantcheva. InMoDeGAN, arXiv:2101.03049"


@ganzoo.hookimpl
def ganzoo_register_generators(register):
    register("inmodegan", InMoDeGANGenerator, citation=CITATION,
             description="InMoDeGAN generator: appearance MLP, GRU motion, orthonormal motion bank, StyleGAN2 synthesis")


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("stylegan2-image", StyleGAN2ImageDiscriminator, citation="Karras et al. 2020, StyleGAN2, Fig. 7c",
             description="StyleGAN2 residual image discriminator on single frames")


@ganzoo.hookimpl
def ganzoo_register_models(register):
    register("inmodegan", make_spec, citation=CITATION,
             description="InMoDeGAN: interpretable motion decomposition, TPD + image D (Sec. 4 settings)")
