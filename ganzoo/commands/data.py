"""`ganzoo data`: prepare, inspect and show video data."""

from ganzoo.commands import not_built


def add_parser(subparsers):
    return not_built(subparsers, "data", "prepare, inspect and show video data", issue=3)
