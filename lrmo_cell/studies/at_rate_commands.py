"""``lrmo-cell design FILE --at-rate RATE [--temperature-K T]``: the design from the LRMO model.

The design command is the designer's (``lrmo_cell.design.commands``, pure numpy); this module,
a layer above the models, adds the physics options to its parser and hands its handler the
physics, imported only when a run asks for it (``--at-rate``, or a design with
``cathode.performance_from = "model"``), so ``lrmo-cell design`` alone never loads PyBaMM.
"""

from __future__ import annotations

import argparse
import math
import re

from lrmo_cell.arguments import number
from lrmo_cell.parameters.io import TEMPERATURE_RANGE_K

# The ranges of lrmo_cell.studies.cell_physics, kept here, where nothing heavy is imported, so
# that the command line checks them as it reads them and still starts fast.
#: PyBaMM ends a step without its own duration after 24 h, and an LRMO first charge at 0.1C
#: takes 12.6 h; 20C is the virtual lab's limit
C_RATE_RANGE = (0.1, 20.0)

# "1C", "0.5c", "2", "C/3", "c/10"
_RATE = re.compile(r"^\s*(?:[cC]\s*/\s*(?P<per>[0-9.eE+]+)|(?P<rate>[0-9.eE+]+)\s*[cC]?)\s*$")
DEFAULT_TEMPERATURE_K = 298.15


def c_rate(text: str) -> float:
    """An argparse type: a C-rate written ``1C``, ``0.5C``, ``C/3`` or a bare number, in
    ``C_RATE_RANGE``."""
    match = _RATE.match(text)
    value = math.nan
    if match:
        try:
            value = float(match["rate"]) if match["rate"] else 1 / float(match["per"])
        except (ValueError, ZeroDivisionError):
            value = math.nan
    low, high = C_RATE_RANGE
    if not (math.isfinite(value) and low <= value <= high):
        raise argparse.ArgumentTypeError(
            f"c_rate must be a C-rate in [{low:g}, {high:g}] C such as 1C, 0.5C or C/3, "
            f"got {text[:40]!r}"
        )
    return value


c_rate.__name__ = "--at-rate"  # argparse names the type in its own messages


def register(subparsers) -> None:
    """Add ``--at-rate`` and ``--temperature-K`` to the ``design`` command (registered before)."""
    design = subparsers.choices["design"]
    design.add_argument(
        "--at-rate",
        type=c_rate,
        metavar="RATE",
        help="also discharge one electrode pair with the LRMO model at RATE (1C, 0.5C, C/3; "
        "1C = 250 mA/g) and scale it to the stack, beside the nominal figures",
    )
    design.add_argument(
        "--temperature-K",
        type=number(
            "--temperature-K",
            name="temperature_K",
            ge=TEMPERATURE_RANGE_K[0],
            le=TEMPERATURE_RANGE_K[1],
            unit="K",
        ),
        help=f"temperature of the --at-rate run [K] (default {DEFAULT_TEMPERATURE_K})",
    )
    design.set_defaults(func=_run)


class _Physics:
    """What ``lrmo_cell.design.commands.run`` asks of the physics, imported on first use."""

    def __init__(self, c_rate: float | None, temperature_K: float):
        self.c_rate = c_rate
        self.temperature_K = temperature_K

    @staticmethod
    def _module():
        from lrmo_cell.studies import cell_physics

        return cell_physics

    def resolve(self, design):
        return self._module().resolve_performance(design)

    def at_rate(self, design) -> dict:
        return self._module().at_rate(design, self.c_rate, self.temperature_K, with_curve=True)

    def table(self, result: dict) -> str:
        return self._module().table(result)

    def plot(self, result: dict, path, title: str) -> None:
        self._module().plot_voltage_losses(result, path, title)


def _run(args) -> int:
    from lrmo_cell.design.commands import run
    from lrmo_cell.errors import InputError

    if args.temperature_K is not None and args.at_rate is None:
        raise InputError("--temperature-K needs --at-rate RATE")
    temperature_K = DEFAULT_TEMPERATURE_K if args.temperature_K is None else args.temperature_K
    return run(args, physics=_Physics(args.at_rate, temperature_K))
