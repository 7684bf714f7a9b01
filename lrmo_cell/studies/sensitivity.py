"""One-at-a-time sensitivity (tornado) of an output to every numeric input of a design.

Each input is moved to (1 - r) and (1 + r) times its value (r = 10% by default) with all others
at their design values, clipped to the input's allowed range (and to whole numbers for the layer
count). All 2F perturbed designs are evaluated in one vectorised :func:`evaluate` call.
"""

from __future__ import annotations

import numpy as np

from lrmo_cell.design.core import Design, evaluate


def _clip(design: Design, field: str, x: np.ndarray) -> np.ndarray:
    gt, ge, lt, le = design.bounds.get(field, (None, None, None, None))
    eps = 1e-9
    low = gt + eps * max(1.0, abs(gt)) if gt is not None else ge
    high = lt - eps * max(1.0, abs(lt)) if lt is not None else le
    x = np.clip(x, low if low is not None else -np.inf, high if high is not None else np.inf)
    return np.round(x) if field in design.integer_fields else x


def tornado(design: Design, metric: str = "specific_energy_Wh_per_kg", rel: float = 0.1) -> list:
    """Rows ``{field, value, low, high, metric_low, metric_high, swing, clipped}``, largest swing
    first; fields whose value is zero are left out (a relative step does not move them)."""
    fields = [f for f, v in sorted(design.values.items()) if v != 0]
    base = np.array([design.values[f] for f in fields])
    low = np.array([_clip(design, f, v * (1 - rel)) for f, v in zip(fields, base, strict=True)])
    high = np.array([_clip(design, f, v * (1 + rel)) for f, v in zip(fields, base, strict=True)])
    overrides = {}
    for i, f in enumerate(fields):
        column = np.full(2 * len(fields), base[i])
        column[2 * i], column[2 * i + 1] = low[i], high[i]
        overrides[f] = column
    y = evaluate(design, overrides)[metric].reshape(len(fields), 2)
    y0 = float(evaluate(design)[metric])
    rows = []
    for i, f in enumerate(fields):
        clipped = not (
            np.isclose(low[i], base[i] * (1 - rel)) and np.isclose(high[i], base[i] * (1 + rel))
        )
        rows.append(
            {
                "field": f,
                "value": float(base[i]),
                "low": float(low[i]),
                "high": float(high[i]),
                "metric_low": float(y[i, 0]),
                "metric_high": float(y[i, 1]),
                "swing": float(abs(y[i, 1] - y[i, 0])),
                "base_metric": y0,
                "clipped": bool(clipped),
            }
        )
    return sorted(rows, key=lambda r: -r["swing"])


def markdown(rows: list, metric: str, top: int | None = None, rel: float = 0.1) -> str:
    """The tornado rows (made with step ``rel``) as a Markdown table (the README's sensitivity
    table)."""
    lines = [
        f"| input | value | {metric} at -{100 * rel:g}% | at +{100 * rel:g}% | swing |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows[:top]:
        mark = " (clipped to range)" if r["clipped"] else ""
        lines.append(
            f"| {r['field']}{mark} | {r['value']:g} | {r['metric_low']:.1f} | "
            f"{r['metric_high']:.1f} | {r['swing']:.1f} |"
        )
    return "\n".join(lines)


def plot_tornado(
    rows: list, metric: str, path, title: str = "", top: int = 16, rel: float = 0.1
) -> None:
    """Horizontal tornado bars (low step blue, high step orange, of step ``rel``) around the
    design value."""
    from matplotlib.figure import Figure

    from lrmo_cell.files import save_png
    from lrmo_cell.plotting import quantity_label

    shown = rows[:top][::-1]
    base = shown[0]["base_metric"] if shown else 0.0
    fig = Figure(figsize=(7.5, 0.32 * len(shown) + 1.6))
    ax = fig.subplots()
    for j, r in enumerate(shown):
        ax.barh(
            j,
            r["metric_low"] - base,
            left=base,
            color="tab:blue",
            height=0.7,
            label=f"input -{100 * rel:g}%" if j == 0 else None,
        )
        ax.barh(
            j,
            r["metric_high"] - base,
            left=base,
            color="tab:orange",
            height=0.7,
            alpha=0.85,
            label=f"input +{100 * rel:g}%" if j == 0 else None,
        )
    ax.set_yticks(
        range(len(shown)),
        [quantity_label(r["field"]) + (" *" if r["clipped"] else "") for r in shown],
        fontsize=8,
    )
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_xlabel(quantity_label(metric))
    ax.set_title(
        title
        + ("\n(* step clipped to the allowed range)" if any(r["clipped"] for r in shown) else ""),
        fontsize=9,
    )
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    save_png(fig, path)
