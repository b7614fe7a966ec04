"""The motion net (InMoDeGAN Sec. 3.2): a GRU whose initial hidden state is z_a, fed the motion
noise z_m_1..z_m_{T-1}, then G_M (an 8-layer MLP) mapping each hidden state to the magnitudes
A_t = (alpha_{t,1}, ..., alpha_{t,N}).

Choices the paper leaves open:
- The GRU's hidden size is ``dim_za`` so z_a itself (not a projection, not pixel-normed) is h_0.
- G_M has no pixel norm on its input (the GRU output's scale carries how much motion there is)
  and no activation on its last layer (magnitudes take both signs); its hidden width is ``w_dim``
  and its layers use the same equalized lr and lr multiplier as G_A.
"""

from torch import nn

from ganzoo_inmodegan.mapping import mlp


class MotionNet(nn.Module):
    """``z_a (B, dim_za), z_m (B, T-1, dim_zm) -> alphas (B, T-1, N)``."""

    def __init__(self, dim_za=512, dim_zm=256, n_directions=512, w_dim=512, layers=8, lr_mul=0.01):
        super().__init__()
        self.gru = nn.GRU(dim_zm, dim_za, batch_first=True)
        self.net = mlp(dim_za, w_dim, n_directions, layers, lr_mul, last_activation=None)
        self.n_directions = n_directions

    def forward(self, z_a, z_m):
        if z_m.shape[1] == 0:  # a one-frame video has no motion steps
            return z_a.new_zeros(z_a.shape[0], 0, self.n_directions)
        hidden, _ = self.gru(z_m, z_a[None].contiguous())
        return self.net(hidden)
