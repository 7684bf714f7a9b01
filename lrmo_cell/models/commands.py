"""``lrmo-cell simulate`` and ``lrmo-cell validate``: the physics model from the command line.

PyBaMM, pandas and matplotlib are imported inside the handlers so other commands start fast.
"""

from __future__ import annotations

import json
import sys

from lrmo_cell.arguments import number

# the ranges simulate_cycling accepts (checked here too, so argparse refuses before any import)
_C_RATE = {"gt": 0, "le": 100, "unit": "C"}
_VOLTAGE = {"ge": 1.5, "le": 5.0, "unit": "V"}


def add_extrapolation_arguments(parser) -> None:
    """``--extrapolate`` and its options, for the commands that cycle a cell."""
    # the defaults and ranges of lrmo_cell.models.extrapolation (not imported: it loads PyBaMM)
    parser.add_argument(
        "--extrapolate",
        action="store_true",
        help="jump over cycles by adaptive inter-cycle extrapolation (interpolated rows, of the "
        "cycles jumped over and of the first after each jump, are marked extrapolated)",
    )
    parser.add_argument(
        "--extrapolation-tolerance",
        type=number("--extrapolation-tolerance", name="tolerance", gt=0, le=0.1),
        default=1e-2,
        help="relative error allowed per jump (0.01)",
    )
    parser.add_argument(
        "--max-skip-cycles",
        type=number("--max-skip-cycles", name="max_skip_cycles", ge=1, le=5000, integer=True),
        default=200,
        help="most cycles one jump skips (200)",
    )


def extrapolation_options(args) -> dict:
    """The keywords ``simulate_cycling`` takes from ``add_extrapolation_arguments``."""
    if not args.extrapolate:
        return {}
    return {
        "extrapolate": True,
        "tolerance": args.extrapolation_tolerance,
        "max_skip_cycles": args.max_skip_cycles,
    }


def register(subparsers) -> None:
    """Add the model's sub-commands to the ``lrmo-cell`` parser."""
    simulate = subparsers.add_parser(
        "simulate",
        help="cycle an LRMO half cell (formation, then N cycles) and summarise each cycle",
        description="Cycle an LRMO cell with the PyBaMM LRMO model: formation cycles first, then "
        "N cycles at the cycling rate; one summary row per cycle (1C = 250 mA/g).",
    )
    simulate.add_argument("sample", help="pristine, Ru-0.5, Ru-1, Ru-3, or a parameter set .json")
    simulate.add_argument(
        "--c-rate",
        type=number("--c-rate", name="c_rate", **_C_RATE),
        default=1.0,
        help="cycling C-rate (1)",
    )
    simulate.add_argument(
        "--cycles",
        type=number("--cycles", name="cycles", ge=0, le=5000, integer=True),
        default=1,
        help="cycles after formation (0: none)",
    )
    simulate.add_argument(
        "--formation-c-rate",
        type=number("--formation-c-rate", name="formation_c_rate", **_C_RATE),
        default=0.1,
        help="default 0.1",
    )
    simulate.add_argument(
        "--formation-cycles",
        type=number("--formation-cycles", name="formation_cycles", ge=0, le=100, integer=True),
        default=1,
        help="default 1",
    )
    simulate.add_argument(
        "--v-min",
        type=number("--v-min", name="v_min", **_VOLTAGE),
        default=2.0,
        help="discharge limit (2.0 V)",
    )
    simulate.add_argument(
        "--v-max",
        type=number("--v-max", name="v_max", **_VOLTAGE),
        default=4.8,
        help="charge limit (4.8 V)",
    )
    simulate.add_argument("--charge-mode", choices=("CC", "CCCV"), default="CC")
    simulate.add_argument("--base", choices=("SPM", "SPMe", "DFN"), default="SPMe")
    simulate.add_argument("--json", action="store_true", help="print one JSON object")
    simulate.add_argument(
        "--compiled",
        action="store_true",
        help="evaluate the model through C code compiled ahead of time (a 10-20 s build on the "
        "first run of a set, kept on disk; about 4.5x faster integration, for long runs)",
    )
    add_extrapolation_arguments(simulate)
    simulate.set_defaults(func=_simulate)

    export = subparsers.add_parser(
        "bpx",
        help="export a full-cell parameter set to BPX (LRMO extension in 'User-defined')",
        description="Write the base cell parameters of a full-cell set (e.g. "
        "LRMO_Sun2025_Ru1_graphite) as a validated BPX JSON file; the LRMO oxygen parameters go "
        "into BPX's 'User-defined' section.",
    )
    export.add_argument("set", help="full-cell parameter set name or .json file")
    export.add_argument("--out", required=True, help="BPX JSON file to write")
    export.set_defaults(func=_bpx)


def _simulate(args) -> int:
    from lrmo_cell.errors import InputError

    if not args.v_min < args.v_max:
        raise InputError(
            f"--v-min (v_min = {args.v_min:g} V) must be below --v-max (v_max = {args.v_max:g} V)"
        )
    if args.cycles + args.formation_cycles < 1:
        raise InputError(
            "--cycles plus --formation-cycles must be at least 1 (cycles + formation_cycles)"
        )
    from lrmo_cell.parameters import load_parameter_set

    # a bad set is refused before the model is built
    load_parameter_set(args.sample, complete=True)
    from lrmo_cell.models.cycling import simulate_cycling

    frame = simulate_cycling(
        args.sample,
        args.c_rate,
        args.cycles,
        formation_c_rate=args.formation_c_rate,
        formation_cycles=args.formation_cycles,
        v_min=args.v_min,
        v_max=args.v_max,
        charge_mode=args.charge_mode,
        base=args.base,
        compiled=args.compiled,
        **extrapolation_options(args),
    )
    if args.json:
        document = {
            "sample": args.sample,
            "protocol": {
                "formation_c_rate": args.formation_c_rate,
                "formation_cycles": args.formation_cycles,
                "c_rate": args.c_rate,
                "cycles": args.cycles,
                "v_min": args.v_min,
                "v_max": args.v_max,
                "charge_mode": args.charge_mode,
                "base": args.base,
                "specific_current_1C_mA_per_g": 250.0,
            },
            "cycles": json.loads(frame.to_json(orient="records")),
        }
        json.dump(document, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(frame.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    return 0


def _bpx(args) -> int:
    from lrmo_cell.errors import InputError
    from lrmo_cell.files import distinct_outputs, output_file
    from lrmo_cell.parameters import load_parameter_set

    output_file(args.out, "--out", (".json",))
    distinct_outputs({"--out": args.out}, [args.set])
    if "Negative particle radius [m]" not in load_parameter_set(args.set, complete=True):
        raise InputError(
            f"bpx needs a full-cell parameter set (BPX has no half-cell form); {args.set!r} is a "
            "half cell"
        )
    from lrmo_cell.models.bpx import export_bpx

    print(f"wrote {export_bpx(args.set, args.out)}")
    return 0
