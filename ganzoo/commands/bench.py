"""`ganzoo bench`: train, score and tabulate models."""

from ganzoo.commands import not_built


def add_parser(subparsers):
    return not_built(subparsers, "bench", "train, score and tabulate models", issue=9)
