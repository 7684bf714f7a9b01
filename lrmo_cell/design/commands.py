"""``lrmo-cell design``: evaluate, what-if (--set) and inverse-design (--solve) a pouch cell.

The physics (``--at-rate``, and designs whose cathode performance comes from the LRMO model)
sits above this layer: ``lrmo_cell.studies.at_rate_commands`` adds its options to this parser
and hands :func:`run` a ``physics`` object, so that nothing here imports the model."""

from __future__ import annotations

import argparse
import math


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "design",
        help="capacity, energy, mass and volume of a pouch cell from a design file",
        description="Evaluate a pouch-cell design file (a path or a name in designs/). "
        "--set changes inputs (what-if); --solve FIELD --target OUTPUT=VALUE finds the value of "
        "one input that meets a target.",
    )
    parser.add_argument("file", help="design TOML file, or the name of one in designs/")
    parser.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        default=[],
        help="override an input, e.g. cathode.loading_mg_per_cm2=25 (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--plot",
        metavar="PNG",
        help="write a stacked bar of the mass breakdown (with --at-rate: the voltage losses)",
    )
    parser.add_argument(
        "--sources", action="store_true", help="list every input with its value and source"
    )
    parser.add_argument("--solve", metavar="FIELD", help="input to solve for (needs --target)")
    parser.add_argument(
        "--target",
        metavar="OUTPUT=VALUE",
        help="e.g. capacity_Ah=5, specific_energy_Wh_per_kg=500, thickness_mm=6",
    )
    parser.add_argument("--bounds", metavar="LOW:HIGH", help="search interval for --solve")
    parser.set_defaults(func=run)


def _parse_target(text: str | None) -> tuple[str, float]:
    from lrmo_cell.errors import InputError

    key, sep, value = (text or "").partition("=")
    if not sep:
        raise InputError("--solve needs --target OUTPUT=VALUE (e.g. capacity_Ah=5)")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InputError(f"--target takes OUTPUT=VALUE with a finite VALUE, got {text!r}")
    return key.strip(), number


def _parse_bounds(text: str | None) -> tuple[float, float] | None:
    from lrmo_cell.errors import InputError

    if text is None:
        return None
    low, sep, high = text.partition(":")
    try:
        bounds = float(low), float(high)
    except ValueError:
        bounds = math.nan, math.nan
    if not (sep and all(map(math.isfinite, bounds)) and bounds[0] < bounds[1]):
        raise InputError(
            f"--bounds takes LOW:HIGH with finite LOW < HIGH (e.g. 10:40), got {text!r}"
        )
    return bounds


def run(args: argparse.Namespace, physics=None) -> int:
    """The command; ``physics`` (from the layer above) has ``c_rate`` (None: nominal only),
    ``resolve(design)``, ``at_rate(design)``, ``table(result)`` and ``plot(result, path, title)``.
    """
    import json

    from lrmo_cell.design.report import plot_mass_breakdown, summary, table
    from lrmo_cell.design.schema import load_design, parse_set
    from lrmo_cell.errors import InputError
    from lrmo_cell.files import output_file

    if args.plot is not None:
        output_file(args.plot, "--plot", (".png",))
    if (args.target or args.bounds) and not args.solve:
        raise InputError("--target and --bounds need --solve FIELD")
    if args.solve:
        target, value = _parse_target(args.target)
        bounds = _parse_bounds(args.bounds)
    design = load_design(args.file, parse_set(args.set))
    if design.needs_model:
        if physics is None:
            raise InputError('cathode.performance_from = "model" needs the LRMO model to run')
        design = physics.resolve(design)
    solution = None
    if args.solve:
        from lrmo_cell.design.inverse import solve

        solution = solve(design, args.solve, target, value, bounds)
        design = solution.design
    report = summary(design)
    if solution is not None:
        report["solution"] = {
            "field": solution.field,
            "value": solution.value,
            "target": solution.target,
            "target_value": solution.target_value,
            "achieved": solution.achieved,
            "interval": list(solution.interval),
            "note": solution.note,
        }
    at_rate = None
    if physics is not None and physics.c_rate is not None:
        at_rate = physics.at_rate(design)
        report["at_rate"] = {k: v for k, v in at_rate.items() if k != "curve"}
    if args.plot and at_rate is not None:
        physics.plot(at_rate, args.plot, design.name)
    elif args.plot:
        plot_mass_breakdown(report, args.plot)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    if solution is not None:
        note = f" ({solution.note})" if solution.note else ""
        print(
            f"solved: {solution.field} = {solution.value:.6g} gives {solution.target} = "
            f"{solution.achieved:.6g} (target {solution.target_value:g}){note}\n"
        )
    print(table(report, with_sources=args.sources))
    if at_rate is not None:
        print("\n" + physics.table(at_rate))
    return 0
