"""The ``ganzoo`` command: argparse sub-commands from the core and from plugins.

Every user mistake (a GanzooError) is one line on stderr and exit code 2; ``--debug``
shows the traceback instead.
"""

import argparse
import importlib
import os
import sys
import warnings

from ganzoo import __version__
from ganzoo.errors import GanzooError
from ganzoo.stopping import Terminated, stop_on_sigterm

# Core sub-commands, each a module in ganzoo.commands with add_parser(subparsers).
CORE_COMMANDS = ("plugins", "list", "data", "train", "sample", "eval", "interpret", "bench", "report")


def build_parser():
    parser = argparse.ArgumentParser(prog="ganzoo", description="A plugin-based zoo of video GANs.")
    parser.add_argument("--version", action="version", version=f"ganzoo {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in CORE_COMMANDS:
        importlib.import_module(f"ganzoo.commands.{name}").add_parser(subparsers)
    from ganzoo.plugins import get_plugin_manager

    get_plugin_manager().hook.ganzoo_add_commands(subparsers=subparsers)
    return parser


def _print_warning(message, category, filename, lineno, file=None, line=None):
    """Every warning a command raises (a skipped video, a biased estimate) is one line on the
    stderr of that moment: part of the command's report, not Python's once-per-place
    notice that a caller's filters (or a test runner's recorder) may swallow."""
    print(f"warning: {message}", file=sys.stderr)


def main(argv=None):
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # once per message and place
        warnings.showwarning = _print_warning
        return _main(argv)


def _main(argv):
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    try:
        with stop_on_sigterm():
            parser = build_parser()
            args = parser.parse_args(argv)
            if not getattr(args, "func", None):
                parser.print_help()
                return 2
            code = int(args.func(args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
            return code
    except BrokenPipeError:
        return _pipe_closed()
    except GanzooError as exc:
        if debug:
            raise
        print(f"ganzoo: {exc.prefix}{exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a full or read-only disk, a missing folder, no permission: the OS's words
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"ganzoo: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ganzoo: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("ganzoo: terminated (SIGTERM)", file=sys.stderr)
        return 143


def _pipe_closed():
    """The reader of our stdout went away (``ganzoo eval ... | head -1``): stop quietly, as
    ``cat`` does. stdout is pointed at /dev/null so the interpreter's last flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141  # 128 + SIGPIPE, what a shell reports for a process the pipe ended
