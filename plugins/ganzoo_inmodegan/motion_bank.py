"""The motion bank (InMoDeGAN Sec. 3.2, Eq. 1): N orthonormal directions d_i in the w space.

A trainable matrix M is decomposed and its right-singular vectors are the directions:
M = U S V^T, D = V^T, so the rows of D are orthonormal by construction (``bank="svd"``, the
paper's choice). ``bank="qr"`` uses M^T = Q R instead (D = Q^T), a cheaper parametrisation of
the same set of orthonormal frames, as an option.

Choices the paper leaves open (recorded here and in the plugin docstring):

- Shape: M is (N, w_dim); the paper's N = w_dim = 512 makes it square. N < w_dim gives N
  orthonormal directions in a w_dim space (used by the small presets).
- Initialisation: M ~ N(0, 1). Not an orthogonal init: that would make every singular value
  equal, the one case where the SVD's V is undefined and its gradient infinite.
- Sign and order (option-free conventions): torch returns singular values in descending order,
  so d_0 belongs to the largest one. Each singular vector is defined only up to sign and LAPACK,
  cuSOLVER and MAGMA may pick different signs for the same M, which would flip a direction -- and
  the video -- when a checkpoint moves between devices. We fix the sign of each d_i so that its
  entry of largest magnitude is positive (U's column flipped with it, so M = U S V^T still holds).
- Gradient guard (``svd_eps``): dV depends on 1 / (s_j^2 - s_i^2), which explodes when two
  singular values nearly coincide. The backward pass below uses the Lorentzian-broadened
  (s_j^2 - s_i^2) / ((s_j^2 - s_i^2)^2 + svd_eps), equal to the exact gradient when singular
  values are well separated and bounded by 1 / (2 sqrt(svd_eps)) when they are not. The
  decomposition runs in float64 (a 512 x 512 matrix: negligible next to the synthesis network)
  so D is orthonormal to ~1e-12 before the cast back.
"""

import torch
from torch import nn

from ganzoo.errors import GanzooError

BANKS = ("svd", "qr")


def _canonical_signs(rows):
    """+1/-1 per row making each row's largest-magnitude entry positive; ``(N, D) -> (N,)``."""
    idx = rows.abs().argmax(dim=1, keepdim=True)
    signs = torch.sign(rows.gather(1, idx)).squeeze(1)
    return torch.where(signs == 0, torch.ones_like(signs), signs)


class _RightSingularVectors(torch.autograd.Function):
    """M (N, D), N <= D -> V^T (N, D) with canonical signs and a broadened backward pass.

    Backward (Townsend 2016, "Differentiating the singular value decomposition", V-terms only,
    since D does not depend on U or S): with V = Vh^T (D, N) and G = dL/dV,
    dL/dM = U S (F o (V^T G - G^T V)) V^T + U S^-1 G^T (I - V V^T),
    F_ij = 1 / (s_j^2 - s_i^2) for i != j (broadened, see module docstring), F_ii = 0.
    """

    @staticmethod
    def forward(ctx, m, eps):
        u, s, vh = torch.linalg.svd(m, full_matrices=False)
        signs = _canonical_signs(vh)
        u, vh = u * signs[None, :], vh * signs[:, None]
        ctx.save_for_backward(u, s, vh)
        ctx.eps = eps
        return vh

    @staticmethod
    def backward(ctx, grad_vh):
        u, s, vh = ctx.saved_tensors
        v, g = vh.transpose(0, 1), grad_vh.transpose(0, 1)
        s2 = s.square()
        diff = s2[None, :] - s2[:, None]  # (i, j) -> s_j^2 - s_i^2
        f = diff / (diff.square() + ctx.eps)
        f.fill_diagonal_(0.0)
        vtg = v.transpose(0, 1) @ g
        inner = s[:, None] * (f * (vtg - vtg.transpose(0, 1)))
        grad = u @ inner @ vh
        if vh.shape[1] > vh.shape[0]:  # wide M: the part of G outside span(V)
            proj = g.transpose(0, 1) - (g.transpose(0, 1) @ v) @ vh
            grad = grad + u @ (proj / s[:, None])
        return grad, None


def svd_directions(m, eps=1e-8):
    """Rows of V^T from M = U S V^T, sign-canonical, with the guarded gradient; ``(N, D) -> (N, D)``."""
    return _RightSingularVectors.apply(m, eps)


def qr_directions(m):
    """Rows of Q^T from M^T = Q R with diag(R) > 0 (the unique QR); ``(N, D) -> (N, D)``."""
    q, r = torch.linalg.qr(m.transpose(0, 1))
    signs = torch.sign(torch.diagonal(r))
    signs = torch.where(signs == 0, torch.ones_like(signs), signs)
    return (q * signs[None, :]).transpose(0, 1)


class MotionBank(nn.Module):
    """Trainable M -> orthonormal directions D ``(N, w_dim)`` (InMoDeGAN Eq. 1)."""

    def __init__(self, n_directions=512, w_dim=512, bank="svd", svd_eps=1e-8):
        super().__init__()
        if bank not in BANKS:
            raise GanzooError(f"inmodegan: bank must be one of {BANKS}, not {bank!r}")
        if n_directions > w_dim:
            raise GanzooError(f"inmodegan: n_directions={n_directions} orthonormal directions do not fit in w_dim={w_dim}")
        self.matrix = nn.Parameter(torch.randn(n_directions, w_dim))
        self.bank, self.svd_eps = bank, svd_eps
        self._cache = None

    def forward(self):
        """D ``(N, w_dim)``. Without autograd (sampling, interpretation) the result is cached until
        M changes (an optimizer step or ``load_state_dict`` bumps its version counter)."""
        key = (self.matrix._version, self.matrix.data_ptr(), self.matrix.device, self.bank)
        caching = not (torch.is_grad_enabled() and self.matrix.requires_grad)
        if caching and self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        m = self.matrix.double()
        d = svd_directions(m, self.svd_eps) if self.bank == "svd" else qr_directions(m)
        d = d.to(self.matrix.dtype)
        self._cache = (key, d) if caching else None
        return d
