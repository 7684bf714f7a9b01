"""``lrmo-cell simulate`` and ``lrmo-cell validate``: the physics model from the command line.

PyBaMM, pandas and matplotlib are imported inside the handlers so other commands start fast.
"""

from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    """Add the model's sub-commands to the ``lrmo-cell`` parser."""
    simulate = subparsers.add_parser(
        "simulate",
        help="cycle an LRMO half cell (formation, then N cycles) and summarise each cycle",
        description="Cycle an LRMO cell with the PyBaMM LRMO model: formation cycles first, then "
        "N cycles at the cycling rate; one summary row per cycle (1C = 250 mA/g).",
    )
    simulate.add_argument("sample", help="pristine, Ru-0.5, Ru-1, Ru-3, or a parameter set .json")
    simulate.add_argument("--c-rate", type=float, default=1.0, help="cycling C-rate (default 1)")
    simulate.add_argument("--cycles", type=int, default=1, help="cycles after formation (0: none)")
    simulate.add_argument("--formation-c-rate", type=float, default=0.1, help="default 0.1")
    simulate.add_argument("--formation-cycles", type=int, default=1, help="default 1")
    simulate.add_argument("--v-min", type=float, default=2.0, help="discharge limit [V] (2.0)")
    simulate.add_argument("--v-max", type=float, default=4.8, help="charge limit [V] (4.8)")
    simulate.add_argument("--charge-mode", choices=("CC", "CCCV"), default="CC")
    simulate.add_argument("--base", choices=("SPM", "SPMe", "DFN"), default="SPMe")
    simulate.add_argument("--json", action="store_true", help="print one JSON object")
    simulate.set_defaults(func=_simulate)

    validate = subparsers.add_parser(
        "validate",
        help="run the model against the study's calibration table and write a report",
        description="Run the LRMO model for every row of validation/sun2025_calibration.csv, "
        "write a Markdown report with figures, exit 1 if any row misses its tolerance.",
    )
    validate.add_argument("--out", default="validation_report", help="report folder")
    validate.set_defaults(func=_validate)

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


def _validate(args) -> int:
    from lrmo_cell.models.report import write_validation_report

    passed = write_validation_report(args.out)
    return 0 if passed else 1


def _bpx(args) -> int:
    from lrmo_cell.models.bpx import export_bpx

    print(f"wrote {export_bpx(args.set, args.out)}")
    return 0
