"""Adversarial losses on logits, one class per name (registered by :mod:`ganzoo.train.plugin`).

Each follows :class:`ganzoo.contracts.Loss`: ``d_loss(real, fake)`` and ``g_loss(fake)`` take
logits of any shape (one entry per sample) and return a scalar mean over samples. A role that
returns a list of logits (TPD) is summed by the engine, not here.
"""

import torch.nn.functional as F

from ganzoo.contracts import Loss


class NonSaturating(Loss):
    """Logistic loss with the non-saturating G objective (Goodfellow et al. 2014, Sec. 3;
    StyleGAN2's default, used by InMoDeGAN Sec. 3.4): D minimises softplus(-D(x)) + softplus(D(G(z))),
    G minimises softplus(-D(G(z)))."""

    def d_loss(self, real_logits, fake_logits):
        return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()

    def g_loss(self, fake_logits):
        return F.softplus(-fake_logits).mean()


class Hinge(Loss):
    """Hinge loss (Lim & Ye 2017; Miyato et al. 2018, Eq. 16-17): D minimises
    relu(1 - D(x)) + relu(1 + D(G(z))), G minimises -D(G(z))."""

    def d_loss(self, real_logits, fake_logits):
        return F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()

    def g_loss(self, fake_logits):
        return -fake_logits.mean()


class Wasserstein(Loss):
    """WGAN critic loss (Arjovsky et al. 2017, Alg. 1; TGAN Sec. 4.3 with singular value
    clipping): the critic minimises D(G(z)) - D(x), G minimises -D(G(z))."""

    def d_loss(self, real_logits, fake_logits):
        return fake_logits.mean() - real_logits.mean()

    def g_loss(self, fake_logits):
        return -fake_logits.mean()


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on sigmoid outputs, as VGAN (Vondrick et al. 2016, Sec. 3),
    MoCoGAN (Tulyakov et al. 2018, Eq. 2) and G3AN train: D labels real 1 and fake 0, G labels
    its fakes 1 (the "-log D" heuristic).

    ``real_label`` < 1 is one-sided label smoothing (Salimans et al. 2016, Sec. 3.4); the papers
    train with 1.0, the default. Computed from logits (``binary_cross_entropy_with_logits``) for
    numerical stability, which equals BCE on ``sigmoid(logits)``.
    """

    def __init__(self, real_label=1.0):
        self.real_label = float(real_label)

    def d_loss(self, real_logits, fake_logits):
        real = F.binary_cross_entropy_with_logits(real_logits, real_logits.new_full(real_logits.shape, self.real_label))
        fake = F.binary_cross_entropy_with_logits(fake_logits, fake_logits.new_zeros(fake_logits.shape))
        return real + fake

    def g_loss(self, fake_logits):
        return F.binary_cross_entropy_with_logits(fake_logits, fake_logits.new_ones(fake_logits.shape))
