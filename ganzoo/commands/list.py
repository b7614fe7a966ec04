"""`ganzoo list KIND`: what is registered, with descriptions (models: citation and presets)."""

import json

from ganzoo import registry


def add_parser(subparsers):
    parser = subparsers.add_parser("list", help="list registered models, discriminators, datasets, ...")
    parser.add_argument("kind", choices=sorted(registry.KINDS), help="what to list")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)
    return parser


def describe(kind, entry):
    """Plain data about one registry entry (for models: citation and presets from the spec)."""
    row = {"name": entry.name, "plugin": entry.plugin, **entry.meta}
    if kind == "models":
        spec = entry.factory()
        row.setdefault("citation", spec.citation)
        row.setdefault("description", spec.description)
        row["presets"] = sorted(set(spec.presets) | {"paper"})
        row["discriminators"] = {role: d.name for role, d in spec.discriminators.items()}
        row["frames"], row["resolution"] = spec.frames, spec.resolution
    return row


def run(args):
    rows = [describe(args.kind, entry) for entry in registry.get_registry(args.kind).entries()]
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    if not rows:
        print(f"no {args.kind} registered")
    for row in rows:
        print(f"{row['name']}  [{row['plugin']}]  {row.get('description', '')}".rstrip())
        if args.kind == "models":
            roles = ", ".join(f"{r}={n}" for r, n in row["discriminators"].items())
            print(f"    {row['frames']} frames at {row['resolution']}px; D: {roles}; presets: {', '.join(row['presets'])}")
            if row.get("citation"):
                print(f"    cite: {row['citation']}")
    return 0
