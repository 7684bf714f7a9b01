"""``lrmo-cell reproduce``: the study end to end, into one results folder.

The pouch cells of the paper through the designer (report, mass breakdown, sensitivity) and the
LRMO model against the paper's calibration table (report and figures). Exit status 1 if any
published figure is missed, so the main job of the README fails loudly rather than quietly.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reproduce",
        help="reproduce the study: pouch-cell designs and model validation, into one folder",
        description=(
            "Evaluate every design in designs/ (JSON, table, mass breakdown and tornado PNGs, "
            "comparison with the paper) and validate the LRMO model against the paper's "
            "calibration table; write everything and an index README.md into --out."
        ),
    )
    parser.add_argument("--out", default="results", help="results folder (default: results)")
    parser.add_argument(
        "--skip-model", action="store_true", help="designs only (no PyBaMM simulations)"
    )
    parser.set_defaults(func=run)


def reproduce_designs(out_dir: Path) -> tuple[bool, list[str]]:
    """Every design file's report and figures, and the paper's pouch cells compared.

    Returns whether every published figure is met and the Markdown lines of the summary.
    """
    from lrmo_cell.design.published import compare_designs
    from lrmo_cell.design.report import plot_mass_breakdown, summary, table
    from lrmo_cell.design.schema import load_design
    from lrmo_cell.files import atomic_path
    from lrmo_cell.plotting import quantity_label
    from lrmo_cell.resources import data_dir
    from lrmo_cell.studies.sensitivity import markdown, plot_tornado, tornado

    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        "## Pouch cells",
        "",
        "| design | Ah | Wh | Wh/kg | Wh/L | mm |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for path in sorted(data_dir("designs").glob("*.toml")):
        design = load_design(path)
        report = summary(design)
        with atomic_path(out_dir / f"{path.stem}.json") as tmp:
            Path(tmp).write_text(json.dumps(report, indent=2))
        with atomic_path(out_dir / f"{path.stem}.txt") as tmp:
            Path(tmp).write_text(table(report, with_sources=True) + "\n")
        plot_mass_breakdown(report, out_dir / f"{path.stem}_mass.png")
        rows = tornado(design)
        metric = "specific_energy_Wh_per_kg"
        plot_tornado(
            rows,
            metric,
            out_dir / f"{path.stem}_tornado.png",
            title=f"{design.name}: {quantity_label(metric)} = {rows[0]['base_metric']:.4g}",
        )
        with atomic_path(out_dir / f"{path.stem}_tornado.md") as tmp:
            Path(tmp).write_text(markdown(rows, metric) + "\n")
        lines.append(
            f"| [{path.stem}](designs/{path.stem}.txt) | {report['capacity_Ah']:.3f} | "
            f"{report['energy_Wh']:.2f} | {report['specific_energy_Wh_per_kg']:.1f} | "
            f"{report['energy_density_Wh_per_L']:.0f} | {report['thickness_mm']:.2f} |"
        )
    comparison = compare_designs()
    with atomic_path(out_dir / "comparison_with_paper.csv") as tmp:
        comparison.to_csv(tmp, index=False)
    lines += ["", "Against the paper (validation/sun2025_pouch_cells.csv):", ""]
    lines += [
        f"- {r.design} {r.quantity}: designer {r.designer:.4g}, paper {r.paper:g} "
        f"(allowed ±{r.allowed_deviation:.3g}): {'pass' if r.passes else 'FAIL'}"
        for r in comparison.itertuples()
    ]
    return bool(comparison["passes"].all()), lines


def reproduce_model(out_dir: Path) -> tuple[bool, list[str]]:
    """The model against the calibration table; the validation module writes its own report."""
    from lrmo_cell.experiments.report import write_report

    passed = write_report(out_dir)
    return passed, [
        "## LRMO model",
        "",
        "Validation against the paper's calibration table: "
        f"{'all rows pass' if passed else 'FAILED'} (see [report](validation/report.md)).",
    ]


def run(args: argparse.Namespace) -> int:
    from lrmo_cell.files import atomic_path, output_dir, staged_dir

    out = output_dir(args.out, "--out")
    # built in a staging folder beside --out and moved into place when complete: an
    # interrupted run leaves the previous results (or none), never a mixture
    with staged_dir(out) as stage:
        designs_ok, lines = reproduce_designs(stage / "designs")
        passed = designs_ok
        if not args.skip_model:
            model_ok, model_lines = reproduce_model(stage / "validation")
            passed = passed and model_ok
            lines += ["", *model_lines]
        header = [
            "# lrmo-cell: the study reproduced",
            "",
            "Sun et al., Energy Environ. Sci. 18 (2025) 4335, doi:10.1039/d5ee00430f. "
            "Made by `lrmo-cell reproduce`.",
            "",
        ]
        with atomic_path(stage / "README.md") as tmp:
            Path(tmp).write_text("\n".join(header + lines) + "\n")
    print("\n".join(lines))
    print(f"\nresults in {out}/ ({'all published figures met' if passed else 'SOME MISSED'})")
    return 0 if passed else 1
