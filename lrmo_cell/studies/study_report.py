"""A study's report, drawn from its result table alone: Pareto fronts, heatmaps, Sobol indices.

The finished Parquet table carries its study's manifest (inputs, sampling, protocol, outputs and
the ``[report]`` wishes), so ``lrmo-cell study report RESULTS`` needs nothing else. Every figure is
a PNG with its quantities and units on the axes; every figure's numbers are also a CSV.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from lrmo_cell.errors import InputError

#: heatmap cells per axis of a scattered (non-grid) study
MAX_BINS = 10
MAX_DEFAULT_HEATMAPS = 4


def read_results(path) -> tuple:
    """``(table, identity)`` of a finished study file; anything else is refused in one sentence."""
    from lrmo_cell.studies.storage import finished_manifest

    path = Path(path)
    if path.suffix.lower() != ".parquet" or not path.is_file():
        raise InputError(f"RESULTS must be a study's .parquet result file, got {str(path)!r}")
    spec = finished_manifest(path)
    identity = json.loads(spec) if spec else {}
    if identity.get("kind") != "study":
        raise InputError(f"{path} is not the result of `lrmo-cell study` (no study manifest)")
    import pandas as pd

    return pd.read_parquet(path), identity


def plan(identity: dict) -> dict:
    """The figures to draw: ``{"pareto": [(x, y)], "heatmaps": [(x, y, z)]}``, from the study's
    ``[report]`` table (checked) or, without one, the first two outputs and inputs."""
    inputs = [i["name"] for i in identity["inputs"]]
    outputs = identity["outputs"]
    wishes = identity.get("report") or {}
    unknown = sorted(set(wishes) - {"pareto", "heatmaps"})
    if unknown:
        raise InputError(f"report.{unknown[0]}: known keys are pareto and heatmaps")
    pareto = wishes.get("pareto", [outputs[:2]] if len(outputs) > 1 else [])
    heatmaps = wishes.get(
        "heatmaps",
        [[*inputs[:2], z] for z in outputs[:MAX_DEFAULT_HEATMAPS]] if len(inputs) > 1 else [],
    )
    for pair in pareto:
        if not (isinstance(pair, list) and len(pair) == 2 and all(p in outputs for p in pair)):
            raise InputError(
                f"report.pareto takes pairs of the study's outputs, like "
                f"[[{outputs[0]!r}, ...]], got {pair!r}"
            )
    for triple in heatmaps:
        ok = isinstance(triple, list) and len(triple) == 3
        if not (ok and triple[0] in inputs and triple[1] in inputs and triple[2] in outputs):
            raise InputError(
                "report.heatmaps takes [input, input, output] triples of the study's names, "
                f"got {triple!r}"
            )
    return {"pareto": [tuple(p) for p in pareto], "heatmaps": [tuple(t) for t in heatmaps]}


def label(name: str, identity: dict) -> str:
    """An axis label with unit; a model output says under which cycling it was computed."""
    from lrmo_cell.plotting import quantity_label
    from lrmo_cell.studies.study import OUTPUTS

    text = quantity_label(name)
    output = OUTPUTS.get(name)
    if output is not None and output.needs == "cycling":
        protocol = identity["protocol"]
        if "retention" in name or "after_cycles" in name:
            return f"{text}, {protocol['cycles']} cycles at {protocol['c_rate']:g}C"
        if "oxygen" not in name:
            return f"{text} at {protocol['c_rate']:g}C"
    return text


def pareto_front(x: np.ndarray, y: np.ndarray, better_x: str, better_y: str) -> np.ndarray:
    """Mask of the points no other point beats in both (NaN never on the front)."""
    sx = np.where(np.isfinite(x), x if better_x == "max" else -x, -np.inf)
    sy = np.where(np.isfinite(y), y if better_y == "max" else -y, -np.inf)
    finite = np.isfinite(x) & np.isfinite(y)
    on_front = np.zeros(x.size, dtype=bool)
    # sweep by descending x (ties: descending y): a point is on the front if its y beats every
    # y seen so far
    best_y = -np.inf
    for i in np.lexsort((-sy, -sx)):
        if finite[i] and sy[i] > best_y:
            on_front[i] = True
            best_y = sy[i]
    return on_front


def _slug(*names: str) -> str:
    return "__".join(re.sub(r"[^A-Za-z0-9]+", "_", n).strip("_") for n in names)


def _figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.subplots()
    # retentions differ in the fifth digit over a few cycles: show them, not an offset
    ax.ticklabel_format(useOffset=False)
    return fig, ax


def draw_pareto(table, x: str, y: str, identity: dict, folder: Path) -> Path:
    from lrmo_cell.files import save_png
    from lrmo_cell.studies.study import OUTPUTS

    front = pareto_front(
        table[x].to_numpy(float), table[y].to_numpy(float), OUTPUTS[x].better, OUTPUTS[y].better
    )
    rows = table[front].sort_values(x)
    rows.to_csv(folder / f"pareto_{_slug(x, y)}.csv", index=False)
    fig, ax = _figure()
    ax.scatter(table[x], table[y], s=14, color="0.6", label=f"all {len(table)} points")
    ax.plot(rows[x], rows[y], "o-", color="C3", ms=5, label=f"Pareto front ({len(rows)})")
    ax.set_xlabel(label(x, identity))
    ax.set_ylabel(label(y, identity))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(identity["name"], fontsize=9)
    fig.tight_layout()
    path = folder / f"pareto_{_slug(x, y)}.png"
    save_png(fig, path)
    return path


def _bins(values: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres and the cell of every value: a grid's own levels, else equal-width bins."""
    if method == "grid":
        levels, index = np.unique(values, return_inverse=True)
        return levels, index
    n = int(np.clip(np.sqrt(values.size / 2), 2, MAX_BINS))
    edges = np.linspace(values.min(), values.max(), n + 1)
    index = np.clip(np.digitize(values, edges) - 1, 0, n - 1)
    return (edges[:-1] + edges[1:]) / 2, index


def draw_heatmap(table, x: str, y: str, z: str, identity: dict, folder: Path) -> Path:
    """Mean of ``z`` over every point in each (x, y) cell: over the other inputs' values."""
    from lrmo_cell.files import save_png

    xc, xi = _bins(table[x].to_numpy(float), identity["method"])
    yc, yi = _bins(table[y].to_numpy(float), identity["method"])
    values = table[z].to_numpy(float)
    total = np.zeros((yc.size, xc.size))
    count = np.zeros_like(total)
    ok = np.isfinite(values)
    np.add.at(total, (yi[ok], xi[ok]), values[ok])
    np.add.at(count, (yi[ok], xi[ok]), 1)
    with np.errstate(invalid="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
    fig, ax = _figure()
    mesh = ax.pcolormesh(xc, yc, mean, shading="nearest", cmap="viridis")
    fig.colorbar(mesh, ax=ax, label=label(z, identity))
    ax.scatter(table[x], table[y], s=6, color="white", edgecolors="black", linewidths=0.3)
    ax.set_xlabel(label(x, identity))
    ax.set_ylabel(label(y, identity))
    others = len(identity["inputs"]) > 2
    ax.set_title(
        f"{label(z, identity)}" + (": mean over the other inputs" if others else ""), fontsize=9
    )
    fig.tight_layout()
    path = folder / f"heatmap_{_slug(z, x, y)}.png"
    save_png(fig, path)
    return path


def sobol_indices(table, identity: dict):
    """First-order and total Sobol indices (SALib) of every output without failed points, as a
    tidy DataFrame; None unless the study used the Sobol (Saltelli) sampling."""
    if identity["method"] != "sobol":
        return None
    import pandas as pd
    from SALib.analyze import sobol

    names = [i["name"] for i in identity["inputs"]]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0, 1]] * len(names)}
    ordered = table.sort_values("point")
    rows = []
    for output in identity["outputs"]:
        y = ordered[output].to_numpy(float)
        if not np.all(np.isfinite(y)):
            continue  # Saltelli's estimators need every point; a failed one leaves a hole
        result = sobol.analyze(
            problem, y, calc_second_order=False, seed=identity["seed"], print_to_console=False
        )
        for j, name in enumerate(names):
            rows.append(
                {
                    "output": output,
                    "input": name,
                    "S1": result["S1"][j],
                    "S1_conf": result["S1_conf"][j],
                    "ST": result["ST"][j],
                    "ST_conf": result["ST_conf"][j],
                }
            )
    return pd.DataFrame(rows, columns=["output", "input", "S1", "S1_conf", "ST", "ST_conf"])


def draw_sobol(indices, identity: dict, folder: Path) -> Path:
    """One panel per output: first-order and total index of each input, with 95% intervals."""
    from matplotlib.figure import Figure

    from lrmo_cell.files import save_png
    from lrmo_cell.plotting import quantity_label

    outputs = list(dict.fromkeys(indices["output"]))
    names = [i["name"] for i in identity["inputs"]]
    cols = min(3, len(outputs))
    rows = -(-len(outputs) // cols)
    fig = Figure(figsize=(4.2 * cols, 2.2 + 1.9 * rows))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    y = np.arange(len(names))
    for ax, output in zip(axes, outputs, strict=False):
        part = indices[indices["output"] == output].set_index("input").loc[names]
        ax.barh(y + 0.2, part["S1"], 0.4, xerr=part["S1_conf"], label="first order S1")
        ax.barh(y - 0.2, part["ST"], 0.4, xerr=part["ST_conf"], label="total ST")
        ax.set_yticks(y, [quantity_label(n) for n in names], fontsize=7)
        ax.set_xlabel("Sobol index (share of the output's variance)", fontsize=7)
        ax.set_title(label(output, identity), fontsize=8)
        ax.axvline(0, color="0.3", lw=0.6)
        ax.grid(alpha=0.3, axis="x")
    for ax in axes[len(outputs) :]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7)
    fig.suptitle(
        f"{identity['name']}: Sobol indices from {identity['n_points']} points", fontsize=9
    )
    fig.tight_layout()
    path = folder / "sobol_indices.png"
    save_png(fig, path)
    return path


def write_report(results, out) -> list[str]:
    """Draw every figure of the study in ``results`` into folder ``out``; return the file names.

    The folder is filled through a staging folder, so each file appears complete or not at all.
    """
    from lrmo_cell.files import output_dir, staged_dir

    table, identity = read_results(results)
    output_dir(out, "--out")
    figures = plan(identity)
    names = []
    with staged_dir(out) as folder:
        from lrmo_cell.studies.study import OUTPUTS

        summary = table[identity["outputs"]].describe().T
        summary.insert(0, "failed", table[identity["outputs"]].isna().sum())
        summary.insert(0, "what", [OUTPUTS[o].help for o in identity["outputs"]])
        summary.to_csv(folder / "summary.csv", index_label="output")
        for x, y in figures["pareto"]:
            draw_pareto(table, x, y, identity, folder)
        for x, y, z in figures["heatmaps"]:
            draw_heatmap(table, x, y, z, identity, folder)
        indices = sobol_indices(table, identity)
        if indices is not None and len(indices):
            indices.to_csv(folder / "sobol_indices.csv", index=False)
            draw_sobol(indices, identity, folder)
        names = sorted(p.name for p in folder.iterdir())
    return names
