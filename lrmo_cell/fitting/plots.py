"""Report figures of the fits: a GITT fit over its data, a DRT with its peaks, a cycling fit.

Each function returns a ``matplotlib.figure.Figure`` (no pyplot state); the commands save it
together with the tables it belongs to."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def gitt_fit_figure(frame, pulses, fits) -> Figure:
    """Measured voltage of the whole GITT with each fitted pulse's model voltage over it."""
    fig = Figure(figsize=(8, 4.5))
    ax = fig.subplots()
    t_h = frame["time_s"].to_numpy() / 3600
    ax.plot(t_h, frame["voltage_V"], color="0.6", lw=1, label="measured")
    for k, (pulse, fit) in enumerate(zip(pulses.itertuples(), fits, strict=True)):
        t0 = frame["time_s"].iloc[pulse.i_start]
        ax.plot(
            (t0 + fit.model_time_s) / 3600,
            fit.model_voltage_V,
            color="tab:red",
            lw=1.2,
            label="model fit per pulse" if k == 0 else None,
        )
    ax.set(xlabel="time [h]", ylabel="voltage [V]", title="GITT: model fitted pulse by pulse")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def drt_figure(drt, peaks) -> Figure:
    """Nyquist plot of measured and DRT-fitted impedance beside the DRT with its peaks."""
    fig = Figure(figsize=(10, 4.2))
    nyq, dist = fig.subplots(1, 2)
    z, z_fit = np.asarray(drt.z_measured), np.asarray(drt.z_fitted)
    nyq.plot(z.real, -z.imag, "o", ms=3, color="0.4", label="measured")
    nyq.plot(z_fit.real, -z_fit.imag, "-", color="tab:blue", label="DRT fit")
    nyq.set(xlabel="Z' [Ω]", ylabel="-Z'' [Ω]", title="Nyquist")
    nyq.set_aspect("equal", adjustable="datalim")
    nyq.legend()
    nyq.grid(alpha=0.3)
    dist.semilogx(drt.tau_s, drt.gamma_ohm, color="tab:blue")
    # labels at staggered heights (x in data, y in axes units), so that neighbouring peaks'
    # labels do not overprint each other
    for k, peak in enumerate(peaks.sort_values("tau_s").itertuples()):
        dist.axvline(peak.tau_s, color="tab:red", lw=0.8, ls="--")
        dist.text(
            peak.tau_s,
            0.96 - 0.14 * (k % 5),
            f"{str(peak.process).replace('_', ' ')}\n{peak.resistance_ohm:.3g} Ω",
            transform=dist.get_xaxis_transform(),
            fontsize=8,
            va="top",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.8", "alpha": 0.9},
        )
    dist.set(
        xlabel="relaxation time τ [s]",
        ylabel="distribution of relaxation times γ [Ω]",
        title=f"DRT (regularisation λ = {drt.lambda_value:.2g})",
    )
    dist.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def cycling_fit_figure(table) -> Figure:
    """Measured and fitted charge and discharge capacity (and mean discharge voltage) per cycle:
    every series the fit weighs."""
    has_voltage = "mean_discharge_voltage_V" in table
    fig = Figure(figsize=(7, 6 if has_voltage else 3.5))
    axes = fig.subplots(2 if has_voltage else 1, 1, sharex=True, squeeze=False)
    series = [
        (0, "charge_capacity_mAh_per_g", "charge", "tab:blue"),
        (0, "discharge_capacity_mAh_per_g", "discharge", "tab:red"),
    ]
    if has_voltage:
        series.append((1, "mean_discharge_voltage_V", "mean discharge voltage", "tab:red"))
    for row, column, label, color in series:
        ax = axes[row, 0]
        ax.plot(table["cycle"], table[column], "o", ms=4, color="0.3", mfc="none")
        ax.plot(table["cycle"], table[f"{column}_model"], "-", color=color, label=f"{label}, model")
    axes[0, 0].plot([], [], "o", ms=4, color="0.3", mfc="none", label="measured")
    axes[0, 0].set_ylabel("capacity [mAh/g]")
    if has_voltage:
        axes[1, 0].set_ylabel("mean discharge voltage [V]")
    for ax in axes[:, 0]:
        ax.grid(alpha=0.3)
        ax.legend()
    axes[0, 0].set_title("Cycling fit: measured (circles) and fitted model (lines)")
    axes[-1, 0].set_xlabel("cycle")
    fig.tight_layout()
    return fig
