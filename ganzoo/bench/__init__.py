"""`ganzoo bench`: train, score, record, and render the paper's tables (issue #9).

- :mod:`ganzoo.bench.records`: the results store (JSON lines) and its record format.
- :mod:`ganzoo.bench.tables`: the paper's Tab. 1-3 as lists of cells, and their rendering.
- :mod:`ganzoo.bench.runner`: one (cell, seed) job: train, score along the way, record.
"""
