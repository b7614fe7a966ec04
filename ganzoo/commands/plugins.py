"""`ganzoo plugins [--json]`: each plugin, its version, distribution, what it registers, errors."""

import json

from ganzoo import registry
from ganzoo.plugins import plugin_infos
from ganzoo.config import to_data


def add_parser(subparsers):
    parser = subparsers.add_parser("plugins", help="list the loaded plugins and what each registers")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)
    return parser


def run(args):
    registry.fill_all()  # so each plugin's 'registers' is known
    infos = list(plugin_infos().values())
    if args.json:
        print(json.dumps([to_data(info) for info in infos], indent=2))
        return 0
    for info in infos:
        origin = "built-in" if info.builtin else (info.distribution or "in-process")
        print(f"{info.name} {info.version or ''} ({origin}, {info.module})")
        if info.error:
            print(f"    FAILED: {info.error}")
        for kind, names in sorted(info.registers.items()):
            print(f"    {kind}: {', '.join(names)}")
    return 0
