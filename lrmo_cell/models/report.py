"""``lrmo-cell validate``: the model against Sun et al. 2025, as a Markdown report with figures.

Runs pristine and Ru-1 through one 0.1C formation cycle and 300 cycles at 1C (2.0-4.8 V vs Li),
compares every calibration row (validation/sun2025_calibration.csv) and adds predictions the model
was not fitted to: rate capability, voltage decay per cycle, the treatment series (Ru-0.5 and Ru-3
beside the two calibrated samples: ICE, first discharge, 1C capacity, 300-cycle retention) and the
Ru-1 || graphite full cell at C/3.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lrmo_cell.files import atomic_path, save_png

from .cycling import active_powder_mass_g, run_cycling, simulate_cycling
from .validation import calibration_table, compare, literature_targets, table_metrics

SAMPLES = ("pristine", "Ru-1")
COLOURS = {"pristine": "tab:red", "Ru-1": "tab:blue"}
RETENTION_CYCLES = 300
FULL_CELL_CYCLES = 450


def _specific(step, mass_g):
    q = step["Discharge capacity [A.h]"].entries
    return 1000 * np.abs(q - q[0]) / mass_g, step["Voltage [V]"].entries


def plot_first_cycle(runs: dict, out: Path) -> list[str]:
    """First-cycle voltage curves and dQ/dV (pristine vs Ru-1); returns the file names."""
    fig_v, fig_d = Figure(figsize=(6, 4.2)), Figure(figsize=(6, 4.2))
    ax_v, ax_d = fig_v.subplots(), fig_d.subplots()
    for sample, (_, solution, values) in runs.items():
        mass_g = active_powder_mass_g(values)
        for k, step in enumerate(solution.cycles[0].steps):
            q, v = _specific(step, mass_g)
            label = sample if k == 0 else None
            ax_v.plot(q, v, color=COLOURS[sample], ls="-" if k == 0 else "--", label=label)
            order = np.argsort(v)
            v_grid = np.linspace(v.min() + 0.02, v.max() - 0.02, 200)
            q_of_v = np.interp(v_grid, v[order], q[order])
            # q is the throughput of the step, so dQ/dV comes out negative on discharge
            ax_d.plot(v_grid, np.gradient(q_of_v, v_grid), color=COLOURS[sample], label=label)
    ax_v.set(
        xlabel="specific capacity [mAh/g]",
        ylabel="voltage vs Li [V]",
        title="First cycle at 0.1C (solid: charge, dashed: discharge)",
    )
    ax_d.set(
        xlabel="voltage vs Li [V]",
        ylabel="dQ/dV [mAh/g/V] (discharge < 0)",
        title="First-cycle differential capacity at 0.1C",
    )
    for ax in (ax_v, ax_d):
        ax.legend()
        ax.grid(alpha=0.3)
    for fig in (fig_v, fig_d):
        fig.tight_layout()
    save_png(fig_v, out / "first_cycle_voltage.png")
    save_png(fig_d, out / "first_cycle_dqdv.png")
    return ["first_cycle_voltage.png", "first_cycle_dqdv.png"]


def plot_cycling(runs: dict, out: Path) -> list[str]:
    """Discharge capacity and mean discharge voltage vs cycle."""
    fig = Figure(figsize=(6, 6))
    ax_q, ax_v = fig.subplots(2, 1, sharex=True)
    for sample, (frame, _, _) in runs.items():
        ax_q.plot(
            frame["cycle"],
            frame["discharge_capacity_mAh_per_g"],
            color=COLOURS[sample],
            label=sample,
        )
        ax_v.plot(frame["cycle"], frame["mean_discharge_voltage_V"], color=COLOURS[sample])
    ax_q.set(ylabel="discharge capacity [mAh/g]", title="0.1C formation, then 1C (2.0-4.8 V)")
    ax_v.set(xlabel="cycle", ylabel="mean discharge voltage [V]")
    ax_q.legend()
    for ax in (ax_q, ax_v):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    save_png(fig, out / "capacity_and_voltage_vs_cycle.png")
    return ["capacity_and_voltage_vs_cycle.png"]


def plot_oxygen(runs: dict, out: Path, n_cycles: int = 6) -> list[str]:
    """Released, RuO2-bound and escaped oxygen [umol/g] vs time over the first cycles."""
    fig = Figure(figsize=(6, 4.2))
    ax = fig.subplots()
    for sample, (_, solution, _values) in runs.items():
        cycles = [c for c in solution.cycles[:n_cycles] if c is not None]
        t = np.concatenate([c["Time [h]"].entries for c in cycles])
        for pool, ls in (("Released", "-"), ("RuO2-bound", "--"), ("Escaped", ":")):
            y = np.concatenate([c[f"{pool} oxygen [umol.g-1]"].entries for c in cycles])
            ax.plot(t, y, color=COLOURS[sample], ls=ls, label=f"{sample} {pool.lower()}")
    ax.set(
        xlabel="time [h]",
        ylabel="cumulative O2 [umol/g]",
        title=f"Oxygen over the first {n_cycles} cycles (formation + 1C)",
    )
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    save_png(fig, out / "oxygen_vs_time.png")
    return ["oxygen_vs_time.png"]


def treatment_series(runs: dict) -> dict:
    """Cycle rows of every sample of the study's series, by RuCl3 concentration: the calibrated
    samples' from ``runs``, the others' from an extrapolated run of the same protocol (within
    0.3 % of the full run's retention, benchmarks/bench_extrapolation.py)."""
    from lrmo_cell.parameters.treatment import SAMPLE_RUCL3_MG_PER_ML

    return {
        sample: runs[sample][0]
        if sample in runs
        else simulate_cycling(sample, 1.0, RETENTION_CYCLES, extrapolate=True)
        for sample in sorted(SAMPLE_RUCL3_MG_PER_ML, key=SAMPLE_RUCL3_MG_PER_ML.get)
    }


def _retention(frame) -> float:
    """The last cycle's discharge capacity over the first after formation's."""
    q = frame["discharge_capacity_mAh_per_g"]
    return float(q.iloc[-1] / q.iloc[1])


def plot_treatment_series(series: dict, out: Path) -> list[str]:
    """ICE, first discharge, 1C capacity and retention against the RuCl3 concentration of the
    treatment, the study's calibration rows beside the model."""
    from lrmo_cell.parameters.treatment import SAMPLE_RUCL3_MG_PER_ML

    table = calibration_table().set_index(["sample", "quantity"])["value"]
    panels = (
        ("initial Coulombic efficiency at 0.1C [-]", "initial_coulombic_efficiency"),
        ("first discharge at 0.1C [mAh/g]", "first_discharge_capacity"),
        ("discharge capacity at 1C [mAh/g]", "discharge_capacity"),
        (f"retention after {RETENTION_CYCLES} cycles at 1C [-]", "capacity_retention"),
    )
    metrics = {s: table_metrics(frame, RETENTION_CYCLES) for s, frame in series.items()}
    fig = Figure(figsize=(8, 6.4))
    axes = fig.subplots(2, 2, sharex=True).ravel()
    concentration = [SAMPLE_RUCL3_MG_PER_ML[s] for s in series]
    for ax, (label, quantity) in zip(axes, panels, strict=True):
        model = [metrics[s].get(quantity, np.nan) for s in series]
        ax.plot(concentration, model, "o-", color="tab:blue", label="model")
        paper = [
            (SAMPLE_RUCL3_MG_PER_ML[s], table[(s, quantity)])
            for s in series
            if (s, quantity) in table.index
        ]
        if paper:
            ax.plot(*zip(*paper, strict=True), "ks", mfc="none", label="study (calibration rows)")
        for sample, c, value in zip(series, concentration, model, strict=True):
            ax.annotate(
                sample,
                (c, value),
                textcoords="offset points",
                xytext=(3, 4),
                fontsize=7,
            )
        ax.set(ylabel=label)
        ax.margins(y=0.15)  # room for the sample labels
        ax.grid(alpha=0.3)
    for ax in axes[2:]:
        ax.set(xlabel="RuCl3 concentration of the treatment [mg/mL]")
    axes[0].legend(fontsize=8)
    fig.suptitle("Treatment series: 0.1C formation, then 1C (2.0-4.8 V vs Li)")
    fig.tight_layout()
    save_png(fig, out / "treatment_series.png")
    return ["treatment_series.png"]


def predictions(runs: dict, series: dict) -> pd.DataFrame:
    """Model outputs the calibration never saw."""
    from lrmo_cell.parameters import read_parameter_file

    rows = []
    for sample, (frame, _, _) in runs.items():
        cycling = frame.iloc[1:]
        slope = np.polyfit(cycling["cycle"], cycling["mean_discharge_voltage_V"], 1)[0]
        rows.append(
            {
                "prediction": f"{sample}: mean discharge voltage decay at 1C "
                "(slope over all 1C cycles)",
                "value": 1000 * slope,
                "unit": "mV/cycle",
            }
        )
        performance = read_parameter_file(sample).get("performance", {}).get("rates", [])
        for rate in performance:
            rows.append(
                {
                    "prediction": f"{sample}: discharge capacity at {rate['c_rate']}C",
                    "value": rate["discharge_capacity_mAh_per_g"],
                    "unit": "mAh/g",
                }
            )
    for sample, frame in series.items():
        if sample in runs:
            continue  # the calibrated samples' rows are the calibration table's
        metrics = table_metrics(frame, RETENTION_CYCLES)
        for label, quantity, unit in (
            ("ICE at 0.1C", "initial_coulombic_efficiency", "-"),
            ("first discharge at 0.1C", "first_discharge_capacity", "mAh/g"),
            ("discharge capacity at 1C", "discharge_capacity", "mAh/g"),
            (
                f"retention after {RETENTION_CYCLES} cycles at 1C (extrapolated run)",
                "capacity_retention",
                "-",
            ),
        ):
            if quantity in metrics:  # a cell that stopped cycling early has no retention
                rows.append(
                    {"prediction": f"{sample}: {label}", "value": metrics[quantity], "unit": unit}
                )
    full = simulate_cycling("LRMO_Sun2025_Ru1_graphite", 1 / 3, FULL_CELL_CYCLES, v_max=4.6)
    # the Mn-catalysed SEI's two rates are assumed (the set's sources): its share of the fade
    without_mn = simulate_cycling(
        "LRMO_Sun2025_Ru1_graphite",
        1 / 3,
        FULL_CELL_CYCLES,
        v_max=4.6,
        model_options={"LRMO TM dissolution": "none"},
    )
    for frame, label in (
        (full, ""),
        (without_mn, " without the Mn-catalysed SEI (its rates assumed)"),
    ):
        if len(frame) > 1:
            rows.append(
                {
                    "prediction": f"Ru-1 || graphite: retention after {len(frame) - 1} C/3 "
                    f"cycles{label}",
                    "value": _retention(frame),
                    "unit": "-",
                }
            )
    if len(full) > 1:
        # the fresh graphite's SEI formation takes its share of Li once, on the 0.1C first charge
        rows.append(
            {
                "prediction": "Ru-1 || graphite: Coulombic efficiency of the 0.1C first cycle",
                "value": full["coulombic_efficiency"].iloc[0],
                "unit": "-",
            }
        )
        rows.append(
            {
                "prediction": "Ru-1 || graphite: discharge capacity, first C/3 cycle",
                "value": full["discharge_capacity_mAh_per_g"].iloc[1],
                "unit": "mAh/g",
            }
        )
        for label, row in (("first C/3 cycle", 1), ("last cycle", -1)):
            rows.append(
                {
                    "prediction": f"Ru-1 || graphite: energy efficiency, {label}",
                    "value": full["energy_efficiency"].iloc[row],
                    "unit": "-",
                }
            )
    return pd.DataFrame(rows)


def write_validation_report(out_dir) -> bool:
    """Run the validation, write ``report.md`` and figures into ``out_dir``; True if all pass."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    runs = {s: run_cycling(s, 1.0, RETENTION_CYCLES) for s in SAMPLES}
    metrics = {s: table_metrics(frame, RETENTION_CYCLES) for s, (frame, _, _) in runs.items()}
    result = compare(calibration_table(), metrics)
    literature = compare(literature_targets(), metrics)
    series = treatment_series(runs)
    figures = plot_first_cycle(runs, out) + plot_cycling(runs, out) + plot_oxygen(runs, out)
    figures += plot_treatment_series(series, out)
    predicted = predictions(runs, series)
    lines = [
        "# LRMO model vs Sun et al., Energy Environ. Sci. 18 (2025) 4335",
        "",
        "doi:10.1039/d5ee00430f. Produced by `lrmo-cell validate`: pristine and Ru-1 half cells,"
        " one",
        "0.1C formation cycle then 300 cycles at 1C, 2.0-4.8 V vs Li, 1C = 250 mA/g.",
        "",
        "## Calibration table",
        "",
        result.to_markdown(index=False, floatfmt=".4g"),
        "",
        f"**{int(result['passes'].sum())} of {len(result)} rows within tolerance.**",
        "",
        "## Other studies' figures the calibration also fits",
        "",
        "Rates no row of the study pins, fitted to other LRMO studies"
        " (validation/lrmo_literature_targets.csv, each row names its source):",
        "",
        literature.to_markdown(index=False, floatfmt=".4g"),
        "",
        "## Predictions (not fitted)",
        "",
        predicted.to_markdown(index=False, floatfmt=".4g"),
        "",
        "## Figures",
        "",
        *[f"![{name}]({name})" for name in figures],
        "",
    ]
    with atomic_path(out / "report.md") as tmp:
        Path(tmp).write_text("\n".join(lines))
    return bool(result["passes"].all())
