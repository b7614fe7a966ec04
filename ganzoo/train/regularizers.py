"""Regularizers, one class per name (registered by :mod:`ganzoo.train.plugin`).

Penalties (``kind = "penalty"``) return a scalar that the engine adds to the network's loss
every ``interval`` steps, multiplied by the interval (StyleGAN2's lazy regularization, Karras et
al. 2020, Sec. 3.1). Constraints (``kind = "constraint"``) edit weights in place after an
optimizer step. A regularizer with running state (path length's mean) exposes
``state_dict``/``load_state_dict`` so resumed runs stay bit-identical.
"""

import torch
from torch import nn

from ganzoo.contracts import Regularizer
from ganzoo.errors import ConfigError
from ganzoo.nn.equalized import EqualConv2d, EqualLinear

# Equalized-learning-rate layers (StyleGAN2, used by TPD and D_I) compute with
# ``weight * scale``: a constraint on the layer's weight must hold for that product.
EQUALIZED = (EqualLinear, EqualConv2d)


def runtime_scale(module):
    """The factor a layer multiplies its stored weight by in forward (1 for plain layers)."""
    return float(module.scale) if isinstance(module, EQUALIZED) else 1.0


def sum_logits(logits):
    """One scalar from a role's logits: ``(B,)`` or a list of them (TPD: one per speed)."""
    if isinstance(logits, (list, tuple)):
        return sum(item.float().sum() for item in logits)
    return logits.float().sum()


class R1(Regularizer):
    """R1 gradient penalty on real data (Mescheder et al. 2018, Eq. 9):
    ``gamma / 2 * E ||grad_x D(x)||^2``, applied lazily every ``interval`` steps (StyleGAN2
    Sec. 3.1; the engine multiplies by the interval, which is StyleGAN2's "gamma scaled by k").
    ``inputs`` is whatever the discriminator consumed (videos or picked frames).

    A discriminator that returns a list of logits is several discriminators (TPD: one D_V_i per
    time step, each maximising its own loss in InMoDeGAN Eq. 5), and StyleGAN2 penalises each D it
    has, so ``outputs="each"`` (default) sums one penalty per logit: sum_i ||g_i||^2, g_i =
    grad_x D_V_i. Since D_V_i reads distinct frames, ||g_i|| is also its R1 on its own
    time-to-channel input. ``outputs="sum"`` differentiates the summed logits once: ||sum_i g_i||^2
    = sum_i ||g_i||^2 + 2 sum_{i<j} <g_i, g_j>; the cross terms vanish only where the sub-Ds read
    disjoint frames, and TPD's share frame 0 (speed 1's reads every frame), so it is a different
    penalty that couples the sub-Ds. For one logit the two are the same.
    """

    kind = "penalty"
    OUTPUTS = ("each", "sum")

    def __init__(self, gamma=10.0, outputs="each"):
        if gamma < 0:
            raise ConfigError(f"regularizer 'r1': gamma must be >= 0, got {gamma}")
        if outputs not in self.OUTPUTS:
            raise ConfigError(f"regularizer 'r1': outputs must be one of {', '.join(self.OUTPUTS)}, not {outputs!r}")
        self.gamma, self.outputs = float(gamma), outputs

    def penalty(self, net, inputs, logits):
        many = isinstance(logits, (list, tuple)) and self.outputs == "each"
        total = 0.0
        for part in (logits if many else [logits]):
            (grad,) = torch.autograd.grad(sum_logits(part), inputs, create_graph=True)
            total = total + grad.square().flatten(1).sum(1).mean()
        return total * (self.gamma / 2)


class PathLength(Regularizer):
    """Path length regularization for style-based generators (StyleGAN2 Sec. 3.2, Eq. 4):
    ``weight * (|J^T y| - a)^2`` with ``y`` Gaussian noise scaled by 1/sqrt(pixels per frame) and
    ``a`` an exponential moving average (decay 0.01) of the lengths.

    Where the paper differentiates with respect to the intermediate latent w, the zoo's
    generator contract only exposes its input latent, so the Jacobian is taken with respect to
    every floating-point tensor of the latent dict (the engine passes them with
    ``requires_grad``); the norm is over all of them and averaged over frames for videos.
    """

    kind = "penalty"

    def __init__(self, weight=2.0, decay=0.01):
        self.weight, self.decay = float(weight), float(decay)
        self.mean = torch.zeros(())

    def penalty(self, net, inputs, logits):
        video = logits  # the generator's output (B, 3, T, H, W)
        tensors = [t for t in (inputs.values() if isinstance(inputs, dict) else inputs) if t.requires_grad]
        pixels = video.shape[-1] * video.shape[-2]
        noise = torch.randn_like(video) / pixels**0.5
        grads = torch.autograd.grad((video * noise).sum(), tensors, create_graph=True)
        lengths = sum(g.square().flatten(1).sum(1) for g in grads).add(1e-8).sqrt()
        mean = self.mean.to(lengths.device)
        mean = mean + self.decay * (lengths.detach().mean() - mean)
        self.mean = mean.detach().cpu()
        return (lengths - mean).square().mean() * self.weight

    def state_dict(self):
        return {"mean": self.mean.clone()}

    def load_state_dict(self, state):
        self.mean = state["mean"].clone()


class WeightClip(Regularizer):
    """WGAN weight clipping (Arjovsky et al. 2017, Alg. 1 line 7): every parameter of the
    critic is clamped to ``[-limit, limit]`` after each critic update (paper: c = 0.01)."""

    kind = "constraint"

    def __init__(self, limit=0.01):
        self.limit = float(limit)

    @torch.no_grad()
    def apply(self, net):
        scaled = {}
        for module in net.modules():
            if isinstance(module, EQUALIZED):
                scaled[id(module.weight)] = runtime_scale(module)
        for param in net.parameters():
            limit = self.limit / scaled.get(id(param), 1.0)
            param.clamp_(-limit, limit)


class SingularValueClip(Regularizer):
    """Singular value clipping (TGAN, Saito et al. 2017, Sec. 4.3): keeps the critic
    1-Lipschitz by clipping every singular value of every linear / convolution weight to
    ``<= limit`` (1 in the paper), every ``interval`` iterations (the RegularizerSpec interval).

    A convolution kernel ``(out, in, *kernel)`` is reshaped to the matrix ``(out, in * prod(kernel))``
    as the paper does; a transposed convolution ``(in, out, *kernel)`` is first swapped to
    ``(out, in, ...)``. Batch normalisation is clipped as the paper describes, so that the
    layer's gain ``|gamma| / sqrt(running_var + eps)`` is at most ``limit``; we read the
    paper's sigma_B as the running standard deviation (the one used at test time).
    Equalized-lr layers (TPD's and StyleGAN2's) are clipped so that ``weight * scale``, the
    matrix they compute with, has singular values ``<= limit``; this is what makes TGAN's
    clipping apply to whichever discriminator fills the video role.
    """

    kind = "constraint"

    def __init__(self, limit=1.0):
        self.limit = float(limit)

    @torch.no_grad()
    def apply(self, net):
        for module in net.modules():
            if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)):
                clip_singular_values_(module.weight, self.limit, transposed=False)
            elif isinstance(module, EQUALIZED):
                clip_singular_values_(module.weight, self.limit / runtime_scale(module), transposed=False)
            elif isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
                clip_singular_values_(module.weight, self.limit, transposed=True)
            elif isinstance(module, nn.modules.batchnorm._BatchNorm) and module.affine and module.track_running_stats:
                std = (module.running_var + module.eps).sqrt()
                module.weight.copy_(module.weight.clamp(-self.limit * std, self.limit * std))


def clip_singular_values_(weight, limit, transposed=False):
    """Clip the singular values of ``weight`` reshaped to ``(out, -1)`` to ``<= limit``, in place."""
    w = weight.transpose(0, 1) if transposed else weight
    matrix = w.reshape(w.shape[0], -1).float()
    u, s, vh = torch.linalg.svd(matrix, full_matrices=False)
    if s.max() <= limit:
        return weight
    clipped = (u * s.clamp(max=limit)) @ vh
    clipped = clipped.reshape(w.shape)
    weight.copy_((clipped.transpose(0, 1) if transposed else clipped).to(weight.dtype))
    return weight
