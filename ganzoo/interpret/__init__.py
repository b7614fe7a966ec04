"""Interpretability analyses of InMoDeGAN's motion bank (Sec. 4.3-4.4, Fig. 3-7, Tab. 4-5).

- :mod:`colorwheel`: the Middlebury flow colour code (Baker et al. 2011).
- :mod:`flow`: dense optical flow between consecutive frames (OpenCV).
- :mod:`regions`: regions R0..R3 of the wheel and phi_i / Phi (Eq. 6-7).
- :mod:`masks`: region masks (a shape's pixels, a user's face parser).
- :mod:`motion_bank`: what a generator must offer to be analysed, and the clear error when not.
- :mod:`stats`, :mod:`deactivation`, :mod:`editing`, :mod:`alignment`: the analyses.
"""

#: the analyses of ``ganzoo interpret`` (kept here, import-light, for the CLI's parser)
ANALYSES = ("stats", "flow", "deactivate", "activate", "trajectory", "longer", "interpolate", "align")
