"""The core's sub-commands, one module each with ``add_parser(subparsers)``."""

import argparse

from ganzoo.errors import GanzooError


def not_built(subparsers, name, help, issue):
    """A sub-command whose implementation has not landed: it says so plainly, exit code 2."""
    parser = subparsers.add_parser(name, help=f"{help} (not built yet)")
    parser.add_argument("rest", nargs=argparse.REMAINDER)

    def run(args):
        raise GanzooError(f"'ganzoo {name}' is not built yet (tracked in issue #{issue})")

    parser.set_defaults(func=run)
    return parser
