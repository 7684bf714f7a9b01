"""The ``lrmo-cell`` command: thin, it turns arguments into calls of the package's modules.

Each part of the package registers its own sub-commands (``<part>/commands.py``) and imports its
heavy modules only inside the handler, so ``lrmo-cell design`` never imports PyBaMM.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from lrmo_cell.errors import InputError

# part modules that define ``register(subparsers)``; each sub-command sets ``func`` on its parser
COMMAND_MODULES = (
    "lrmo_cell.design.commands",
    "lrmo_cell.studies.at_rate_commands",  # adds --at-rate to design: after it
    "lrmo_cell.models.commands",
    "lrmo_cell.fitting.commands",
    "lrmo_cell.experiments.commands",
    "lrmo_cell.studies.commands",
    "lrmo_cell.studies.study_commands",
    "lrmo_cell.reproduce",
)


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus the error; the contract is one line on stderr and exit 2."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a value that starts with a minus and a digit ("--bounds -1:2", "--v-min -1") is a
        # value, not an unknown option: argparse's own pattern knows only plain numbers
        self._negative_number_matcher = re.compile(r"^-\.?\d")

    def error(self, message: str):  # noqa: D401 - argparse's signature
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="lrmo-cell",
        description="LRMO cathode model, parameter fitting and pouch-cell designer.",
    )
    parser.add_argument("--version", action="version", version=_version())
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    for module_name in COMMAND_MODULES:
        # a command module that fails to import is a broken installation: say so, loudly
        importlib.import_module(module_name).register(subparsers)
    return parser


def _version() -> str:
    from lrmo_cell import __version__

    return f"lrmo-cell {__version__}"


def _one_line(text: str, limit: int = 400) -> str:
    """A message as one line of bounded length (file content must not flood the terminal); a
    long one loses its middle, since its end says what was given ("..., got 'x'")."""
    line = " ".join(str(text).split())
    if len(line) <= limit:
        return line
    keep = (limit - 5) // 2
    return f"{line[:keep]} ... {line[-keep:]}"


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status (2 for bad input, said in one line on stderr)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse: bad arguments (2), --help or --version (0)
        return int(exit_.code or 0)
    name = f"lrmo-cell {args.command}"
    try:
        return int(args.func(args) or 0)
    except InputError as err:
        print(f"{name}: {_one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # every output is written to a temporary and moved into place when complete (a sweep,
        # which keeps resumable parts, says where itself)
        print(
            f"{name}: interrupted; no partial output was kept (outputs appear only complete)",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) left; point stdout at devnull so the exit flush stays quiet
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as err:
        # the file system refused (disk full, permissions changed during the run): not a bug
        where = f" ({err.filename})" if err.filename else ""
        print(f"{name}: {_one_line(err.strerror or err)}{where}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"{name}: ran out of memory; ask for a smaller run", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
