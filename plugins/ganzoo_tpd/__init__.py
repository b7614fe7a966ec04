"""ganzoo plugin: the Temporal Pyramid Discriminator of InMoDeGAN (Sec. 3.3).

Registers discriminator ``"tpd"`` (kwargs ``speeds``, default the paper's VoxCeleb2-mini
[1, 3, 5, 7] -- BAIR uses [1, 3, 5] -- and ``start``: ``"fixed"`` frame 0 (default) or
``"random"``). It plugs into any model's ``video`` role (``--disc tpd``) whose frame count has
room for every speed; ``check`` names the speed that does not fit. See :mod:`ganzoo_tpd.tpd`.

Kwarg ``parametrization``: ``"equalized"`` (default) is InMoDeGAN's own TPD exactly as the paper
trains it, StyleGAN2 layers with equalized learning rate under Adam 2e-3 (Sec. 3.4, 4).
``"plain"`` is the same network (same widths, same function at initialisation) whose layers
store their run-time weights, so an optimizer moves them as it moves a plain conv.

Swapping TPD into a baseline (Tab. 2, "maintaining all training configurations", Sec. 4.2):
the baseline keeps its loss, optimizer, learning rate, schedule and batch, which were tuned for
plain layers, and the four baselines (VGAN, TGAN, MoCoGAN, G3AN) swap TPD in with
``parametrization="plain"``. Why, measured (small presets, 400 iterations, seed 0,
fid-shapes n=256; D = P(D(real) > D(fake)) over the last quarter, ``ganzoo.train.diagnostics``):

- Adam's (and RMSprop's) step on a stored weight is about lr whatever the gradient's scale, so
  an equalized weight (stored N(0, 1), used times 1/sqrt(fan_in)) moves sqrt(fan_in) times less,
  relative to its size, than a plain one: 5-50x for TPD's layers. At a baseline's lr it barely
  moves, and G learns to please its initial function: equalized TPD under VGAN's Adam 2e-4
  ends at fid-shapes 283 (curve 12 -> 152 -> 235 -> 283) with D at 0.13, below chance; under
  TGAN's RMSprop 5e-5 at 179 with D at 0.07.
- Plain TPD learns under the same settings: VGAN 7.6 (D 0.99), TGAN 21.2 (D 0.71), MoCoGAN 4.16
  (D 0.99, its D_I 0.98), G3AN 6.2 (D 0.82, its D_I 0.60) (VGAN and TGAN at TPD weight 1.0
  then; they now take the paper's lambda = 0.5, see their specs). Tab. 2 at 500 iterations,
  3 seeds, is in the README.
- The alternative, per-parameter-group learning rates (each equalized layer at lr * sqrt(fan_in)),
  is the same optimisation under Adam and RMSprop (they are invariant to a gradient's scale),
  apart from epsilon and weight decay, which a plain layer gets exactly as the host's own D does
  (MoCoGAN's 1e-5); it would need one optimizer group per layer, so plain layers it is.
- TGAN's singular value clipping bounds each plain weight as it bounds the 3D critic's
  (``ganzoo.train.regularizers``). Tightening it to 1/sqrt(2), so that the sqrt(2) gain of
  StyleGAN2's activations is inside the bound as well, made TGAN worse (97.1): not adopted.

A third-party model whose optimizer settings are StyleGAN2's keeps the default; one tuned for
plain layers should list TPD in its ``video_alternatives`` with ``parametrization="plain"``.
"""

import ganzoo
from ganzoo_tpd.tpd import TemporalPyramidDiscriminator, pyramid_indices, pyramid_length

__all__ = ["TemporalPyramidDiscriminator", "pyramid_indices", "pyramid_length"]


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("tpd", TemporalPyramidDiscriminator,
             description="Temporal Pyramid Discriminator: time-to-channel 2D Ds at several temporal steps",
             citation="Wang, Bremond, Dantcheva. InMoDeGAN, Sec. 3.3")
