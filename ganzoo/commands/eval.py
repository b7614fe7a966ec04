"""`ganzoo eval`: score videos with a metric."""

from ganzoo.commands import not_built


def add_parser(subparsers):
    return not_built(subparsers, "eval", "score videos with a metric", issue=7)
