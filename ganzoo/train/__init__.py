"""The training engine: one loop for every model (issue #4).

``train(run_config, out_dir, resume=False, progress=True)`` runs it from Python; ``ganzoo train``
from the command line; ``ganzoo.checkpoints.load_generator`` reads what it writes.
"""


def train(run_config, out_dir, resume=False, progress=True, **options):
    """See :func:`ganzoo.train.loop.train` (imported lazily: the CLI stays fast to start)."""
    from ganzoo.train.loop import train as _train

    return _train(run_config, out_dir, resume=resume, progress=progress, **options)


__all__ = ["train"]
