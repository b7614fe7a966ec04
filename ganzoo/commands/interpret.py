"""`ganzoo interpret`: analyse a model's motion directions."""

from ganzoo.commands import not_built


def add_parser(subparsers):
    return not_built(subparsers, "interpret", "analyse a model's motion directions", issue=8)
