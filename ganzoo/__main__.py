"""`python -m ganzoo` is the same as the `ganzoo` command (torchrun uses this form)."""

from ganzoo.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
