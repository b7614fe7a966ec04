"""`ganzoo sample`: sample videos from a checkpoint."""

from ganzoo.commands import not_built


def add_parser(subparsers):
    return not_built(subparsers, "sample", "sample videos from a checkpoint", issue=4)
