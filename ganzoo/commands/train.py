"""`ganzoo train`: train a model."""

from ganzoo.commands import not_built


def add_parser(subparsers):
    return not_built(subparsers, "train", "train a model", issue=4)
