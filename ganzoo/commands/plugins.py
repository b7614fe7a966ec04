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


def rows():
    """One plain dict per plugin: how it loaded (plugin manager) and what it registered (registry).

    ``error`` is why the plugin is not in use: its import failed, it implements an unknown hook,
    its register hook raised, or it registered something the registry refused.
    """
    records = registry.report()
    out = []
    for name, info in plugin_infos().items():
        row = to_data(info)
        record = records.get(name)
        row["registers"] = dict(sorted(record.registers.items())) if record else {}
        row["error"] = info.error or (record.error if record else None)
        out.append(row)
    return out


def run(args):
    plugins = rows()
    if args.json:
        print(json.dumps(plugins, indent=2))
        return 0
    for row in plugins:
        origin = "built-in" if row["builtin"] else (row["distribution"] or "in-process")
        print(f"{row['name']} {row['version'] or ''} ({origin}, {row['module']})")
        if row["error"]:
            print(f"    SKIPPED: {row['error']}")
        for kind, names in row["registers"].items():
            print(f"    {kind}: {', '.join(names)}")
    return 0
