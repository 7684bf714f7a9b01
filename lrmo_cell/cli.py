"""The ``lrmo-cell`` command: thin, it turns arguments into calls of the package's modules.

Each part of the package registers its own sub-commands (``<part>/commands.py``) and imports its
heavy modules only inside the handler, so ``lrmo-cell design`` never imports PyBaMM.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from lrmo_cell.errors import InputError

# part modules that define ``register(subparsers)``; each sub-command sets ``func`` on its parser
COMMAND_MODULES = (
    "lrmo_cell.design.commands",
    "lrmo_cell.models.commands",
    "lrmo_cell.fitting.commands",
    "lrmo_cell.experiments.commands",  # after models.commands: it extends `validate`
    "lrmo_cell.studies.commands",
    "lrmo_cell.reproduce",
)


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus the error; the contract is one line on stderr and exit 2."""

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
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def _version() -> str:
    from lrmo_cell import __version__

    return f"lrmo-cell {__version__}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as err:
        print(f"lrmo-cell {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lrmo-cell: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) left; point stdout at devnull so the exit flush stays quiet
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
