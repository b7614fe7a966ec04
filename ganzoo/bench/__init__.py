"""`ganzoo bench`: train, score, record, and render the paper's tables (issues #9, #14).

- :mod:`ganzoo.bench.records`: the results store (JSON lines) and its record format.
- :mod:`ganzoo.bench.tables`: the paper's Tab. 1-5 as lists of cells; Tab. 1-3 rendered beside
  the paper's figures.
- :mod:`ganzoo.bench.paper`: the paper's published figures of Tab. 1-5 and its metric, as data.
- :mod:`ganzoo.bench.deltas`: Tab. 4/5, the deactivation deltas of a trained InMoDeGAN.
- :mod:`ganzoo.bench.plots`: Tab. 2's grouped bars, score-vs-iteration curves, score vs length.
- :mod:`ganzoo.bench.runner`: one (cell, seed) job: train, score along the way, record.
"""
