"""Interpretability analyses of InMoDeGAN's motion bank (Sec. 4.3-4.4, Fig. 3-7, Tab. 4-5).

- :mod:`colorwheel`: the Middlebury flow colour code (Baker et al. 2011).
- :mod:`flow`: dense optical flow between consecutive frames (OpenCV).
- :mod:`regions`: regions R0..R3 of the wheel and phi_i / Phi (Eq. 6-7), in the paper's reading or the earlier one.
- :mod:`masks`: region masks (a shape's pixels, a user's face parser).
- :mod:`motion_bank`: what a generator must offer to be analysed, and the clear error when not.
- :mod:`stats`, :mod:`deactivation`, :mod:`editing`, :mod:`alignment`: the analyses.
- :mod:`runs`: one function per ``ganzoo interpret`` analysis.

Worked example (a small-preset InMoDeGAN on moving-shapes, every analysis)::

    ganzoo train --model inmodegan --data moving-shapes --preset small --out runs/shapes
    ganzoo interpret moving-shapes flow --frames 8 --resolution 32 --masks foreground   # real reference
    ganzoo interpret runs/shapes stats                  # Fig. 3a/3b: top directions
    ganzoo interpret runs/shapes deactivate --masks foreground   # Tab. 4/5 (1,000 videos)
    ganzoo interpret runs/shapes activate               # Fig. 4: each top direction alone
    ganzoo interpret runs/shapes trajectory --trajectory 0=linear,1=sin   # Sec. 4.3 (end), Sec. B
    ganzoo interpret runs/shapes longer --frames 32
    ganzoo interpret runs/shapes interpolate --part motion
    ganzoo interpret runs/shapes align                  # directions x factors, MIG vs random

Each writes into ``interpret/<analysis>/`` (or ``--out``) its pictures and videos with the
numbers beside them as JSON (and CSV / markdown tables).
"""

#: the analyses of ``ganzoo interpret`` (kept here, import-light, for the CLI's parser)
ANALYSES = ("stats", "flow", "deactivate", "activate", "trajectory", "longer", "interpolate", "align")
#: videos / latents each analysis uses when ``--n`` is not given
DEFAULT_N = {"stats": 10000, "flow": 64, "deactivate": 1000, "activate": 4, "trajectory": 4, "longer": 4,
             "interpolate": 3, "align": 128}
