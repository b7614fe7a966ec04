"""ganzoo plugin: video metrics.

Registers the InMoDeGAN paper's ``fid-resnext101`` (Sec. 4.1), ``fvd-i3d`` (FVD), ``is-c3d``
(TGAN's Inception Score, Tab. 7), the kernel distances ``kvd-resnext101`` / ``kvd-i3d``,
StyleGAN-V's FVD protocols under its names (``fvd2048_16f``, ``fvd2048_128f``,
``fvd2048_128f_subsample8f``), per-frame image FID with pytorch-fid's Inception-v3
(``fid-frames``), and the offline ``fid-shapes`` / ``fvd-shapes`` / ``kvd-shapes`` whose network
ships with the package.
Loaded through the ``ganzoo`` entry-point group like any third-party plugin.
"""

import ganzoo


@ganzoo.hookimpl
def ganzoo_register_metrics(register):
    from ganzoo_metrics.protocols import METRICS

    for metric in METRICS:
        summary = " ".join((metric.__doc__ or "").strip().split("\n\n")[0].split())
        register(metric.name, metric, description=summary, network=metric.network, kind=metric.kind)
